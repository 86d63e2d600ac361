"""Reading what a source answered: RSS or Atom (feedparser) or WordPress's posts JSON.

Pure functions over bytes: fetching, conditional requests and backoff are the service's.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import feedparser

from workflow.errors import N_, InvalidInput
from workflow.models import SourceKind


@dataclass(frozen=True)
class Item:
    """One entry of a feed or one WordPress post, as the desk needs it."""

    guid: str
    url: str | None
    title: str
    html: str
    modified: str | None
    labels: frozenset[str]  # categories and tags, lower-cased (names, or WordPress ids)

    @property
    def digest(self) -> str:
        """Changes when the title or the body does: an updated item."""
        return hashlib.sha256(f"{self.title}\x00{self.html}".encode()).hexdigest()


def request_url(kind: str, url: str, category: str | None, tag: str | None) -> str:
    """The address polled: a feed as given; a WordPress site's posts, filtered by the server."""
    if kind != SourceKind.WORDPRESS:
        return url
    query = {"per_page": "20", "orderby": "modified"}
    if category:
        query["categories"] = category
    if tag:
        query["tags"] = tag
    return f"{url.rstrip('/')}/wp-json/wp/v2/posts?{urlencode(query)}"


def parse(kind: str, body: bytes) -> list[Item]:
    """The items in an answer; ``InvalidInput`` when it is not a feed or WordPress's JSON."""
    return _wordpress(body) if kind == SourceKind.WORDPRESS else _feed(body)


def matching(items: list[Item], category: str | None, tag: str | None) -> list[Item]:
    """Only the items carrying the category and the tag asked for (each when set)."""
    wanted = [w.strip().lower() for w in (category, tag) if w and w.strip()]
    return [i for i in items if all(w in i.labels for w in wanted)]


def _feed(body: bytes) -> list[Item]:
    parsed: Any = feedparser.parse(body)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        # An empty feed is fine; a web page or broken XML is a wrong URL the admin must see.
        raise InvalidInput(N_("the answer is not an RSS or Atom feed"))
    items = []
    for e in parsed.entries:
        content = e.get("content") or []
        body_html = content[0].get("value", "") if content else e.get("summary", "")
        guid = e.get("id") or e.get("link") or e.get("title")
        if not guid or not body_html.strip():
            continue  # nothing to keep it apart from the others, or nothing to translate
        labels = frozenset(str(t.get("term", "")).strip().lower() for t in e.get("tags") or [])
        items.append(Item(guid=str(guid), url=e.get("link"), title=_text(e.get("title", "")),
                          html=body_html, modified=e.get("updated") or e.get("published"),
                          labels=labels))
    return items


def _wordpress(body: bytes) -> list[Item]:
    try:
        posts = json.loads(body)
    except ValueError as exc:
        raise InvalidInput(N_("the WordPress answer is not JSON")) from exc
    if not isinstance(posts, list):
        raise InvalidInput(N_("the WordPress answer is not a list of posts"))
    items = []
    for p in posts:
        if not isinstance(p, dict):
            continue
        rendered = (p.get("content") or {}).get("rendered", "")
        guid = (p.get("guid") or {}).get("rendered") or p.get("id")
        if not guid or not str(rendered).strip():
            continue
        labels = frozenset(str(x).lower() for x in [*(p.get("categories") or []),
                                                    *(p.get("tags") or [])])
        items.append(Item(guid=str(guid), url=p.get("link"),
                          title=_text((p.get("title") or {}).get("rendered", "")),
                          html=str(rendered), modified=p.get("modified_gmt") or p.get("modified"),
                          labels=labels))
    return items


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()
