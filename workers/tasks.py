"""Celery tasks: doorways that take ids and call one workflow function."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from functools import cache
from typing import Any

from celery.signals import worker_process_init
from sqlalchemy import select

from workers import capabilities
from workers.celery_app import celery, settings
from workers.failures import explain, owner_gone
from workers.fetch import http_get
from workers.logs import log_context
from workers.mail import smtp_sender
from workers.queue import enqueue_emails, enqueue_translations, enqueue_webhooks
from workers.routing import engine_for
from workers.webhooks import http_post
from workflow import timing
from workflow.db import Database
from workflow.models import Translation
from workflow.services import batch, jobs, mail, polling, reminders, webhooks
from workflow.uow import UnitOfWork

log = logging.getLogger(__name__)


@cache
def database() -> Database:
    """This process's database (created after fork, never shared across processes)."""
    return Database()


def worker_id() -> str:
    """Who holds a lease: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@worker_process_init.connect
def _init_child(**_: object) -> None:
    # Threads are set before any model loads: PyTorch's thread pool does not survive a fork.
    database.cache_clear()
    from workers.engines.pool import POOL
    from workers.engines.preload import preload

    POOL.cap = max(1, settings.max_loaded_models)
    if settings.torch_threads:
        import torch

        torch.set_num_threads(settings.torch_threads)
        with contextlib.suppress(RuntimeError):  # only possible before any parallel work
            torch.set_num_interop_threads(1)
    # Outside any time limit: an import interrupted by one poisons the process for good.
    preload()


@celery.task(name="linguadesk.translate", bind=True, acks_late=True, max_retries=5)
def translate(self: Any, translation_id: int) -> str:
    """Machine-translate one translation job; retried with growing pauses only when it may help.

    The job records why it stopped before this raises: a broker, database or memory
    trouble comes back after 1, 2, 4… seconds; anything else has already failed the job.
    """
    try:
        with timing.recording() as timings:
            with timing.stage("lookups"), database().session() as session:
                row = session.execute(select(Translation.article_id, Translation.state)
                                      .where(Translation.id == translation_id)).one_or_none()
            article_id, state = row if row is not None else (None, None)
            with log_context(translation_id=translation_id, article_id=article_id):
                if state not in jobs.STARTABLE:
                    # Done already (most often in another job's shared batch) or gone: the
                    # read above is all this message costs (claim() checks again anyway).
                    log.info("translate %s: skipped (%s)", translation_id, state or "gone",
                             extra={"outcome": "skipped", "timings": timings.record()})
                    return "skipped"
                outcomes = batch.translate_together(
                    lambda: UnitOfWork(database(), dispatch=enqueue_translations),
                    translation_id, engine_for=engine_for,
                    worker=worker_id(), lease_seconds=settings.lease_seconds,
                    max_attempts=settings.max_attempts, explain=explain, gone=owner_gone,
                    sharing=batch.Sharing(settings.share_chars,
                                          settings.share_wait_ms / 1000))
        with log_context(translation_id=translation_id, article_id=article_id):
            outcome = outcomes[translation_id]
            for tid, each in outcomes.items():
                if tid != translation_id:
                    log.info("translate %s: %s (in the batch of %s)", tid, each,
                             translation_id, extra={"outcome": each, "translation_id": tid})
            # One timing record per task: where its wall time went (bench/pipeline.py).
            log.info("translate %s: %s", translation_id, outcome,
                     extra={"outcome": outcome, "timings": timings.record()})
    except Exception as exc:
        failure = explain(exc)
        if failure.process_broken:
            # The job is already back in the queue with its reason. Leaving the process
            # makes its message go back to the queue too (task_reject_on_worker_lost),
            # and the worker starts a fresh process that can import its libraries.
            log.error("translate %s: this worker process is broken (%s); it exits",
                      translation_id, failure.reason)
            raise SystemExit(1) from exc
        if failure.transient:
            raise self.retry(exc=exc, countdown=min(2 ** self.request.retries, 60)) from exc
        raise
    finally:
        capabilities.refresh_if_stale(database(), self.request.hostname)
    return outcome


@celery.task(name="linguadesk.reconcile", bind=True)
def reconcile(self: Any) -> list[int]:
    """Re-enqueue jobs queued too long or whose lease expired."""
    capabilities.refresh_if_stale(database(), self.request.hostname)
    with UnitOfWork(database(), dispatch=enqueue_translations) as uow:
        ids = jobs.requeue_stale(uow, settings.requeue_after)
    if ids:
        log.info("reconciler re-enqueued %s", ids)
    with UnitOfWork(database(), notify=enqueue_webhooks) as uow:
        hooks = webhooks.requeue_stale(uow)
    if hooks:
        log.info("reconciler re-sent webhook deliveries %s", hooks)
    with UnitOfWork(database(), mailer=enqueue_emails) as uow:
        emails = mail.requeue_stale(uow)
    if emails:
        log.info("reconciler re-sent e-mails %s", emails)
    return ids


@celery.task(name="linguadesk.deliver_webhook", bind=True, acks_late=True,
             max_retries=webhooks.MAX_ATTEMPTS)
def deliver_webhook(self: Any, delivery_id: int) -> str:
    """POST one signed webhook; retried with growing pauses until it lands or gives up."""
    with UnitOfWork(database()) as uow:
        outcome = webhooks.deliver(uow, delivery_id, http_post,
                                   max_attempts=webhooks.MAX_ATTEMPTS)
    log.info("webhook delivery %s: %s", delivery_id, outcome)
    if outcome == "retry":
        raise self.retry(countdown=settings.webhook_backoff * 2 ** self.request.retries)
    return outcome


def _unit() -> UnitOfWork:
    return UnitOfWork(database(), mailer=enqueue_emails, links_base=settings.public_url or "")


@celery.task(name="linguadesk.send_email", bind=True, acks_late=True,
             autoretry_for=(OSError,), retry_backoff=settings.mail_backoff, retry_backoff_max=600,
             retry_jitter=True, max_retries=mail.MAX_ATTEMPTS)
def send_email(self: Any, email_id: int) -> str:
    """Hand one outbox e-mail to the SMTP server; a connection trouble retries later."""
    with UnitOfWork(database()) as uow:
        outcome = mail.deliver(uow, email_id, smtp_sender(), max_attempts=mail.MAX_ATTEMPTS)
    log.info("e-mail %s: %s", email_id, outcome)
    return outcome


@celery.task(name="linguadesk.remind", bind=True)
def remind(self: Any) -> dict[str, int]:
    """Due-soon and overdue reminders, and the daily digest of waiting drafts (each once)."""
    with _unit() as uow:
        due = reminders.due_dates(uow)
    with _unit() as uow:
        digest = reminders.waiting_digest(uow)
    if due or digest:
        log.info("reminders sent: %s due-date, %s digest", due, digest)
    return {"due": due, "digest": digest}


@celery.task(name="linguadesk.poll_sources", bind=True)
def poll_sources(self: Any) -> dict[int, str]:
    """Poll every feed and WordPress site that is due; new items become articles."""
    pacing = polling.Pacing(interval=settings.source_interval,
                            max_backoff=settings.source_max_backoff,
                            max_chars=settings.max_article_chars)
    with UnitOfWork(database(), dispatch=enqueue_translations) as uow:
        outcomes = polling.poll_due(uow, http_get, pacing)
    if outcomes:
        log.info("sources polled: %s", outcomes)
    return outcomes
