"""Loading objects with the caller's permission in the query, never checked after the fetch."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from workflow.errors import NotFound
from workflow.models import Article, Translation, User
from workflow.permissions import article_filter, translation_filter


def visible_translations(actor: User) -> Select[Translation]:
    """A query of the translations ``actor`` may see."""
    return select(Translation).where(translation_filter(actor))


def get_translation(session: Session, translation_id: int, actor: User) -> Translation:
    """The translation, if ``actor`` may see it; otherwise NotFound."""
    t = session.scalars(
        visible_translations(actor).where(Translation.id == translation_id)
    ).one_or_none()
    if t is None:
        raise NotFound(f"No translation {translation_id} that you can see.")
    return t


def get_article(session: Session, article_id: int, actor: User) -> Article:
    """The article, if ``actor`` may see it; otherwise NotFound."""
    article = session.scalars(
        select(Article).where(Article.id == article_id, article_filter(actor))
    ).one_or_none()
    if article is None:
        raise NotFound(f"No article {article_id} that you can see.")
    return article
