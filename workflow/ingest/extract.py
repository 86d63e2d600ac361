"""One entry point: raw input and a format (or ``auto``) in, headline, metadata and blocks out."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from workflow.errors import N_, InvalidInput, NoHeadline, Unprocessable
from workflow.ingest.html_fragment import parse_fragment
from workflow.ingest.newscopy import find_byline, parse_news_copy
from workflow.segmentation import Block, split_plain_text

FORMATS = ("auto", "text", "markdown", "html", "html_page", "news")
# The metadata kept untranslated beside a version; an editor may correct each of them.
TEXT_META_FIELDS = ("standfirst", "author", "date", "source")
META_FIELDS = (*TEXT_META_FIELDS, "credits")
_PAGE = re.compile(r"^\s*(<!doctype\s+html|<html[\s>])", re.IGNORECASE)
# Each run below stops at the character that would start a new match ("<", "[", "("), so a
# search is linear even on 200,000 characters of "<p <p <p" or "[[[[".
_TAG = re.compile(r"<(p|h[1-6]|ul|ol|li|div|blockquote|em|strong|b|i|a|br|span|figure|"
                  r"script|iframe|img|section|article)\b[^<>]*>", re.IGNORECASE)
_MARKDOWN = re.compile(r"^(#{1,6} |[-*+] |\d+\. |> )|\*\*[^*]+\*\*|"
                       r"\[[^\[\]]+\]\([^()\s]+\)|(^|\s)_[^_\s][^_]*_(\s|$)", re.MULTILINE)


@dataclass
class Extraction:
    """What ingestion found: the translatable parts and the metadata kept as it is."""

    format: str
    headline: str = ""
    standfirst: str = ""
    author: str = ""
    date: str = ""
    source: str = ""
    credits: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def meta(self) -> dict[str, Any]:
        """The metadata that is stored untranslated beside the version."""
        return {**{k: getattr(self, k) for k in TEXT_META_FIELDS},
                "credits": list(self.credits)}

    @property
    def notices(self) -> list[dict[str, str]]:
        """What the editor must add before submitting: a title when no headline was found."""
        if self.headline:
            return []
        return [{"error": NoHeadline.code, "message": NoHeadline.default_message}]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view for the API and the preview."""
        data = asdict(self)
        data["blocks"] = [{"kind": b.kind, "text": b.text, "markup": b.markup}
                          for b in self.blocks]
        data["notices"] = self.notices
        return data


def detect_format(raw: str) -> str:
    """Which of the formats ``raw`` most likely is."""
    if _PAGE.search(raw[:2000]):
        return "html_page"
    if _TAG.search(raw):
        return "html"
    if find_byline(raw) is not None:
        return "news"
    if _MARKDOWN.search(raw):
        return "markdown"
    return "text"


def _from_html(raw: str, fmt: str) -> Extraction:
    blocks, removed = parse_fragment(raw)
    ex = Extraction(format=fmt, removed=removed)
    for b in blocks:
        if b.kind == "h1" and not ex.headline and not ex.blocks:
            ex.headline = _plain(b)
        else:
            ex.blocks.append(Block("heading", b.text, b.markup) if b.kind == "h1" else b)
    return ex


def _plain(block: Block) -> str:
    from workflow.ingest.inline import strip_placeholders

    return strip_placeholders(block.text)


def _from_markdown(raw: str) -> Extraction:
    from markdown_it import MarkdownIt

    return _from_html(MarkdownIt("commonmark").render(raw), "markdown")


def _from_page(raw: str) -> Extraction:
    import trafilatura

    body = trafilatura.extract(raw, output_format="html", include_links=True,
                               include_formatting=True, include_comments=False,
                               favor_precision=True) or ""
    ex = _from_html(body, "html_page")
    _, removed = parse_fragment(raw)
    ex.removed = removed
    meta = trafilatura.extract_metadata(raw)
    if meta is not None:
        ex.headline = meta.title or ex.headline
        ex.standfirst = meta.description or ""
        ex.author = meta.author or ""
        ex.date = meta.date or ""
        ex.source = meta.sitename or ""
    if ex.blocks and ex.headline and _plain(ex.blocks[0]) == ex.headline:
        ex.blocks.pop(0)
    return ex


def _from_news(raw: str) -> Extraction:
    copy = parse_news_copy(raw)
    if copy is None:
        raise Unprocessable(N_("This does not look like a news-page copy: no byline such as "
                               "'By NAME · YYYY-MM-DD · Source: PUBLICATION' (or 作者：, 记者, "
                               "بقلم, Par, Por, Автор: with a date) near the top. "
                               "Pick another format or 'auto'."), field="format")
    return Extraction(format="news", headline=copy.headline, standfirst=copy.standfirst,
                      author=copy.author, date=copy.date, source=copy.source,
                      credits=copy.credits, blocks=copy.blocks, dropped=copy.dropped)


def extract(raw: str, fmt: str = "auto") -> Extraction:
    """Parse ``raw`` as ``fmt`` (``auto`` detects it) into headline, metadata and blocks."""
    if fmt not in FORMATS:
        raise InvalidInput(N_("Unknown format %(fmt)r; use one of %(formats)s."),
                           values={"fmt": fmt, "formats": ", ".join(FORMATS)},
                           field="format", supported=list(FORMATS))
    if fmt == "auto":
        fmt = detect_format(raw)
    if fmt == "text":
        return Extraction(format="text", blocks=split_plain_text("", raw)[1:])
    if fmt == "markdown":
        return _from_markdown(raw)
    if fmt == "html":
        return _from_html(raw, "html")
    if fmt == "html_page":
        return _from_page(raw)
    return _from_news(raw)
