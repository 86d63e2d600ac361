"""Exporting the translation memory as TMX, and importing other tools' TMX files."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from workflow.errors import N_, Forbidden
from workflow.exchange import tmx
from workflow.languages import LANGUAGES, get_language
from workflow.memory import source_key
from workflow.models import MemoryEntry, User, utcnow
from workflow.permissions import Action, can, memory_languages
from workflow.uow import UnitOfWork


def export_tmx(uow: UnitOfWork, actor: User, source: str | None = None,
               target: str | None = None) -> bytes:
    """The memory as TMX 1.4: one language pair, one side of it, or all of it.

    Reviewers get the pairs into their own languages; editors, publishers and admins all.
    """
    query = select(MemoryEntry).order_by(MemoryEntry.id)
    if source:
        query = query.where(MemoryEntry.source_language == get_language(source).code)
    if target:
        query = query.where(MemoryEntry.target_language == get_language(target).code)
    languages = memory_languages(actor)
    if languages is not None:
        if not languages:
            raise Forbidden(N_("Only the desk's staff export the translation memory."))
        query = query.where(MemoryEntry.target_language.in_(sorted(languages)))
    units = [tmx.Unit(e.source_language, e.target_language, e.source_text, e.target_text,
                      e.at, e.created_by, e.changed_at) for e in uow.session.scalars(query)]
    return tmx.write(units, get_language(source).code if source else None, utcnow())


@dataclass
class TmxReport:
    """What a TMX import did: counts, and the units it skipped because ours were newer."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_newer: int = 0
    skipped_languages: list[str] = field(default_factory=list)


def import_tmx(uow: UnitOfWork, actor: User, data: bytes) -> TmxReport:
    """Add a TMX file's units to the memory; duplicates are merged, newer entries kept.

    An existing entry is replaced only when the file's unit changed after it did.
    """
    if not can(actor, Action.MANAGE_MEMORY):
        raise Forbidden(N_("Only admins import translation memories."))
    units = tmx.read(data)
    report = TmxReport()
    known: dict[tuple[str, str, str], MemoryEntry] = {}
    for u in units:
        pair = (u.source_language, u.target_language)
        if not all(code in LANGUAGES for code in pair):
            bad = next(c for c in pair if c not in LANGUAGES)
            if bad not in report.skipped_languages:
                report.skipped_languages.append(bad)
            continue
        key = (*pair, source_key(u.source))
        entry = known.get(key) or uow.session.scalars(select(MemoryEntry).where(
            MemoryEntry.source_language == key[0], MemoryEntry.target_language == key[1],
            MemoryEntry.source_key == key[2])).one_or_none()
        when = u.changed_at or u.created_at
        if entry is None:
            entry = MemoryEntry(source_language=key[0], target_language=key[1],
                                source_key=key[2], source_text=u.source, target_text=u.target,
                                at=u.created_at, created_by=u.created_by,
                                changed_at=u.changed_at)
            uow.session.add(entry)
            report.added += 1
        elif entry.target_text == u.target:
            report.unchanged += 1
        elif when > entry.last_changed:
            entry.target_text, entry.created_by = u.target, u.created_by
            entry.changed_at, entry.translation_id = when, None
            report.updated += 1
        else:
            report.kept_newer += 1
        known[key] = entry
    uow.commit()
    return report
