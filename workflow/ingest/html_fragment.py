"""An HTML fragment into blocks, with inline markup as placeholders and hostile parts removed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from workflow.ingest.inline import INLINE_TAGS, Markup, render_inline, safe_href
from workflow.segmentation import Block

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCK_TAGS = HEADINGS | {"p", "li", "blockquote", "figcaption", "caption", "div", "section",
                         "article", "ul", "ol", "figure", "td", "th", "tr", "table", "dd",
                         "dt", "pre", "header", "footer", "main", "aside", "nav", "hr"}
# Everything inside these is dropped; the first three are hostile, the rest never prose.
DROPPED = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg",
           "math", "head", "title", "form", "button", "select", "textarea"}
VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "base", "col",
        "embed", "param", "track"}
_SPACES = re.compile(r"\s+")


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.removed: list[str] = []
        self.containers: list[str] = []
        self.skip_depth = 0
        self.skip_tag = ""
        self._reset()

    def _reset(self) -> None:
        self.parts: list[str] = []
        self.markup: Markup = {}
        self.open_inline: list[tuple[str, str]] = []  # (html tag, placeholder id)
        self.counter = 0
        self.kind: str | None = None

    def _note(self, what: str) -> None:
        if what not in self.removed:
            self.removed.append(what)

    def _kind_here(self, tag: str) -> str:
        if tag in HEADINGS:
            return "heading" if tag != "h1" else "h1"
        if "figcaption" in self.containers or "caption" in self.containers or tag in (
                "figcaption", "caption"):
            return "caption"
        if "blockquote" in self.containers or tag == "blockquote":
            return "quote"
        if "li" in self.containers or tag == "li":
            return "list_item"
        return "paragraph"

    def flush(self) -> None:
        for _, gid in reversed(self.open_inline):
            self.parts.append(f"</{gid}>")
        text = _SPACES.sub(" ", "".join(self.parts)).strip()
        if re.sub(r"</?g\d+>|<x\d+/>", "", text).strip():
            self.blocks.append(Block(self.kind or "paragraph", text, dict(self.markup)))
        self._reset()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth += 1
            return
        for name, value in attrs:
            if name.startswith("on"):
                self._note(f"{name} attribute")
            elif name in ("href", "src") and value and value.strip().lower().startswith(
                    ("javascript:", "vbscript:", "data:")):
                self._note(f"{value.strip().split(':', 1)[0].lower()}: link")
        if tag in DROPPED:
            if tag in ("script", "style", "iframe", "object", "embed"):
                self._note(f"{tag} element")
            if tag not in VOID:
                self.skip_depth, self.skip_tag = 1, tag
            return
        if tag in BLOCK_TAGS:
            self.flush()
            if tag not in VOID:
                self.containers.append(tag)
            self.kind = self._kind_here(tag)
            return
        inline = INLINE_TAGS.get(tag)
        if inline is None:
            return
        self.counter += 1
        if inline == "br":
            gid = f"x{self.counter}"
            self.markup[gid] = {"tag": "br"}
            self.parts.append(f"<{gid}/>")
            return
        gid = f"g{self.counter}"
        spec: dict[str, str] = {"tag": inline}
        if inline == "a":
            href = safe_href(dict(attrs).get("href"))
            if href:
                spec["href"] = href
        self.markup[gid] = spec
        self.open_inline.append((tag, gid))
        self.parts.append(f"<{gid}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.skip_depth:
            self.handle_endtag(tag)
        elif self.skip_depth and self.skip_tag == tag:
            self.skip_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth -= 1
            return
        if tag in BLOCK_TAGS:
            self.flush()
            if tag in self.containers:
                while self.containers and self.containers.pop() != tag:
                    pass
            self.kind = self._kind_here("") if self.containers else None
            return
        for i in range(len(self.open_inline) - 1, -1, -1):
            if self.open_inline[i][0] == tag:
                for _, gid in reversed(self.open_inline[i:]):
                    self.parts.append(f"</{gid}>")
                del self.open_inline[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def parse_fragment(source: str) -> tuple[list[Block], list[str]]:
    """Blocks of an HTML fragment and what was removed from it (script elements, …)."""
    walker = _Walker()
    walker.feed(source)
    walker.close()
    walker.flush()
    return walker.blocks, walker.removed


def render_blocks(blocks: list[Block]) -> str:
    """Canonical HTML for body blocks; :func:`parse_fragment` reads it back to the same blocks."""
    out: list[str] = []
    in_list = False
    for b in blocks:
        inner = render_inline(b.text, b.markup)
        if b.kind == "list_item":
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{inner}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if b.kind in ("heading", "h1"):
            out.append(f"<h2>{inner}</h2>")
        elif b.kind == "quote":
            out.append(f"<blockquote><p>{inner}</p></blockquote>")
        elif b.kind == "caption":
            out.append(f"<figure><figcaption>{inner}</figcaption></figure>")
        else:
            out.append(f"<p>{inner}</p>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out)
