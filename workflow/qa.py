"""Quality checks on one translated segment: pure functions, no database.

Errors block approval; warnings may be let through with a reason that is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from workflow import figures

Severity = Literal["error", "warning"]

_PLACEHOLDER = re.compile(r"</?[gx]\d+/?>")
_LETTER = re.compile(r"[^\W\d_]")
MIN_RATIO, MAX_RATIO = 0.4, 2.5


@dataclass(frozen=True)
class Issue:
    """One problem found in a segment."""

    check: str
    severity: Severity
    message: str


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
        return [Issue("untranslated", "error", "The segment is empty.")]
    if src and tgt.casefold() == src.casefold() and len(_LETTER.findall(src)) > 3:
        issues.append(Issue("identical", "warning", "The target is identical to the source."))

    gone = figures.missing(src, tgt)
    if gone:
        issues.append(Issue("numbers", "error",
                            "Numbers or dates of the source missing in the target: "
                            + ", ".join(f.written for f in gone)))

    src_tags, tgt_tags = Counter(_PLACEHOLDER.findall(src)), Counter(_PLACEHOLDER.findall(tgt))
    if src_tags != tgt_tags:
        lost = sorted((src_tags - tgt_tags).elements())
        extra = sorted((tgt_tags - src_tags).elements())
        detail = "; ".join(filter(None, [f"missing {' '.join(lost)}" if lost else "",
                                         f"unexpected {' '.join(extra)}" if extra else ""]))
        issues.append(Issue("placeholders", "error", f"Placeholders changed: {detail}."))

    for term in terms or []:
        if term.forbidden:
            banned = term.translation or term.term
            if _contains(tgt, banned):
                issues.append(Issue("forbidden", "error",
                                    f"“{banned}” is a forbidden term in this language."))
            continue
        if not _contains(src, term.term):
            continue
        if term.do_not_translate:
            if term.term not in tgt:
                issues.append(Issue("do_not_translate", "error",
                                    f"“{term.term}” must stay as it is (do not translate)."))
        elif term.translation and not _contains(tgt, term.translation):
            issues.append(Issue("glossary", "warning",
                                f"Glossary: “{term.term}” should be “{term.translation}”."))

    if len(src) >= 20:
        ratio = len(tgt) / len(src)
        if not MIN_RATIO <= ratio <= MAX_RATIO:
            issues.append(Issue("length", "warning",
                                f"The target is {ratio:.1f}× the source's length."))
    return issues
