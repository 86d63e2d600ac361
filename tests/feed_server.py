"""A small news site on 127.0.0.1: an RSS feed, an Atom feed and WordPress's posts API.

Feeds answer with an ETag and 304 when asked with it again; the WordPress API filters by
``categories`` and ``tags`` like WordPress does; any path can be told to fail with a status.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Site:
    """What the server serves, and what it was asked."""

    rss: str = ""
    atom: str = ""
    posts: list[dict[str, Any]] = field(default_factory=list)
    fail: dict[str, int] = field(default_factory=dict)  # path → status to answer with
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""


def rss(items: list[tuple[str, str, str, str]]) -> str:
    """An RSS 2.0 feed of (guid, title, html, category) items."""
    body = "".join(
        f"<item><guid>{g}</guid><link>https://news.test/{g}</link><title>{t}</title>"
        f"<category>{c}</category><description><![CDATA[{h}]]></description></item>"
        for g, t, h, c in items)
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
            f"<link>https://news.test/</link>{body}</channel></rss>")


def atom(items: list[tuple[str, str, str, str]]) -> str:
    """An Atom feed of (id, title, html, updated) entries."""
    body = "".join(
        f'<entry><id>{i}</id><title>{t}</title><link href="https://news.test/{i}"/>'
        f'<updated>{u}</updated><content type="html"><![CDATA[{h}]]></content></entry>'
        for i, t, h, u in items)
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>News</title><id>urn:news</id><updated>2026-11-29T00:00:00Z</updated>"
            f"{body}</feed>")


def start(site: Site) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Serve ``site`` on a free port of 127.0.0.1; ``site.url`` is set."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            pass

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            site.requests.append((self.path, dict(self.headers.items())))
            if parts.path in site.fail:
                return self._send(site.fail[parts.path], b"broken", "text/plain")
            if parts.path == "/rss.xml":
                return self._send(200, site.rss.encode(), "application/rss+xml")
            if parts.path == "/atom.xml":
                return self._send(200, site.atom.encode(), "application/atom+xml")
            if parts.path == "/wp-json/wp/v2/posts":
                query = parse_qs(parts.query)
                posts = [p for p in site.posts
                         if all(int(v) in p[k] for k in ("categories", "tags")
                                for v in query.get(k, []))]
                return self._send(200, json.dumps(posts).encode(), "application/json")
            return self._send(404, b"not found", "text/plain")

        def _send(self, status: int, body: bytes, kind: str) -> None:
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if status == 200:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
