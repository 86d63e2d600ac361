"""Inline markup as numbered placeholders: ``<g1>…</g1>`` (paired) and ``<x1/>`` (standalone).

A segment's text carries only the placeholders; the real markup (tag name, href) lives
beside it, so MT and reviewers never see or break an attribute, and it comes back in place.
"""

from __future__ import annotations

import html
import re
from typing import Any

Markup = dict[str, dict[str, Any]]
"""Placeholder id (``g1``, ``x2``) → ``{"tag": "strong"}`` or ``{"tag": "a", "href": …}``."""

PLACEHOLDER = re.compile(r"<(/?)(g\d+)>|<(x\d+)/>")
INLINE_TAGS = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "a": "a", "br": "br"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def safe_href(href: str | None) -> str | None:
    """The link target if it is absolute http(s)/mailto or site-relative; None otherwise."""
    if not href:
        return None
    value = "".join(ch for ch in href.strip() if ch.isprintable() and not ch.isspace())
    lowered = value.lower()
    if lowered.startswith(SAFE_SCHEMES) or (value.startswith("/") and not value.startswith("//")):
        return value
    return None


def render_inline(text: str, markup: Markup | None) -> str:
    """HTML for a segment's text: text escaped, placeholders replaced by their real tags.

    Placeholders the markup does not know (say, invented by MT) are dropped; unbalanced
    ones are closed, so the result is always well-formed.
    """
    markup = markup or {}
    out: list[str] = []
    open_stack: list[str] = []
    pos = 0
    for match in PLACEHOLDER.finditer(text):
        out.append(html.escape(text[pos:match.start()], quote=False))
        pos = match.end()
        closing, gid, xid = match.groups()
        if xid:
            if markup.get(xid, {}).get("tag") == "br":
                out.append("<br>")
            continue
        spec = markup.get(gid)
        if spec is None:
            continue
        tag = spec["tag"]
        if closing:
            if gid in open_stack:
                while open_stack:
                    top = open_stack.pop()
                    out.append(f"</{markup[top]['tag']}>")
                    if top == gid:
                        break
            continue
        if tag == "a":
            href = safe_href(spec.get("href"))
            out.append(f'<a href="{html.escape(href)}">' if href else "<a>")
        else:
            out.append(f"<{tag}>")
        open_stack.append(gid)
    out.append(html.escape(text[pos:], quote=False))
    while open_stack:
        out.append(f"</{markup[open_stack.pop()]['tag']}>")
    return "".join(out)


def strip_placeholders(text: str) -> str:
    """The segment's words without any placeholder, for titles, feeds and plain text."""
    return PLACEHOLDER.sub("", text)
