"""A segment's protected spans as inline codes a CAT tool shows as tags and will not edit.

The desk writes inline markup as ``<g1>…</g1>`` and ``<x1/>`` placeholders; URLs and
e-mail addresses are plain text that MT must not touch (see ``masking``). Here both become
codes with ids: ``g1``/``x1`` for placeholders, ``u1``, ``u2``… for the URLs and e-mails of
the source, numbered in source order. Numbers stay text: a translator may have to write
95,000 as 95 000 or 9.5万, and the QA check on numbers compares them after import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflow.masking import literals

_PLACEHOLDER = re.compile(r"<(/?)g(\d+)>|<x(\d+)/>")


@dataclass(frozen=True)
class Code:
    """One inline code: ``open``/``close`` of a paired tag, ``empty`` tag, or ``literal``."""

    kind: str
    id: str
    value: str = ""  # the URL or e-mail a literal stands for


Piece = str | Code


def literal_ids(source: str) -> dict[str, str]:
    """The source's URLs and e-mails, each with its code id (``u1``, ``u2``…)."""
    ids: dict[str, str] = {}
    for value in literals(source):
        ids.setdefault(value, f"u{len(ids) + 1}")
    return ids


def pieces(text: str, literal_id: dict[str, str]) -> list[Piece]:
    """``text`` cut into plain runs and codes."""
    alternatives = [_PLACEHOLDER.pattern]
    alternatives += [re.escape(v) for v in sorted(literal_id, key=len, reverse=True)]
    out: list[Piece] = []
    cursor = 0
    for m in re.finditer("|".join(alternatives), text):
        if m.start() > cursor:
            out.append(text[cursor:m.start()])
        if m.group(2):
            out.append(Code("close" if m.group(1) else "open", f"g{m.group(2)}"))
        elif m.group(3):
            out.append(Code("empty", f"x{m.group(3)}"))
        else:
            out.append(Code("literal", literal_id[m.group(0)], m.group(0)))
        cursor = m.end()
    if cursor < len(text):
        out.append(text[cursor:])
    return out


def balanced(parts: list[Piece]) -> set[int]:
    """Indexes of the open/close codes that pair up properly (the others stand alone)."""
    stack: list[tuple[int, str]] = []
    paired: set[int] = set()
    for i, p in enumerate(parts):
        if isinstance(p, Code) and p.kind == "open":
            stack.append((i, p.id))
        elif isinstance(p, Code) and p.kind == "close" and stack and stack[-1][1] == p.id:
            paired.update((stack.pop()[0], i))
    return paired


def placeholder(code: Code) -> str:
    """The desk's own text for a code."""
    if code.kind == "open":
        return f"<{code.id}>"
    if code.kind == "close":
        return f"</{code.id}>"
    if code.kind == "empty":
        return f"<{code.id}/>"
    return code.value


def known_ids(source: str) -> dict[str, str]:
    """Every code id of ``source`` → the kind of code it is (``paired``/``empty``/``literal``)."""
    ids: dict[str, str] = {}
    for m in _PLACEHOLDER.finditer(source):
        if m.group(2):
            ids[f"g{m.group(2)}"] = "paired"
        else:
            ids[f"x{m.group(3)}"] = "empty"
    for code_id in literal_ids(source).values():
        ids[code_id] = "literal"
    return ids
