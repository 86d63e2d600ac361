"""Publishing editions: versioned snapshots of the source and its approved translations."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from workflow import audit, messages
from workflow.edition_slugs import current_slug, ensure_slug, hreflang_set
from workflow.editions import RenderedEdition, edition_path, render_edition
from workflow.errors import N_, Conflict, Forbidden, NotFound
from workflow.languages import get_language
from workflow.models import (
    Article,
    ArticleVersion,
    Assignment,
    EditionSlug,
    Publication,
    SourceSegment,
    Translation,
    User,
    utcnow,
)
from workflow.permissions import Action, can
from workflow.queries import get_article, get_translation
from workflow.segmentation import Block
from workflow.services import webhooks
from workflow.services.notifications import notify
from workflow.states import Event, State, transition
from workflow.uow import UnitOfWork


def _next_number(uow: UnitOfWork, article_id: int, language: str) -> int:
    current = uow.session.scalar(
        select(func.max(Publication.number))
        .where(Publication.article_id == article_id, Publication.language == language)
    )
    return (current or 0) + 1


def _version(article: Article, number: int) -> ArticleVersion:
    return next((v for v in article.versions if v.number == number), article.latest)


def _snapshot(uow: UnitOfWork, article: Article, language: str, rendered: RenderedEdition,
              actor: User, translation_id: int | None = None) -> Publication:
    pub = Publication(article_id=article.id, language=language, translation_id=translation_id,
                      number=_next_number(uow, article.id, language), title=rendered.title,
                      summary=rendered.summary or None, html=rendered.html,
                      published_by_id=actor.id, published_at=utcnow())
    uow.session.add(pub)
    uow.session.flush()
    ensure_slug(uow.session, article, language, rendered.title)
    webhooks.record(uow, "edition.published", _payload(uow, article, pub))
    return pub


def _payload(uow: UnitOfWork, article: Article, pub: Publication) -> dict[str, object]:
    """The whole edition for the CMS (documented in docs/webhooks.md)."""
    slug = current_slug(uow.session, article.id, pub.language) or article.slug
    base = uow.links_base.rstrip("/")  # LINGUADESK_PUBLIC_URL in production
    found = hreflang_set(uow.session, article.id, article.source_language)
    return {"article_id": article.id, "slug": slug, "language": pub.language,
            "dir": get_language(pub.language).direction,
            "source_language": article.source_language, "edition": pub.number,
            "title": pub.title, "summary": pub.summary or "", "html": pub.html,
            "path": edition_path(pub.language, slug),
            "canonical": base + edition_path(pub.language, slug),
            "hreflang": {key: base + edition_path(lang, s) for key, (lang, s) in found.items()},
            "published_at": pub.published_at.isoformat()}


def render_translation(uow: UnitOfWork, t: Translation) -> RenderedEdition:
    """The edition a translation's current text makes (for publishing and for previews)."""
    markup: dict[int, dict[str, Any] | None] = dict(uow.session.execute(
        select(SourceSegment.id, SourceSegment.markup)
        .where(SourceSegment.id.in_([s.source_segment_id for s in t.segments]))
    ).tuples().all())
    blocks = [Block(s.kind, s.text, dict(markup.get(s.source_segment_id) or {}))
              for s in t.segments]
    rendered = render_edition(blocks, _version(t.article, t.version_number).meta)
    if not rendered.title:
        rendered = RenderedEdition(t.article.slug, rendered.summary, rendered.html)
    return rendered


def _commit_edition(uow: UnitOfWork, make: Callable[[], Publication]) -> Publication:
    """Write and commit a new edition; losing a race for its number is a Conflict, never a crash."""
    try:
        pub = make()
        uow.commit()
    except IntegrityError as exc:
        uow.rollback()
        raise Conflict(N_("Someone published this edition at the same moment; reload to see "
                          "the live edition.")) from exc
    return pub


def publish(uow: UnitOfWork, translation_id: int, actor: User) -> Publication:
    """Publish an approved translation as a new versioned edition.

    Publishing the same text again returns the live edition instead of a duplicate.
    """
    t: Translation = get_translation(uow.session, translation_id, actor)
    transition(t, Event.PUBLISH, actor)
    rendered = render_translation(uow, t)
    live = live_edition(uow, t.language, article_id=t.article_id)
    if live is not None and (live.translation_id, live.title, live.html) == (
            t.id, rendered.title, rendered.html):
        uow.commit()  # the state says published; the live edition already shows this text
        return live

    def make() -> Publication:
        pub = _snapshot(uow, t.article, t.language, rendered, actor, translation_id=t.id)
        _tell_translators(uow, t, actor, pub)
        return pub

    return _commit_edition(uow, make)


def _tell_translators(uow: UnitOfWork, t: Translation, actor: User, pub: Publication) -> None:
    """Notify whoever holds the translation or edited its segments that it went live."""
    ids = {s.edited_by_id for s in t.segments if s.edited_by_id is not None}
    held = uow.session.get(Assignment, t.id)
    if held is not None:
        ids.add(held.reviewer_id)
    ids.discard(actor.id)
    for user in uow.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)):
        notify(uow, user, "published",
               partial(messages.published, language=t.language, title=pub.title,
                       edition=pub.number),
               edition_path(t.language, t.article.slug), translation_id=t.id)


def publish_source(uow: UnitOfWork, article_id: int, actor: User) -> Publication:
    """Publish the article in its own language, from its latest version."""
    if not can(actor, Action.PUBLISH):
        raise Forbidden(N_("Only publishers can publish."))
    article: Article = get_article(uow.session, article_id, actor)
    version = article.latest
    rendered = render_edition([Block(s.kind, s.text, dict(s.markup or {}))
                               for s in version.segments], version.meta)
    live = live_edition(uow, article.source_language, article_id=article.id)
    if live is not None and (live.translation_id, live.title, live.html) == (
            None, rendered.title, rendered.html):
        return live

    def snapshot() -> Publication:
        pub = _snapshot(uow, article, article.source_language, rendered, actor)
        audit.record(uow.session, "article.publish_source", actor=actor,
                     article_id=article.id, note=f"edition {pub.number}")
        return pub

    return _commit_edition(uow, snapshot)


def unpublish(uow: UnitOfWork, article_id: int, language: str, actor: User) -> int:
    """Take an edition down (its page answers 410); every snapshot stays in the history."""
    if not can(actor, Action.UNPUBLISH):
        raise Forbidden(N_("Only publishers can unpublish."))
    article: Article = get_article(uow.session, article_id, actor)
    code = get_language(language).code
    live = live_edition(uow, code, article_id=article.id)
    if live is None:
        raise NotFound(N_("Article %(article)s has no live %(code)s edition to unpublish."),
                       values={"article": article.id, "code": code})
    now = utcnow()
    t = uow.session.scalars(select(Translation).where(
        Translation.article_id == article.id, Translation.language == code)).one_or_none()
    note = f"{code} edition {live.number}"
    if t is not None and t.state == State.PUBLISHED:
        # Approved again, not "published": the dashboard must not call a withdrawn page live.
        # (A translation sent back since publishing stays in review.)
        transition(t, Event.UNPUBLISH, actor, note=note)
    else:
        audit.record(uow.session, "article.unpublish", actor=actor, article_id=article.id,
                     note=note)
    uow.session.execute(
        update(Publication)
        .where(Publication.article_id == article.id, Publication.language == code,
               Publication.withdrawn_at.is_(None))
        .values(withdrawn_at=now).execution_options(synchronize_session=False)
    )
    webhooks.record(uow, "edition.unpublished",
                    {**_payload(uow, article, live), "withdrawn_at": now.isoformat()})
    uow.commit()
    return live.number


def live_edition(uow: UnitOfWork, language: str, *, slug: str | None = None,
                 article_id: int | None = None) -> Publication | None:
    """The newest edition of an article (by its current ``slug`` in that language, or by
    ``article_id``) in ``language`` that is not withdrawn."""
    if (slug is None) == (article_id is None):
        raise TypeError("live_edition takes one of slug or article_id")
    query = select(Publication).where(Publication.language == language,
                                      Publication.withdrawn_at.is_(None))
    if slug is not None:
        query = query.join(EditionSlug, (EditionSlug.article_id == Publication.article_id)
                           & (EditionSlug.language == Publication.language)).where(
            EditionSlug.slug == slug, EditionSlug.current.is_(True))
    else:
        query = query.where(Publication.article_id == article_id)
    return uow.session.scalars(query.order_by(Publication.number.desc()).limit(1)).one_or_none()


def was_published(uow: UnitOfWork, language: str, slug: str) -> bool:
    """True when ``/language/slug`` ever had an edition (a withdrawn page is 410)."""
    return (uow.session.scalar(
        select(func.count()).select_from(Publication)
        .join(EditionSlug, (EditionSlug.article_id == Publication.article_id)
              & (EditionSlug.language == Publication.language))
        .where(EditionSlug.slug == slug, Publication.language == language)
    ) or 0) > 0


def live_languages(uow: UnitOfWork, article_id: int) -> list[str]:
    """The languages in which ``article_id`` currently has a live edition."""
    return live_languages_of(uow, [article_id]).get(article_id, [])


def live_languages_of(uow: UnitOfWork, article_ids: Iterable[int]) -> dict[int, list[str]]:
    """The live languages of each of ``article_ids``, in one query (feeds, sitemap)."""
    found: dict[int, set[str]] = {}
    for article_id, language in uow.session.execute(
        select(Publication.article_id, Publication.language)
        .where(Publication.article_id.in_(set(article_ids)), Publication.withdrawn_at.is_(None))
    ):
        found.setdefault(article_id, set()).add(language)
    return {article_id: sorted(languages) for article_id, languages in found.items()}


def live_editions(uow: UnitOfWork, language: str | None = None) -> list[Publication]:
    """The current edition of every live (article, language), newest first."""
    return [pub for pub, _ in live_editions_at(uow, language)]


def live_editions_at(uow: UnitOfWork,
                     language: str | None = None) -> list[tuple[Publication, str]]:
    """``live_editions`` with each one's own slug, in the same query (front pages)."""
    newest = (select(Publication.article_id, Publication.language,
                     func.max(Publication.number).label("number"))
              .where(Publication.withdrawn_at.is_(None))
              .group_by(Publication.article_id, Publication.language))
    if language is not None:
        newest = newest.where(Publication.language == language)
    sub = newest.subquery()
    rows = uow.session.execute(
        select(Publication, EditionSlug.slug)
        .join(sub, (Publication.article_id == sub.c.article_id)
              & (Publication.language == sub.c.language)
              & (Publication.number == sub.c.number))
        .outerjoin(EditionSlug, (EditionSlug.article_id == Publication.article_id)
                   & (EditionSlug.language == Publication.language)
                   & EditionSlug.current.is_(True))
        .options(joinedload(Publication.article))
        .order_by(Publication.published_at.desc(), Publication.id.desc())
    ).tuples().all()
    return [(pub, slug or pub.article.slug) for pub, slug in rows]


def history(uow: UnitOfWork, article_id: int) -> list[Publication]:
    """Every snapshot ever published for the article, live or withdrawn."""
    return list(uow.session.scalars(
        select(Publication).where(Publication.article_id == article_id)
        .order_by(Publication.language, Publication.number)
    ))


def editions_stamp(uow: UnitOfWork,
                   language: str | None = None) -> tuple[int, int, str, int]:
    """What the public listings depend on: changes whenever an edition is published or
    withdrawn, or an edition's address changes.

    The count, the newest publication and the latest withdrawal (of one language, or all):
    a new edition raises the id, a withdrawal the time, a deleted article the count. The
    newest address row: every slug change writes one (``edition_slugs.set_slug``).
    """
    newest_slug = select(func.max(EditionSlug.id))
    if language is not None:
        newest_slug = newest_slug.where(EditionSlug.language == language)
    query = select(func.count(Publication.id), func.max(Publication.id),
                   func.max(Publication.withdrawn_at), newest_slug.scalar_subquery())
    if language is not None:
        query = query.where(Publication.language == language)
    count, newest, withdrawn, address = uow.session.execute(query).one()
    return (int(count or 0), int(newest or 0), withdrawn.isoformat() if withdrawn else "",
            int(address or 0))
