"""The audit trail: the one way an event is written, and reading it back for the log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow.models import AuditEvent, Translation, User


def record(into: Session | Translation, action: str, *, actor: User | None = None,
           article_id: int | None = None, translation_id: int | None = None,
           from_state: str | None = None, to_state: str | None = None,
           note: str | None = None) -> AuditEvent:
    """Write who did ``action`` to what, in the caller's transaction.

    ``into`` is the translation it happened to (the event joins its history, and its
    article and state are filled in) or the session, for articles and for jobs updated
    by a conditional UPDATE without loading them.
    """
    row = AuditEvent(actor_id=actor.id if actor else None, action=action,
                     article_id=article_id, translation_id=translation_id,
                     from_state=from_state, to_state=to_state, note=note)
    if isinstance(into, Translation):
        row.article_id = into.article_id if article_id is None else article_id
        row.from_state = into.state if from_state is None else from_state
        row.to_state = into.state if to_state is None else to_state
        into.events.append(row)
    else:
        into.add(row)
    return row


def search(session: Session, *, article_id: int | None = None, email: str = "",
           action: str = "", limit: int = 200) -> list[AuditEvent]:
    """The newest ``limit`` events, of one article, one user (by e-mail) or one action."""
    query = (select(AuditEvent).options(selectinload(AuditEvent.actor))
             .order_by(AuditEvent.id.desc()).limit(limit))
    if article_id is not None:
        query = query.where(AuditEvent.article_id == article_id)
    if email:
        query = query.join(User, User.id == AuditEvent.actor_id).where(User.email == email)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query))


def actions(session: Session) -> list[str]:
    """Every action recorded so far, for the log's filter."""
    return sorted(set(session.scalars(select(AuditEvent.action).distinct())))
