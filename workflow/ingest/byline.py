"""A byline line: who wrote the article, when, and where it first ran.

A page copy writes it in many ways: ``By NAME · 2026-11-20 · Source: PUB``,
``作者：NAME　2026年11月20日　来源：PUB``, ``بقلم NAME، ٢٠ نوفمبر ٢٠٢٦``,
``Par NAME, le 20 novembre 2026``. The line is cut at its labels and dates; every piece
of it must be one of them (or the source that follows a date), or it is not a byline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflow.ingest.dates import find_dates
from workflow.ingest.page_words import LABEL, SEPARATORS
from workflow.segmentation import cjk_count

MAX_LINE = 300
MAX_VALUE = 80
_EDGES = " \t\u3000:：-" + SEPARATORS
_AUTHOR = {"author_colon", "author_bare", "author_cjk", "author_slash"}
_SOURCE = {"source", "source_cjk"}
_CLAUSE = re.compile(r"[，。！？；!?;؟]")


@dataclass
class Byline:
    """Author, ISO date and source, as far as a line (or a few) told them."""

    author: str = ""
    date: str = ""
    source: str = ""

    def anchors(self) -> bool:
        """Enough to be sure this is a byline, not a sentence that happens to hold a date."""
        return bool((self.date and (self.author or self.source)) or (self.author and self.source))

    def add(self, other: Byline) -> None:
        """Fill the fields still empty from ``other`` (the next line of the same byline)."""
        self.author = self.author or other.author
        self.date = self.date or other.date
        self.source = self.source or other.source


@dataclass
class _Span:
    start: int
    end: int
    kind: str
    iso: str = ""


def _clean(text: str) -> str:
    return text.strip(_EDGES)


def _joined(gap: str) -> bool:
    """Whether ``gap`` (text between two fields) begins with a real break, not one space."""
    rest = gap.lstrip(" \t")
    return len(gap) - len(rest) >= 2 or (bool(rest) and rest[0] in SEPARATORS + "\u3000-")


def _ends_joined(gap: str) -> bool:
    return _joined(gap[::-1])


def _spans(line: str) -> list[_Span]:
    found = [_Span(s, e, "date", iso) for s, e, iso in find_dates(line)]
    found += [_Span(m.start(), m.end(), m.lastgroup or "") for m in LABEL.finditer(line)]
    found.sort(key=lambda s: (s.start, -s.end))
    spans: list[_Span] = []
    for span in found:
        if spans and span.start < spans[-1].end:
            continue
        # "Par", "Por", "By" open a byline only at its start or after a break: inside a
        # name ("Ludwig von Mises") they are part of it.
        if span.kind == "author_bare" and _clean(line[:span.start]) and not _ends_joined(
                line[:span.start]):
            continue
        spans.append(span)
    # "le", "Published", "发布时间" count only right before a date.
    return [s for i, s in enumerate(spans) if s.kind != "dated" or (
        i + 1 < len(spans) and spans[i + 1].kind == "date"
        and not _clean(line[s.end:spans[i + 1].start]))]


def _looks_like_a_name(value: str) -> bool:
    """A name or a publication, not a clause: short, unpunctuated, capitalised where cased."""
    if not value or len(value) > MAX_VALUE or len(value.split()) > 8:
        return False
    if cjk_count(value) > 20 or _CLAUSE.search(value) or value[-1] in ".:":
        return False
    first = next((ch for ch in value if ch.isalpha()), "")
    return not first or first.upper() == first.lower() or first.isupper()


def parse_byline(line: str) -> Byline | None:
    """The author, date and source that ``line`` holds, or None when it is something else."""
    if len(line) > MAX_LINE:
        return None
    spans = _spans(line)
    if not spans or _clean(line[:spans[0].start]):
        return None
    found = Byline()
    authors: list[str] = []
    for i, span in enumerate(spans):
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        gap = line[span.end:nxt.start if nxt else len(line)]
        value = _clean(gap)
        if span.kind == "date":
            found.date = found.date or span.iso
            if value:  # "By A · 2026-03-14 · Daily Ledger": the unlabelled field after a date
                if (not authors or found.source or not _joined(gap)
                        or not _looks_like_a_name(value)):
                    return None
                found.source = value
        elif span.kind in _AUTHOR:
            if not _looks_like_a_name(value):
                return None
            if (span.kind == "author_bare" and nxt is not None and nxt.kind == "date"
                    and not _ends_joined(gap)):
                return None  # "By the end of 2026-03-14 …" is a sentence
            authors.append(value)
        elif span.kind in _SOURCE:
            if not value or len(value) > MAX_VALUE:
                return None
            found.source = found.source or value
    found.author = ", ".join(dict.fromkeys(authors))
    return found
