"""Quality checks on one translated segment: pure functions, no database.

Errors block approval; warnings may be let through with a reason that is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# A number with optional grouping/decimal separators: 95,000 · 95 000 · 95.000 · 3,5 · 2024
_NUMBER = re.compile(r"\d+(?:[.,]\d+|[\u00a0\u202f ]\d{3}(?!\d))*")
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


def _canonical(token: str) -> str:
    """A number in a locale-free form: 95,000 / 95 000 / 95.000 → 95000; 3,5 → 3.5."""
    parts = re.split(r"[.,\u00a0\u202f ]", token)
    seps = re.findall(r"[.,\u00a0\u202f ]", token)
    if not seps:
        return str(int(token))
    grouped = all(len(p) == 3 for p in parts[1:])
    if grouped and len(set(seps)) == 1:
        return str(int("".join(parts)))
    if not grouped and len(parts) == 2:  # 3,5 or 3.5: a decimal
        return f"{int(parts[0])}.{parts[1]}"
    # Mixed separators (1.234,5 / 1,234.5): the last one is the decimal mark.
    return f"{int(''.join(parts[:-1]))}.{parts[-1]}"


def numbers(text: str) -> Counter[str]:
    """The numbers in ``text`` (dates too, by their parts), in a locale-free form."""
    found: Counter[str] = Counter()
    for match in _NUMBER.finditer(_PLACEHOLDER.sub(" ", text)):
        token = match.group().strip()
        found[_canonical(token)] += 1
    return found


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

    missing = numbers(src) - numbers(tgt)
    if missing:
        written = {_canonical(m.group()): m.group()
                   for m in _NUMBER.finditer(_PLACEHOLDER.sub(" ", src))}
        issues.append(Issue("numbers", "error",
                            "Numbers or dates of the source missing in the target: "
                            + ", ".join(written[n] for n in sorted(missing.elements()))))

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
