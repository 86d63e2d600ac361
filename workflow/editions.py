"""Rendering editions: sanitized body HTML, Atom feeds and the sitemap (pure, no Flask)."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

import nh3

from workflow.ingest.html_fragment import render_blocks
from workflow.ingest.inline import render_inline, strip_placeholders
from workflow.segmentation import Block

ALLOWED_TAGS = {"p", "h2", "ul", "li", "blockquote", "figure", "figcaption", "strong", "em",
                "a", "br", "footer"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "p": {"class"}, "footer": {"class"}}


def sanitize(fragment: str) -> str:
    """Only the tags and attributes an edition needs; no script, handler or javascript: URL."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer",
                     strip_comments=True)


def edition_path(language: str, slug: str) -> str:
    """Where an edition lives on the public site: the one place its address is spelled
    (a native-script slug percent-encoded)."""
    return f"/{language}/{quote(slug)}"


@dataclass(frozen=True)
class RenderedEdition:
    """What a publication snapshot stores."""

    title: str
    summary: str
    html: str


def byline(meta: Mapping[str, Any] | None) -> str:
    """``By NAME · DATE · SOURCE`` from the version's untranslated metadata."""
    meta = meta or {}
    parts = [f"By {meta['author']}" if meta.get("author") else "", meta.get("date") or "",
             meta.get("source") or ""]
    return " · ".join(p for p in parts if p)


def render_edition(blocks: list[Block], meta: Mapping[str, Any] | None) -> RenderedEdition:
    """Title, summary and sanitized body HTML of one edition from its (translated) blocks."""
    title = next((strip_placeholders(b.text) for b in blocks if b.kind == "title"), "")
    standfirst = next((b for b in blocks if b.kind == "standfirst"), None)
    parts: list[str] = []
    if standfirst is not None:
        parts.append(f'<p class="standfirst">{render_inline(standfirst.text, standfirst.markup)}'
                     "</p>")
    line = byline(meta)
    if line:
        parts.append(f'<p class="byline">{html.escape(line)}</p>')
    parts.append(render_blocks([b for b in blocks if b.kind not in ("title", "standfirst")]))
    credits = (meta or {}).get("credits") or []
    if credits:
        parts.append('<footer class="credits">'
                     + "".join(f"<p>{html.escape(c)}</p>" for c in credits) + "</footer>")
    summary = strip_placeholders(standfirst.text) if standfirst is not None else ""
    return RenderedEdition(title=title, summary=summary, html=sanitize("\n".join(parts)))


@dataclass(frozen=True)
class FeedEntry:
    """One live edition as a feed or sitemap lists it."""

    url: str
    title: str
    summary: str
    published_at: datetime
    updated_at: datetime
    alternates: Mapping[str, str]  # language → URL of every live edition of the article


ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"


def atom_feed(feed_id: str, title: str, language: str, self_url: str, site_url: str,
              entries: list[FeedEntry]) -> bytes:
    """An Atom 1.0 feed of ``entries`` (newest first), as UTF-8 XML."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    updated = max((e.updated_at for e in entries), default=None)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = (
        updated.isoformat() if updated else "1970-01-01T00:00:00+00:00")
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url,
                                            "type": "application/atom+xml"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": site_url,
                                            "type": "text/html"})
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "Linguadesk"
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = e.url
        ET.SubElement(entry, f"{{{ATOM}}}title").text = e.title
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": e.url})
        for lang, url in sorted(e.alternates.items()):
            if url != e.url:
                ET.SubElement(entry, f"{{{ATOM}}}link",
                              {"rel": "alternate", "href": url, "hreflang": lang})
        ET.SubElement(entry, f"{{{ATOM}}}published").text = e.published_at.isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = e.updated_at.isoformat()
        if e.summary:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = e.summary
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def sitemap(entries: Iterable[FeedEntry]) -> bytes:
    """A sitemap with every live edition and its ``xhtml:link`` alternates."""
    ET.register_namespace("", SITEMAP)
    ET.register_namespace("xhtml", XHTML)
    urlset = ET.Element(f"{{{SITEMAP}}}urlset")
    for e in entries:
        url = ET.SubElement(urlset, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = e.url
        ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = e.updated_at.date().isoformat()
        for lang, href in sorted(e.alternates.items()):
            ET.SubElement(url, f"{{{XHTML}}}link",
                          {"rel": "alternate", "hreflang": lang, "href": href})
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
