"""Webhooks: endpoints, signed deliveries recorded with the change, and the delivery log."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update

from workflow.errors import N_, Forbidden, InvalidInput, NotFound
from workflow.models import DeliveryState, User, WebhookDelivery, WebhookEndpoint, utcnow
from workflow.permissions import Action, can
from workflow.services.outbox import stale_ids
from workflow.uow import UnitOfWork

MAX_ATTEMPTS = 5
SIGNATURE_HEADER = "X-Linguadesk-Signature"
TIMESTAMP_HEADER = "X-Linguadesk-Timestamp"
EVENT_HEADER = "X-Linguadesk-Event"

Post = Callable[[str, bytes, dict[str, str]], int]
"""Sends one POST (url, body, headers) and returns the HTTP status; raises OSError when down."""
MIN_SECRET_BYTES = 32


class Refused(OSError):
    """The sender would not send: the endpoint's address is not one webhooks may reach.

    Its message is written by the desk (never a library's), so the log may show it.
    """


def failure_reason(exc: OSError) -> str:
    """A short reason for the delivery log; library error text (which can describe the
    desk's own network) is never shown."""
    if isinstance(exc, Refused):
        return f"refused: {exc}"
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionError):
        return "connection lost"
    return "could not connect"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 over ``timestamp.body`` with the endpoint's secret."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """True when ``signature`` is the one :func:`sign` gives (what a receiver checks)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def _admin(actor: User) -> None:
    if not can(actor, Action.MANAGE_WEBHOOKS):
        raise Forbidden(N_("Only admins manage webhooks."))


def add_endpoint(uow: UnitOfWork, actor: User, url: object,
                 secret: str | None = None) -> WebhookEndpoint:
    """Register a URL to be told about every publish and unpublish."""
    _admin(actor)
    if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")):
        raise InvalidInput(N_("The webhook URL must start with http:// or https://."), field="url")
    if secret and not (secret.isascii() and MIN_SECRET_BYTES <= len(secret) <= 128):
        raise InvalidInput(N_("A webhook secret needs %(min)s to 128 ASCII characters; leave it "
                              "empty and the desk generates one."),
                           values={"min": MIN_SECRET_BYTES}, field="secret")
    endpoint = WebhookEndpoint(url=url.strip(), secret=secret or secrets.token_hex(32))
    uow.session.add(endpoint)
    uow.commit()
    return endpoint


def record(uow: UnitOfWork, event: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """One pending delivery per active endpoint, in the caller's transaction, sent after commit."""
    body = json.dumps({"event": event, **payload}, ensure_ascii=False, sort_keys=True)
    rows = [WebhookDelivery(endpoint_id=e.id, event=event, payload=body)
            for e in uow.session.scalars(select(WebhookEndpoint)
                                         .where(WebhookEndpoint.active.is_(True)))]
    uow.session.add_all(rows)
    uow.session.flush()
    for row in rows:
        uow.deliver(row.id)
    return rows


def deliver(uow: UnitOfWork, delivery_id: int, post: Post,
            max_attempts: int = MAX_ATTEMPTS) -> str:
    """Send one delivery; ``delivered``, ``retry`` (try again later), ``failed`` or ``done``.

    A delivery already delivered or given up on is left alone, so a duplicate message
    sends nothing twice.
    """
    row = uow.session.get(WebhookDelivery, delivery_id)
    if row is None:
        raise NotFound(N_("No webhook delivery %(delivery_id)s."),
                       values={"delivery_id": delivery_id})
    if row.state != DeliveryState.PENDING:
        return "done"
    timestamp = str(int(time.time()))
    body = row.payload.encode()
    headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp,
               SIGNATURE_HEADER: sign(row.endpoint.secret, timestamp, body),
               EVENT_HEADER: row.event, "X-Linguadesk-Delivery": str(row.id)}
    status: int | None = None
    error: str | None = None
    try:
        status = post(row.endpoint.url, body, headers)
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except OSError as exc:
        error = failure_reason(exc)
    attempts = row.attempts + 1
    state = (DeliveryState.DELIVERED if error is None else
             DeliveryState.FAILED if attempts >= max_attempts else DeliveryState.PENDING)
    uow.session.execute(
        update(WebhookDelivery).where(WebhookDelivery.id == row.id,
                                      WebhookDelivery.state == DeliveryState.PENDING)
        .values(attempts=attempts, response_status=status, error=error, state=state,
                last_attempt_at=utcnow(), delivered_at=utcnow() if error is None else None)
    )
    uow.commit()
    return "retry" if state == DeliveryState.PENDING else state.value


def requeue_stale(uow: UnitOfWork, older_than: int = 900) -> list[int]:
    """Send again pending deliveries untouched for ``older_than`` seconds (a lost message)."""
    ids = stale_ids(uow, WebhookDelivery, DeliveryState.PENDING, older_than)
    for delivery_id in ids:
        uow.deliver(delivery_id)
    uow.commit()
    return ids


def delivery_log(uow: UnitOfWork, actor: User, limit: int = 200) -> list[WebhookDelivery]:
    """The newest deliveries with their outcome, for the admin."""
    _admin(actor)
    return list(uow.session.scalars(select(WebhookDelivery)
                                    .order_by(WebhookDelivery.id.desc()).limit(limit)))


def endpoints(uow: UnitOfWork, actor: User) -> list[WebhookEndpoint]:
    """Every configured endpoint, for the admin."""
    _admin(actor)
    return list(uow.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))
