"""The admin's sources: add, edit, pause, resume, delete, and ask for a poll now."""

from __future__ import annotations

from sqlalchemy import select

from workflow import audit
from workflow.errors import N_, Forbidden, InvalidInput, NotFound
from workflow.languages import get_language
from workflow.models import Source, SourceKind, User, utcnow
from workflow.permissions import Action, can
from workflow.uow import UnitOfWork
from workflow.validation import target_languages


def _admin(actor: User) -> None:
    if not can(actor, Action.MANAGE_SOURCES):
        raise Forbidden(N_("Only admins manage sources."))


def _get(uow: UnitOfWork, actor: User, source_id: int) -> Source:
    _admin(actor)
    source = uow.session.get(Source, source_id)
    if source is None:
        raise NotFound(N_("There is no source %(source_id)s."), values={"source_id": source_id})
    return source


def _optional(value: object, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 200:
        raise InvalidInput(N_("The %(field)s must be text of at most 200 characters."),
                           values={"field": field}, field=field)
    return value.strip() or None


def _fill(source: Source, *, kind: object, name: object, url: object, source_language: object,
          target_languages_: object, category: object, tag: object) -> None:
    if kind not in tuple(SourceKind):
        raise InvalidInput(N_("The kind must be 'feed' (RSS or Atom) or 'wordpress'."),
                           field="kind")
    if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")):
        raise InvalidInput(N_("The source URL must start with http:// or https://."), field="url")
    if len(url.strip()) > 500:
        raise InvalidInput(N_("The source URL is longer than 500 characters."), field="url")
    if not isinstance(source_language, str):
        raise InvalidInput(N_("Pick the language the source is written in."),
                           field="source_language")
    language = get_language(source_language).code
    targets = target_languages(language, target_languages_)
    source.kind = SourceKind(str(kind))
    source.url = url.strip()
    source.name = _optional(name, "name") or source.url
    source.source_language = language
    source.target_languages = ",".join(targets)
    source.category = _optional(category, "category")
    source.tag = _optional(tag, "tag")


def add_source(uow: UnitOfWork, actor: User, **fields: object) -> Source:
    """A new source, due for its first poll now; its articles are submitted as ``actor``."""
    _admin(actor)
    source = Source(created_by_id=actor.id, next_poll_at=utcnow(), failures=0, paused=False)
    _fill(source, **fields)  # type: ignore[arg-type]
    uow.session.add(source)
    uow.session.flush()
    audit.record(uow.session, "source.add", actor=actor, note=f"{source.id}: {source.url}")
    uow.commit()
    return source


def edit_source(uow: UnitOfWork, actor: User, source_id: int, **fields: object) -> Source:
    """Change where a source is and what it becomes (and take it over); imported items stay."""
    source = _get(uow, actor, source_id)
    url_before = source.url
    _fill(source, **fields)  # type: ignore[arg-type]
    source.created_by_id = actor.id  # its articles are submitted as the admin who saved it
    if source.url != url_before:  # the validators belong to the old address
        source.etag = source.last_modified = None
    audit.record(uow.session, "source.edit", actor=actor, note=f"{source.id}: {source.url}")
    uow.commit()
    return source


def set_paused(uow: UnitOfWork, actor: User, source_id: int, paused: bool) -> Source:
    """Stop polling a source, or start again (then at once, errors forgotten)."""
    source = _get(uow, actor, source_id)
    source.paused = paused
    if not paused:
        source.failures = 0
        source.next_poll_at = utcnow()
    audit.record(uow.session, "source.pause" if paused else "source.resume", actor=actor,
                 note=str(source.id))
    uow.commit()
    return source


def poll_soon(uow: UnitOfWork, actor: User, source_id: int) -> Source:
    """Make a source due now: the next beat tick polls it, whatever its backoff."""
    source = _get(uow, actor, source_id)
    source.next_poll_at = utcnow()
    audit.record(uow.session, "source.poll_now", actor=actor, note=str(source.id))
    uow.commit()
    return source


def delete_source(uow: UnitOfWork, actor: User, source_id: int) -> None:
    """Forget a source and its item list; the articles it brought in stay."""
    source = _get(uow, actor, source_id)
    audit.record(uow.session, "source.delete", actor=actor, note=f"{source.id}: {source.url}")
    uow.session.delete(source)
    uow.commit()


def sources(uow: UnitOfWork, actor: User) -> list[Source]:
    """Every source, with how its last poll went."""
    _admin(actor)
    return list(uow.session.scalars(select(Source).order_by(Source.id)))
