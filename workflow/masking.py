"""What MT must not change is swapped for numbered tokens before MT and put back after.

Masked: inline-markup placeholders (``<g1>``, ``</g1>``, ``<x1/>``), URLs, e-mail
addresses, do-not-translate terms and numbers. A token that does not come back is
reported, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

OPEN, CLOSE = "⟦", "⟧"
TOKEN = re.compile(r"⟦\s*(\d+)\s*⟧")

_TRAILING = ".,;:!?)]}'\"»”’"
# Chinese and Japanese write a URL or an address straight against the words around it:
# their characters and full-width punctuation end one.
_CJK = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_WORD = rf"(?:(?![{_CJK}])\w)"
_PATTERNS = [
    r"</?g\d+>|<x\d+/>",                                   # inline-markup placeholders
    rf"(?:https?://|www\.)[^\s<>\"⟦⟧{_CJK}]+",              # URLs
    rf"(?<![.+-])(?<!{_WORD})(?:{_WORD}|[.+-])+@(?:{_WORD}|-)+(?:\.(?:{_WORD}|-)+)+",  # e-mails
    r"[⟦⟧]",                                               # our own brackets, if a text has them
]
_NUMBER = r"\d+(?:[.,:/\-–\u066b\u066c]\d+)*"  # Arabic decimal mark and thousands separator
_LINK = re.compile(rf"{_PATTERNS[1]}|{_PATTERNS[2]}")
_GLUED = re.compile(_WORD)


@dataclass(frozen=True)
class Masked:
    """A text with its protected spans replaced by ``⟦n⟧`` tokens (n counts from 1)."""

    text: str
    originals: tuple[str, ...]

    def translatable(self) -> bool:
        """True when something other than tokens, spaces and punctuation is left to translate."""
        return any(ch.isalpha() for ch in TOKEN.sub("", self.text))


@dataclass(frozen=True)
class Unmasked:
    """MT output with the originals restored, and what went wrong doing it."""

    text: str
    missing: tuple[str, ...]
    repeated: tuple[str, ...]


def _pattern(terms: Iterable[str]) -> re.Pattern[str]:
    return _compiled(terms if isinstance(terms, tuple) else tuple(terms))


@lru_cache(maxsize=64)  # a job masks every sentence with the same terms: build it once
def _compiled(terms: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    term_re = [r"(?<!\w)" + re.escape(t) + r"(?!\w)" for t in words]
    return re.compile("|".join([*_PATTERNS[:3], *term_re, _PATTERNS[3], _NUMBER]))


_LITERAL = re.compile("|".join(_PATTERNS[1:3]))


def literals(text: str) -> list[str]:
    """The URLs and e-mail addresses in ``text``, in order, as ``mask`` protects them."""
    found = []
    for m in _LITERAL.finditer(text):
        value = m.group(0)
        found.append(value.rstrip(_TRAILING) if value.startswith(("http", "www.")) else value)
    return found


def mask(text: str, terms: Iterable[str] = ()) -> Masked:
    """Replace placeholders, URLs, e-mails, ``terms`` and numbers with ``⟦1⟧``, ``⟦2⟧``, …"""
    originals: list[str] = []
    out: list[str] = []
    cursor = 0
    for m in _pattern(terms).finditer(text):
        value = m.group(0)
        end = m.end()
        if value.startswith(("http", "www.")):
            stripped = value.rstrip(_TRAILING)
            end -= len(value) - len(stripped)
            value = stripped
        if m.start() < cursor:  # overlapped by a URL we shortened; cannot happen, but be safe
            continue
        out.append(text[cursor:m.start()])
        originals.append(value)
        out.append(f"{OPEN}{len(originals)}{CLOSE}")
        cursor = end
    out.append(text[cursor:])
    return Masked("".join(out), tuple(originals))


def unmask(text: str, masked: Masked) -> Unmasked:
    """Put the originals back in place of their tokens; report tokens lost or repeated."""
    seen: list[int] = []

    def restore(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if not 1 <= n <= len(masked.originals):
            return m.group(0)
        seen.append(n)
        value = masked.originals[n - 1]
        if _LINK.fullmatch(value):  # MT wrote a word against it: keep the link a link
            if _GLUED.match(text, m.end()):
                value += " "
            if "@" in value and m.start() and _GLUED.match(text, m.start() - 1):
                value = " " + value
        return value

    restored = TOKEN.sub(restore, text)
    missing = tuple(v for i, v in enumerate(masked.originals, 1) if i not in seen)
    repeated = tuple(masked.originals[n - 1] for n in sorted(set(seen)) if seen.count(n) > 1)
    return Unmasked(restored, missing, repeated)


def pieces(masked: Masked) -> list[tuple[str, str | None]]:
    """The masked text cut at its tokens: ``(text, None)`` runs and ``("", original)`` spans."""
    out: list[tuple[str, str | None]] = []
    cursor = 0
    for m in TOKEN.finditer(masked.text):
        if m.start() > cursor:
            out.append((masked.text[cursor:m.start()], None))
        out.append(("", masked.originals[int(m.group(1)) - 1]))
        cursor = m.end()
    if cursor < len(masked.text):
        out.append((masked.text[cursor:], None))
    return out
