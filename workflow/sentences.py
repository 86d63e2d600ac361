"""Paragraphs into sentences and back with the original spacing; over-long ones into clauses."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from workflow.engine import SegmentTooLong


@dataclass(frozen=True)
class Sentence:
    """One sentence with the whitespace around it, so the paragraph can be rebuilt exactly."""

    before: str
    text: str
    after: str


def split_sentences(paragraph: str, language: str) -> list[Sentence]:
    """The sentences of ``paragraph`` (sentencex); joining them gives the paragraph back."""
    from sentencex import segment

    try:
        parts = [p.strip() for p in segment(language, paragraph) if p.strip()]
    except Exception:  # an unknown language code: sentencex falls back poorly, keep it whole
        parts = [paragraph.strip()]
    sentences: list[Sentence] = []
    cursor = 0
    for part in parts:
        start = paragraph.find(part, cursor)
        if start < 0:  # the segmenter changed the text: do not guess, keep the paragraph whole
            return _whole(paragraph)
        sentences.append(Sentence(paragraph[cursor:start], part, ""))
        cursor = start + len(part)
    if not sentences:
        return _whole(paragraph)
    last = sentences[-1]
    sentences[-1] = Sentence(last.before, last.text, paragraph[cursor:])
    return sentences


def _whole(paragraph: str) -> list[Sentence]:
    core = paragraph.strip()
    start = paragraph.find(core) if core else len(paragraph)
    return [Sentence(paragraph[:start], core, paragraph[start + len(core):])]


def join_sentences(sentences: list[Sentence], texts: list[str]) -> str:
    """Put translated sentence texts back between the original spacing."""
    return "".join(s.before + t + s.after for s, t in zip(sentences, texts, strict=True))


_CLAUSE = re.compile(r"(?<=[,;:—–)])\s+|\s+(?=[—–(])")
_WORD = re.compile(r"\s+")


def split_long(text: str, count: Callable[[str], int], limit: int) -> list[tuple[str, str]]:
    """Cut ``text`` into ``(piece, following whitespace)`` that each fit ``limit`` tokens.

    Clause boundaries (after , ; : and around dashes and brackets) come first, word
    boundaries only when a clause is still too long; nothing is ever dropped.
    """
    if count(text) <= limit:
        return [(text, "")]
    for pattern in (_CLAUSE, _WORD):
        cuts = [(m.start(), m.end()) for m in pattern.finditer(text)]
        if cuts:
            middle = len(text) / 2
            start, end = min(cuts, key=lambda c: abs(c[0] - middle))
            left = split_long(text[:start], count, limit)
            right = split_long(text[end:], count, limit)
            head, gap = left[-1]
            return [*left[:-1], (head, gap + text[start:end]), *right]
    raise SegmentTooLong(
        f"A single word of {len(text)} characters is longer than the model's limit of "
        f"{limit} tokens: {text[:40]}…"
    )
