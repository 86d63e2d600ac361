"""The glossary: admins keep terms; the checks and the workspace read them."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.errors import N_, Forbidden, InvalidInput, NotFound
from workflow.languages import get_language
from workflow.models import GlossaryTerm, User
from workflow.permissions import Action, can
from workflow.qa import Term
from workflow.uow import UnitOfWork


def all_terms(session: Session) -> list[GlossaryTerm]:
    """Every glossary entry, by language and term."""
    return list(session.scalars(
        select(GlossaryTerm).order_by(GlossaryTerm.language, GlossaryTerm.term)))


def terms_for(session: Session, language: str) -> list[GlossaryTerm]:
    """The glossary entries of ``language``, longest term first."""
    rows = session.scalars(select(GlossaryTerm).where(GlossaryTerm.language == language))
    return sorted(rows, key=lambda g: (-len(g.term), g.term.lower()))


def qa_terms(entries: list[GlossaryTerm]) -> list[Term]:
    """The entries as the QA checks take them."""
    return [Term(g.term, g.translation, g.do_not_translate, g.forbidden) for g in entries]


def term_spans(source: str, entries: list[GlossaryTerm]) -> list[tuple[str, str | None]]:
    """``source`` cut into pieces: ``(text, None)``, or ``(term, hint)`` for a glossary term.

    The hint is the term's rendering (or "do not translate") and its note; forbidden
    terms are not offered. The pieces join back into ``source``.
    """
    usable = [g for g in entries if not g.forbidden]
    if not usable:
        return [(source, None)] if source else []
    by_term = {g.term.casefold(): g for g in usable}
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(g.term) for g in usable) + r")(?!\w)", re.IGNORECASE)
    out: list[tuple[str, str | None]] = []
    last = 0
    for m in pattern.finditer(source):
        g = by_term[m.group(1).casefold()]
        hint = "do not translate" if g.do_not_translate else g.translation
        if g.note:
            hint += f" — {g.note}"
        if m.start() > last:
            out.append((source[last:m.start()], None))
        out.append((m.group(1), hint))
        last = m.end()
    if last < len(source):
        out.append((source[last:], None))
    return out


def checked_entry(term: str, language: str, translation: str, do_not_translate: bool,
                  forbidden: bool) -> tuple[str, str, str]:
    """``(term, language code, translation)`` trimmed, or an error saying what to fix."""
    term, translation = term.strip(), translation.strip()
    if not term or len(term) > 200:
        raise InvalidInput(N_("The term must have 1 to 200 characters."), field="term")
    if len(translation) > 200:
        raise InvalidInput(N_("The translation must have at most 200 characters."),
                           field="translation")
    code = get_language(language).code
    if not (translation or do_not_translate or forbidden):
        raise InvalidInput(N_("Give the term's translation, or mark it do-not-translate or "
                              "forbidden."), field="translation")
    return term, code, translation


def add_term(uow: UnitOfWork, actor: User, *, term: str, language: str, translation: str = "",
             do_not_translate: bool = False, forbidden: bool = False,
             note: str = "") -> GlossaryTerm:
    """Add or replace the entry for ``term`` in ``language`` (admins only)."""
    if not can(actor, Action.MANAGE_GLOSSARY):
        raise Forbidden(N_("Only admins manage the glossary."))
    term, code, translation = checked_entry(term, language, translation, do_not_translate,
                                            forbidden)
    entry = uow.session.scalars(select(GlossaryTerm).where(
        GlossaryTerm.term == term, GlossaryTerm.language == code)).one_or_none()
    if entry is None:
        entry = GlossaryTerm(term=term, language=code)
        uow.session.add(entry)
    entry.translation, entry.do_not_translate = translation, do_not_translate
    entry.forbidden, entry.note = forbidden, note.strip()
    uow.commit()
    return entry


def delete_term(uow: UnitOfWork, actor: User, term_id: int) -> None:
    """Remove a glossary entry (admins only)."""
    if not can(actor, Action.MANAGE_GLOSSARY):
        raise Forbidden(N_("Only admins manage the glossary."))
    entry = uow.session.get(GlossaryTerm, term_id)
    if entry is None:
        raise NotFound(N_("No glossary entry %(term_id)s."), values={"term_id": term_id})
    uow.session.delete(entry)
    uow.commit()
