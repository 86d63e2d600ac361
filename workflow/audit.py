"""The audit trail: reading it back, filtered, for the admins' audit log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow.models import AuditEvent, User


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
