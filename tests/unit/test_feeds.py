"""Reading feeds and WordPress answers into items, and filtering them."""

from __future__ import annotations

import json

import pytest

from tests.feed_server import atom, rss
from workflow.errors import InvalidInput
from workflow.feeds import matching, parse, request_url


def test_an_rss_item_keeps_its_guid_link_title_body_and_categories() -> None:
    (item,) = parse("feed", rss([("g-1", "Rates &amp; rents", "<p>Up.</p>", "Economy")]).encode())
    assert (item.guid, item.url, item.title) == ("g-1", "https://news.test/g-1", "Rates & rents")
    assert item.html == "<p>Up.</p>" and item.labels == {"economy"}


def test_an_atom_entry_changes_its_digest_when_its_body_changes() -> None:
    before = parse("feed", atom([("urn:1", "T", "<p>A.</p>", "2026-11-29T00:00:00Z")]).encode())
    after = parse("feed", atom([("urn:1", "T", "<p>B.</p>", "2026-11-29T01:00:00Z")]).encode())
    assert before[0].guid == after[0].guid == "urn:1"
    assert before[0].digest != after[0].digest
    assert after[0].modified == "2026-11-29T01:00:00Z"


def test_the_filter_wants_the_category_and_the_tag_each_when_set() -> None:
    items = parse("feed", rss([("a", "A", "<p>a</p>", "politics"),
                               ("b", "B", "<p>b</p>", "sport")]).encode())
    assert [i.guid for i in matching(items, "Politics", None)] == ["a"]
    assert [i.guid for i in matching(items, None, None)] == ["a", "b"]
    assert matching(items, "politics", "sport") == []


def test_wordpress_posts_are_asked_for_filtered_and_read_from_json() -> None:
    url = request_url("wordpress", "https://site.test/", "3", "9")
    assert url.startswith("https://site.test/wp-json/wp/v2/posts?")
    assert "categories=3" in url and "tags=9" in url
    assert request_url("feed", "https://site.test/rss", "x", None) == "https://site.test/rss"
    posts = [{"id": 5, "guid": {"rendered": "https://site.test/?p=5"}, "link": "https://site.test/a",
              "title": {"rendered": "<b>Hi</b>"}, "content": {"rendered": "<p>Body</p>"},
              "categories": [3], "tags": [9]}]
    (item,) = parse("wordpress", json.dumps(posts).encode())
    assert (item.guid, item.title, item.labels) == ("https://site.test/?p=5", "Hi", {"3", "9"})


def test_an_answer_that_is_neither_a_feed_nor_posts_is_invalid() -> None:
    with pytest.raises(InvalidInput):
        parse("wordpress", b"<html>not json</html>")
    with pytest.raises(InvalidInput):
        parse("wordpress", b'{"code": "rest_no_route"}')
    for page in (b"<html><body>Welcome</body></html>", b"hello"):
        with pytest.raises(InvalidInput, match="not an RSS or Atom feed"):
            parse("feed", page)
    assert parse("feed", b'<rss version="2.0"><channel></channel></rss>') == []
