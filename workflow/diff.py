"""The word diff: what a text lost and gained against an earlier one, word by word."""

from __future__ import annotations

import difflib
from typing import Literal

Op = Literal["=", "-", "+"]


def word_diff(old: str, new: str) -> list[tuple[Op, str]]:
    """``(op, words)`` pieces: ``"="`` unchanged, ``"-"`` removed, ``"+"`` added."""
    a, b = old.split(), new.split()
    pieces: list[tuple[Op, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("+", " ".join(b[j1:j2])))
    return pieces
