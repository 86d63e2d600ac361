"""Glossary export, and imports shown as a preview of their changes before they apply."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from sqlalchemy import select

from workflow import audit
from workflow.errors import N_, Conflict, Forbidden, InvalidInput, Unprocessable, Word
from workflow.exchange import glossary_files as files
from workflow.glossary import checked_entry
from workflow.languages import get_language
from workflow.models import GlossaryTerm, User
from workflow.permissions import Action, can
from workflow.uow import UnitOfWork

FORMATS = ("csv", "tbx")
FIELDS = ("translation", "note", "do_not_translate", "forbidden")


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInput(N_("Unknown glossary format %(fmt)r; use csv or tbx."),
                           values={"fmt": fmt}, field="format")
    return fmt


def export_glossary(uow: UnitOfWork, fmt: str, language: str | None = None,
                    source_language: str = "en") -> bytes:
    """The glossary (or one language of it) as CSV or TBX."""
    query = select(GlossaryTerm).order_by(GlossaryTerm.term, GlossaryTerm.language)
    if language:
        query = query.where(GlossaryTerm.language == get_language(language).code)
    entries = [files.Entry(g.term, g.language, g.translation, g.note, g.do_not_translate,
                           g.forbidden) for g in uow.session.scalars(query)]
    if _format(fmt) == "csv":
        return files.write_csv(entries)
    return files.write_tbx(entries, get_language(source_language).code)


@dataclass(frozen=True)
class Change:
    """What an import does to one term: ``add``, ``update`` or nothing (``unchanged``)."""

    action: str
    term: str
    language: str
    before: dict[str, object] | None
    after: dict[str, object]


@dataclass(frozen=True)
class Plan:
    """Every change an import makes, and a digest that names exactly this set of changes."""

    changes: list[Change]
    digest: str

    def count(self, action: str) -> int:
        """How many terms the import would ``add``/``update``/leave ``unchanged``."""
        return sum(1 for c in self.changes if c.action == action)


def _values(g: GlossaryTerm) -> dict[str, object]:
    return {"translation": g.translation, "note": g.note,
            "do_not_translate": g.do_not_translate, "forbidden": g.forbidden}


def plan_import(uow: UnitOfWork, actor: User, data: bytes, fmt: str) -> Plan:
    """What importing ``data`` would change; nothing is written (admins only)."""
    if not can(actor, Action.MANAGE_GLOSSARY):
        raise Forbidden(N_("Only admins manage the glossary."))
    entries = files.read_csv(data) if _format(fmt) == "csv" else files.read_tbx(data)
    if not entries:
        raise Unprocessable(N_("The file has no glossary entries."))
    current = {(g.term, g.language): g for g in uow.session.scalars(select(GlossaryTerm))}
    seen: dict[tuple[str, str], int] = {}
    changes = []
    for e in entries:
        try:
            term, code, translation = checked_entry(e.term, e.language, e.translation,
                                                    e.do_not_translate, e.forbidden)
        except InvalidInput as exc:
            raise Unprocessable(N_("Entry at line %(line)s (%(term)s, %(language)s): %(problem)s"),
                                values={"line": e.line, "term": e.term or Word(N_("no term")),
                                        "language": e.language or Word(N_("no language")),
                                        "problem": exc}, line=e.line) from exc
        if (term, code) in seen:
            raise Unprocessable(N_("Lines %(first)s and %(line)s both give “%(term)s” in "
                                   "%(language)s; keep one."),
                                values={"first": seen[(term, code)], "line": e.line,
                                        "term": term, "language": code}, line=e.line)
        seen[(term, code)] = e.line
        after: dict[str, object] = {"translation": translation, "note": e.note,
                                    "do_not_translate": e.do_not_translate,
                                    "forbidden": e.forbidden}
        old = current.get((term, code))
        before = _values(old) if old is not None else None
        action = "add" if before is None else "unchanged" if before == after else "update"
        changes.append(Change(action, term, code, before, after))
    digest = hashlib.sha256(json.dumps([asdict(c) for c in changes],
                                       sort_keys=True).encode()).hexdigest()
    return Plan(changes, digest)


def apply_import(uow: UnitOfWork, actor: User, data: bytes, fmt: str,
                 expected_digest: str | None = None) -> Plan:
    """Apply an import; with ``expected_digest`` only if it still makes the previewed changes."""
    plan = plan_import(uow, actor, data, fmt)
    if expected_digest is not None and expected_digest != plan.digest:
        raise Conflict(N_("This import no longer makes the changes that were previewed (the "
                          "glossary changed since, or no preview was given); preview it again "
                          "and apply that."), digest=plan.digest)
    current = {(g.term, g.language): g for g in uow.session.scalars(select(GlossaryTerm))}
    for c in plan.changes:
        if c.action == "unchanged":
            continue
        entry = current.get((c.term, c.language))
        if entry is None:
            entry = GlossaryTerm(term=c.term, language=c.language)
            uow.session.add(entry)
        for name in FIELDS:
            setattr(entry, name, c.after[name])
    audit.record(uow.session, "glossary.import", actor=actor,
                 note=f"{plan.count('add')} added, {plan.count('update')} updated from "
                      f"{fmt.upper()}")
    uow.commit()
    return plan
