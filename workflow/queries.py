"""Loading objects with the caller's permission in the query, never checked after the fetch."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, false, select, true
from sqlalchemy.orm import Session

from workflow.errors import NotFound
from workflow.models import Article, Assignment, Translation, User


def translation_filter(actor: User) -> ColumnElement[bool]:
    """The SQL condition for the translations ``actor`` may see."""
    if not actor.active:
        return false()
    if actor.roles & {"admin", "editor", "publisher"}:
        return true()
    if "reviewer" in actor.roles and actor.languages:
        # Their languages, and once someone has claimed a translation, only their own.
        claimed_by_other = exists().where(Assignment.translation_id == Translation.id,
                                          Assignment.reviewer_id != actor.id)
        return and_(Translation.language.in_(sorted(actor.languages)), ~claimed_by_other)
    return false()


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


def article_filter(actor: User) -> ColumnElement[bool]:
    """The SQL condition for the articles ``actor`` may see."""
    if not actor.active:
        return false()
    if actor.roles & {"admin", "editor", "publisher"}:
        return true()
    if "reviewer" in actor.roles and actor.languages:
        return Article.translations.any(translation_filter(actor))
    return false()


def get_article(session: Session, article_id: int, actor: User) -> Article:
    """The article, if ``actor`` may see it; otherwise NotFound."""
    article = session.scalars(
        select(Article).where(Article.id == article_id, article_filter(actor))
    ).one_or_none()
    if article is None:
        raise NotFound(f"No article {article_id} that you can see.")
    return article
