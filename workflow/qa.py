"""Quality checks on one translated segment: pure functions, no database.

Errors block approval; warnings may be let through with a reason that is kept. An issue's
message is an English template marked with ``N_`` and its values, as the domain's errors
are (workflow/errors.py): ``message`` is the English, ``translated(gettext)`` the reader's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from workflow import figures
from workflow.errors import N_, Word, Worded

Severity = Literal["error", "warning"]

_PLACEHOLDER = re.compile(r"</?[gx]\d+/?>")
_LETTER = re.compile(r"[^\W\d_]")
MIN_RATIO, MAX_RATIO = 0.4, 2.5
# How a page names each severity, in its reader's language.
SEVERITY_WORDS: dict[str, Word] = {"error": Word(N_("error")), "warning": Word(N_("warning"))}


@dataclass(frozen=True)
class Issue(Worded):
    """One problem found in a segment: ``template`` with ``values`` for its placeholders."""

    check: str
    severity: Severity
    template: str
    values: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Term:
    """A glossary entry as the checks need it."""

    term: str
    translation: str = ""
    do_not_translate: bool = False
    forbidden: bool = False


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE) is not None


def check_segment(source: str, target: str, terms: list[Term] | None = None) -> list[Issue]:
    """Every issue in ``target`` as a translation of ``source``."""
    issues: list[Issue] = []
    src, tgt = source.strip(), target.strip()
    if not tgt:
        return [Issue("untranslated", "error", N_("The segment is empty."))]
    if src and tgt.casefold() == src.casefold() and len(_LETTER.findall(src)) > 3:
        issues.append(Issue("identical", "warning",
                            N_("The target is identical to the source.")))

    gone = figures.missing(src, tgt)
    if gone:
        issues.append(Issue("numbers", "error",
                            N_("Numbers or dates of the source missing in the target: "
                               "%(figures)s"),
                            values={"figures": ", ".join(f.written for f in gone)}))

    src_tags, tgt_tags = Counter(_PLACEHOLDER.findall(src)), Counter(_PLACEHOLDER.findall(tgt))
    if src_tags != tgt_tags:
        lost = sorted((src_tags - tgt_tags).elements())
        extra = sorted((tgt_tags - src_tags).elements())
        missing, unexpected = " ".join(lost), " ".join(extra)
        if lost and extra:
            issues.append(Issue("placeholders", "error",
                                N_("Placeholders changed: missing %(missing)s; unexpected "
                                   "%(unexpected)s."),
                                values={"missing": missing, "unexpected": unexpected}))
        elif lost:
            issues.append(Issue("placeholders", "error",
                                N_("Placeholders changed: missing %(missing)s."),
                                values={"missing": missing}))
        else:
            issues.append(Issue("placeholders", "error",
                                N_("Placeholders changed: unexpected %(unexpected)s."),
                                values={"unexpected": unexpected}))

    for term in terms or []:
        if term.forbidden:
            banned = term.translation or term.term
            if _contains(tgt, banned):
                issues.append(Issue("forbidden", "error",
                                    N_("“%(term)s” is a forbidden term in this language."),
                                    values={"term": banned}))
            continue
        if not _contains(src, term.term):
            continue
        if term.do_not_translate:
            if term.term not in tgt:
                issues.append(Issue("do_not_translate", "error",
                                    N_("“%(term)s” must stay as it is (do not translate)."),
                                    values={"term": term.term}))
        elif term.translation and not _contains(tgt, term.translation):
            issues.append(Issue("glossary", "warning",
                                N_("Glossary: “%(term)s” should be “%(translation)s”."),
                                values={"term": term.term, "translation": term.translation}))

    if len(src) >= 20:
        ratio = len(tgt) / len(src)
        if not MIN_RATIO <= ratio <= MAX_RATIO:
            issues.append(Issue("length", "warning",
                                N_("The target is %(ratio)s× the source's length."),
                                values={"ratio": f"{ratio:.1f}"}))
    return issues
