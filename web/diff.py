"""The workspace's marked-up text as safe HTML: the word diff (``workflow.diff``) with removed
words in <del> and added in <ins>, and the glossary terms in the source in <mark>."""

from __future__ import annotations

import html

from markupsafe import Markup, escape

from workflow.diff import word_diff

_TAGS = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}


def diff_html(old: str, new: str) -> Markup:
    """``old`` → ``new`` as HTML, every word escaped."""
    return Markup(" ".join(_TAGS[op].format(escape(words)) for op, words in word_diff(old, new)))


def glossary_marks(spans: list[tuple[str, str | None]]) -> Markup:
    """Source pieces (``workflow.glossary.term_spans``) with terms in <mark> and their hint
    on hover; everything escaped."""
    return Markup("".join(
        html.escape(text) if hint is None
        else f'<mark class="term" title="{html.escape(hint)}">{html.escape(text)}</mark>'
        for text, hint in spans))
