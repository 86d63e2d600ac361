"""Sending translate messages; used after commit by the web, the CLI and the reconciler."""

from __future__ import annotations

from workers.celery_app import celery
from workflow.settings import load


def enqueue_translations(translation_ids: list[int]) -> None:
    """Send one translate message per id to the MT queue."""
    queue = load().mt_queue
    for tid in translation_ids:
        celery.send_task("linguadesk.translate", args=[tid], queue=queue)


def enqueue_webhooks(delivery_ids: list[int]) -> None:
    """Send one deliver message per webhook delivery id to the default queue."""
    queue = load().default_queue
    for did in delivery_ids:
        celery.send_task("linguadesk.deliver_webhook", args=[did], queue=queue)


def enqueue_emails(email_ids: list[int]) -> None:
    """Send one message per outbox e-mail id to the default queue."""
    queue = load().default_queue
    for eid in email_ids:
        celery.send_task("linguadesk.send_email", args=[eid], queue=queue)
