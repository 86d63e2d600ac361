"""The workspace's marked-up text: a word diff of MT against the current text, and the
glossary terms in the source, as safe HTML."""

from __future__ import annotations

import difflib
import html
import re

from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(before: str, after: str) -> Markup:
    """``before`` → ``after`` with removed words in <del> and added words in <ins>."""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(out))


def glossary_marks(spans: list[tuple[str, str | None]]) -> Markup:
    """Source pieces (``workflow.glossary.term_spans``) with terms in <mark> and their hint
    on hover; everything escaped."""
    return Markup("".join(
        html.escape(text) if hint is None
        else f'<mark class="term" title="{html.escape(hint)}">{html.escape(text)}</mark>'
        for text, hint in spans))
