"""The word diff (``workflow.diff``) as safe HTML: removed words in <del>, added in <ins>."""

from __future__ import annotations

from markupsafe import Markup, escape

from workflow.diff import word_diff

_TAGS = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}


def diff_html(old: str, new: str) -> Markup:
    """``old`` → ``new`` as HTML, every word escaped."""
    return Markup(" ".join(_TAGS[op].format(escape(words)) for op, words in word_diff(old, new)))
