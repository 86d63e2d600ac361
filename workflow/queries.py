"""Loading objects with the caller's permission in the query, never checked after the fetch."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from workflow.errors import N_, NotFound
from workflow.models import Article, State, Translation, User, utcnow
from workflow.permissions import article_filter, translation_filter


def queue_backlog(session: Session) -> tuple[int, float]:
    """How many jobs wait in the queue, and how long the oldest has waited (seconds)."""
    queued, oldest = session.execute(
        select(func.count(), func.min(Translation.enqueued_at))
        .where(Translation.state == State.QUEUED)).one()
    if oldest is not None and oldest.tzinfo is None:  # min() may skip the column's type
        oldest = oldest.replace(tzinfo=UTC)
    age = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
    return int(queued), max(age, 0.0)


def visible_translations(actor: User) -> Select[Translation]:
    """A query of the translations ``actor`` may see."""
    return select(Translation).where(translation_filter(actor))


def get_translation(session: Session, translation_id: int, actor: User) -> Translation:
    """The translation, if ``actor`` may see it; otherwise NotFound."""
    t = session.scalars(
        visible_translations(actor).where(Translation.id == translation_id)
    ).one_or_none()
    if t is None:
        raise NotFound(N_("No translation %(translation_id)s that you can see."),
                       values={"translation_id": translation_id})
    return t


def get_article(session: Session, article_id: int, actor: User) -> Article:
    """The article, if ``actor`` may see it; otherwise NotFound."""
    article = session.scalars(
        select(Article).where(Article.id == article_id, article_filter(actor))
    ).one_or_none()
    if article is None:
        raise NotFound(N_("No article %(article_id)s that you can see."),
                       values={"article_id": article_id})
    return article
