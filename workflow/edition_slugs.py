"""Each edition's own address: a slug per (article, language), unique in that language.

The slug is derived from the edition's title when it is first published (or set by the
publisher before), and then stays: a later title change does not move the page. A slug
the publisher changes is kept as a former address that redirects to the current one.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflow import audit
from workflow.errors import N_, Conflict, Forbidden, InvalidInput, NotFound, Unprocessable
from workflow.languages import get_language
from workflow.models import Article, EditionSlug, Publication, User
from workflow.permissions import Action, can
from workflow.queries import get_article
from workflow.slugs import slugify, unique_slug
from workflow.uow import UnitOfWork


def current_slug(session: Session, article_id: int, language: str) -> str | None:
    """The edition's address now, if it has one."""
    return session.scalar(select(EditionSlug.slug).where(
        EditionSlug.article_id == article_id, EditionSlug.language == language,
        EditionSlug.current.is_(True)))


def resolve(session: Session, language: str, slug: str) -> EditionSlug | None:
    """The slug row an address names, current or former."""
    return session.scalars(select(EditionSlug).where(EditionSlug.language == language,
                                                     EditionSlug.slug == slug)).one_or_none()


def _taken(session: Session, language: str, base: str) -> set[str]:
    return set(session.scalars(select(EditionSlug.slug).where(
        EditionSlug.language == language, EditionSlug.slug.like(f"{base}%"))))


def proposed_slug(session: Session, article: Article, language: str, title: str) -> str:
    """The slug the edition has, or would get from ``title`` if published now."""
    existing = current_slug(session, article.id, language)
    if existing is not None:
        return existing
    # The source edition keeps the address the article was born with.
    base = article.slug if language == article.source_language else slugify(title, language)
    return unique_slug(base, _taken(session, language, base))


def ensure_slug(session: Session, article: Article, language: str, title: str) -> str:
    """Give the edition its slug if it has none yet (at first publication)."""
    existing = current_slug(session, article.id, language)
    if existing is not None:
        return existing
    slug = proposed_slug(session, article, language, title)
    session.add(EditionSlug(article_id=article.id, language=language, slug=slug))
    session.flush()
    return slug


def set_slug(uow: UnitOfWork, actor: User, article_id: int, language: str,
             raw: object) -> str:
    """The publisher's own slug for an edition; the former one keeps redirecting here."""
    if not can(actor, Action.PUBLISH):
        raise Forbidden(N_("Only publishers choose an edition's address."))
    article = get_article(uow.session, article_id, actor)
    code = get_language(language).code
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput(N_("Give the slug as text, e.g. presupuesto-aprobado."), field="slug")
    slug = slugify(raw, code, max_length=120)
    if slug == "article" and "article" not in raw.lower():
        raise Unprocessable(N_("The slug has no letters or digits; write words."), field="slug")
    rows = list(uow.session.scalars(select(EditionSlug).where(EditionSlug.language == code,
                                                              EditionSlug.slug == slug)))
    if rows and rows[0].article_id != article.id:
        raise Conflict(N_("/%(code)s/%(slug)s is the address of another article; choose another."),
                       values={"code": code, "slug": slug},
                       field="slug")
    if code != article.source_language and code not in {t.language
                                                        for t in article.translations}:
        raise NotFound(N_("Article %(article)s has no %(code)s edition."),
                       values={"article": article.id, "code": code})
    uow.session.execute(update(EditionSlug).where(
        EditionSlug.article_id == article.id, EditionSlug.language == code)
        .values(current=False).execution_options(synchronize_session=False))
    if rows:  # going back to a former address: it is written anew, so that the public
        # pages' ETags (``editions_stamp``: the newest address row) change with it
        uow.session.delete(rows[0])
        uow.session.flush()
    uow.session.add(EditionSlug(article_id=article.id, language=code, slug=slug))
    audit.record(uow.session, "edition.slug", actor=actor, article_id=article.id,
                 note=f"{code} address is now /{code}/{slug}")
    uow.commit()
    return slug



def live_addresses_of(session: Session, article_ids: set[int]) -> dict[int, dict[str, str]]:
    """The current slug of each live edition of each article, by language (one query)."""
    found: dict[int, dict[str, str]] = {}
    if not article_ids:
        return found
    rows = session.execute(
        select(EditionSlug.article_id, EditionSlug.language, EditionSlug.slug).distinct()
        .join(Publication, (Publication.article_id == EditionSlug.article_id)
              & (Publication.language == EditionSlug.language))
        .where(EditionSlug.article_id.in_(sorted(article_ids)), EditionSlug.current.is_(True),
               Publication.withdrawn_at.is_(None)))
    for article_id, language, slug in rows:
        found.setdefault(article_id, {})[language] = slug
    return found


def live_addresses(session: Session, article_id: int) -> dict[str, str]:
    """The current slug of each live edition of the article, by language (one query)."""
    return live_addresses_of(session, {article_id}).get(article_id, {})


def hreflang_of(live: dict[str, str], source_language: str) -> dict[str, tuple[str, str]]:
    """Each live edition's (language, slug) by hreflang value, plus ``x-default``: the
    source edition when it is live, else the first."""
    found = {lang: (lang, slug) for lang, slug in live.items()}
    if found:
        found["x-default"] = found.get(source_language) or found[sorted(found)[0]]
    return found


def hreflang_set(session: Session, article_id: int,
                 source_language: str) -> dict[str, tuple[str, str]]:
    """``hreflang_of`` the article's live editions (one query)."""
    return hreflang_of(live_addresses(session, article_id), source_language)
