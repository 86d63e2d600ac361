"""Publishing editions: versioned snapshots of the source and its approved translations."""

from __future__ import annotations

import html

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from workflow.errors import Conflict, Forbidden
from workflow.models import Article, AuditEvent, Publication, Translation, User
from workflow.queries import get_article, get_translation
from workflow.states import Event, transition
from workflow.uow import UnitOfWork


def render_body(paragraphs: list[str]) -> str:
    """The edition's body as HTML; every piece of text is escaped."""
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _next_number(uow: UnitOfWork, article_id: int, language: str) -> int:
    current = uow.session.scalar(
        select(func.max(Publication.number))
        .where(Publication.article_id == article_id, Publication.language == language)
    )
    return (current or 0) + 1


def _commit_edition(uow: UnitOfWork, pub: Publication) -> Publication:
    """Commit a new edition; losing a race for its number is a 409, never a 500."""
    try:
        uow.commit()
    except IntegrityError as exc:
        uow.rollback()
        raise Conflict("Someone published this edition at the same moment; reload to see "
                       "the live edition.") from exc
    return pub


def publish(uow: UnitOfWork, translation_id: int, actor: User) -> Publication:
    """Publish an approved translation as a new versioned edition.

    Publishing the same text again returns the live edition instead of a duplicate.
    """
    t: Translation = get_translation(uow.session, translation_id, actor)
    transition(t, Event.PUBLISH, actor)
    title = next((s.text for s in t.segments if s.kind == "title"), t.article.slug)
    body = render_body([s.text for s in t.segments if s.kind != "title"])
    live = live_edition_of(uow, t.article_id, t.language)
    if live is not None and (live.translation_id, live.title, live.html) == (t.id, title, body):
        uow.commit()  # the state says published; the live edition already shows this text
        return live
    pub = Publication(article_id=t.article_id, language=t.language, translation_id=t.id,
                      number=_next_number(uow, t.article_id, t.language), title=title,
                      html=body, published_by_id=actor.id)
    uow.session.add(pub)
    return _commit_edition(uow, pub)


def publish_source(uow: UnitOfWork, article_id: int, actor: User) -> Publication:
    """Publish the article in its own language, from its latest version."""
    if not actor.has_role("publisher"):
        raise Forbidden("Only publishers can publish.")
    article: Article = get_article(uow.session, article_id, actor)
    version = article.latest
    title = next(s.text for s in version.segments if s.kind == "title")
    body = render_body([s.text for s in version.segments if s.kind != "title"])
    live = live_edition_of(uow, article.id, article.source_language)
    if live is not None and (live.translation_id, live.title, live.html) == (None, title, body):
        return live
    pub = Publication(article_id=article.id, language=article.source_language,
                      number=_next_number(uow, article.id, article.source_language),
                      title=title, html=body, published_by_id=actor.id)
    uow.session.add(pub)
    uow.session.add(AuditEvent(actor_id=actor.id, action="article.publish_source",
                               article_id=article.id, note=f"edition {pub.number}"))
    return _commit_edition(uow, pub)


def live_edition(uow: UnitOfWork, language: str, slug: str) -> Publication | None:
    """The newest edition of ``slug`` in ``language`` that is not withdrawn."""
    return uow.session.scalars(
        select(Publication).join(Article)
        .where(Article.slug == slug, Publication.language == language,
               Publication.withdrawn_at.is_(None))
        .order_by(Publication.number.desc()).limit(1)
    ).one_or_none()


def live_edition_of(uow: UnitOfWork, article_id: int, language: str) -> Publication | None:
    """The newest edition of an article in ``language`` that is not withdrawn."""
    return uow.session.scalars(
        select(Publication)
        .where(Publication.article_id == article_id, Publication.language == language,
               Publication.withdrawn_at.is_(None))
        .order_by(Publication.number.desc()).limit(1)
    ).one_or_none()


def live_languages(uow: UnitOfWork, article_id: int) -> list[str]:
    """The languages in which ``article_id`` currently has a live edition."""
    return sorted(set(uow.session.scalars(
        select(Publication.language)
        .where(Publication.article_id == article_id, Publication.withdrawn_at.is_(None))
    )))
