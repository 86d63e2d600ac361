"""Paragraphs into sentences and back with the original spacing; over-long ones into clauses."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from workflow.engine import SegmentTooLong
from workflow.errors import N_


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
    return _keep_attributions(sentences) if language.split("-")[0] in _QUOTE_FIRST else sentences


# Chinese and Japanese news open a sentence with the quote and end it with who said it,
# “……。”一位摊主说。 — the full stop inside the quote does not end the sentence.
_QUOTE_FIRST = {"zh", "ja"}
_OPENING, _CLOSING = "“「『\"", "”」』\""


def _keep_attributions(sentences: list[Sentence]) -> list[Sentence]:
    out: list[Sentence] = []
    for s in sentences:
        prev = out[-1] if out else None
        if (prev is not None and prev.text[:1] in _OPENING and prev.text[-1:] in _CLOSING
                and s.text[:1] not in _OPENING):
            out[-1] = Sentence(prev.before, prev.text + prev.after + s.before + s.text, s.after)
        else:
            out.append(s)
    return out


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
    boundaries when a clause is still too long, and where the model's tokens end when a
    single word is (a long URL, a run of digits); nothing is ever dropped.
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
    return _cut_tokens(text, count, limit)


def _cut_tokens(text: str, count: Callable[[str], int], limit: int) -> list[tuple[str, str]]:
    """Cut a text with no space in it where the longest prefix that fits ``limit`` ends.

    The prefix is found by bisection on its length in characters and checked with
    ``count`` (the model's own tokenizer), so each piece ends where the model's tokens do.
    """
    pieces: list[tuple[str, str]] = []
    rest = text
    while count(rest) > limit:
        low, high = 0, len(rest) - 1
        while low < high:  # the longest prefix of ``rest`` that fits
            mid = (low + high + 1) // 2
            if count(rest[:mid]) <= limit:
                low = mid
            else:
                high = mid - 1
        if low == 0:
            raise SegmentTooLong(
                N_("The model's limit of %(limit)s tokens cannot hold even one character of "
                   "%(text)s…"), values={"limit": limit, "text": rest[:40]})
        pieces.append((rest[:low], ""))
        rest = rest[low:]
    return [*pieces, (rest, "")]
