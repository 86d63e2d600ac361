"""The e-mail outbox: messages written with the change, sent by a worker after commit.

Like webhook deliveries, an e-mail is a row first: a lost message, a worker killed while
sending or a mail server that is down delays it, never loses it (the reconciler sends
pending rows again).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update

from workflow.errors import N_, NotFound
from workflow.models import EmailState, OutboundEmail, utcnow
from workflow.services.outbox import stale_ids
from workflow.uow import UnitOfWork

MAX_ATTEMPTS = 6

Send = Callable[[OutboundEmail], None]
"""Hands one e-mail to the mail server; ``MailRejected`` for good, ``OSError`` to try again."""


class MailRejected(Exception):
    """The mail server refused the message for good (a 5xx answer): retrying cannot help."""


def record(uow: UnitOfWork, to: str, subject: str, text: str,
           html: str | None = None) -> OutboundEmail:
    """Put an e-mail in the outbox, in the caller's transaction; it is sent after commit."""
    row = OutboundEmail(to_address=to, subject=subject[:300], body_text=text, body_html=html)
    uow.session.add(row)
    uow.session.flush()
    uow.mail(row.id)
    return row


def _reason(exc: BaseException) -> str:
    if isinstance(exc, MailRejected):
        return f"rejected: {exc}"
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return f"could not send: {type(exc).__name__}"


def deliver(uow: UnitOfWork, email_id: int, send: Send, max_attempts: int = MAX_ATTEMPTS) -> str:
    """Send one e-mail: ``sent``, ``failed`` or ``done`` (already handled).

    A connection trouble is recorded and raised again, so the task retries later; after
    ``max_attempts`` tries, or a refusal for good, the e-mail is marked failed.
    """
    row = uow.session.get(OutboundEmail, email_id)
    if row is None:
        raise NotFound(N_("No e-mail %(email_id)s in the outbox."), values={"email_id": email_id})
    if row.state != EmailState.PENDING:
        return "done"
    attempts = row.attempts + 1
    try:
        send(row)
    except (MailRejected, OSError) as exc:
        final = isinstance(exc, MailRejected) or attempts >= max_attempts
        _mark(uow, row.id, attempts, EmailState.FAILED if final else EmailState.PENDING,
              _reason(exc))
        if final:
            return EmailState.FAILED
        raise
    _mark(uow, row.id, attempts, EmailState.SENT, None)
    return EmailState.SENT


def _mark(uow: UnitOfWork, email_id: int, attempts: int, state: str, error: str | None) -> None:
    now = utcnow()
    uow.session.execute(
        update(OutboundEmail).where(OutboundEmail.id == email_id,
                                    OutboundEmail.state == EmailState.PENDING)
        .values(attempts=attempts, state=state, error=error, last_attempt_at=now,
                sent_at=now if state == EmailState.SENT else None))
    uow.commit()


def requeue_stale(uow: UnitOfWork, older_than: int = 900) -> list[int]:
    """Send again pending e-mails untouched for ``older_than`` seconds (a lost message)."""
    ids = stale_ids(uow, OutboundEmail, EmailState.PENDING, older_than)
    for email_id in ids:
        uow.mail(email_id)
    uow.commit()
    return ids
