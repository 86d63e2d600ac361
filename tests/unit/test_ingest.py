"""Ingestion: each format into headline, metadata and blocks, with hostile parts removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflow.errors import InvalidInput
from workflow.ingest.extract import detect_format, extract
from workflow.ingest.inline import render_inline

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NAV_AND_FOOTER = ["World", "Business", "Culture", "About Us", "Home", "Politics", "Economy",
                  "Sport", "Contact us", "Science", "Climate", "Newsletters", "Partners", "©",
                  "(c)", "Copyright", "licence", "partners"]

NEWS_PAGES = {
    "news_harbour.txt": dict(
        headline="Harbour city opens its first floating school",
        standfirst="Two hundred children will study on a converted ferry while the old "
                   "building is rebuilt.",
        author="Amina Okafor", date="2026-03-14", source="The Coastal Weekly",
        credits=["Copyedited by Jonas Berg", "Comments to letters@coastalweekly.example"],
        first="The ferry, moored at pier four since January, now holds six classrooms and a "
              "library.", count=3),
    "news_budget.txt": dict(
        headline="Minister presents a smaller budget for next year",
        standfirst="Spending falls for the first time in a decade, but schools and hospitals "
                   "are spared.",
        author="Luis Ortega", date="2025-11-02", source="Daily Ledger",
        credits=["Reporting by Carla Méndez", "Comments to desk@ledger.example"],
        first="The finance minister told parliament on Tuesday that the government would "
              "spend less next year.", count=3),
    "news_noisy.txt": dict(
        headline="Glaciers shrank faster than expected last summer",
        standfirst="A survey of 400 glaciers finds record losses in the Alps.",
        author="Petra Novak", date="2024-09-30", source="Alpine Observer",
        credits=["Fact-checked by Omar Haddad", "Comments to science@observer.example"],
        first="Researchers measured every glacier twice, in June and in September.", count=3),
}


@pytest.mark.parametrize("name", sorted(NEWS_PAGES))
def test_a_news_page_copy_is_detected_and_its_parts_extracted(name: str) -> None:
    want = NEWS_PAGES[name]
    ex = extract((FIXTURES / name).read_text(), "auto")
    assert ex.format == "news"
    assert (ex.headline, ex.standfirst, ex.author, ex.date, ex.source) == (
        want["headline"], want["standfirst"], want["author"], want["date"], want["source"])
    assert ex.credits == want["credits"]
    assert [b.kind for b in ex.blocks] == ["paragraph"] * want["count"]
    assert ex.blocks[0].text == want["first"]


@pytest.mark.parametrize("name", sorted(NEWS_PAGES))
def test_no_navigation_footer_or_credit_line_becomes_a_segment(name: str) -> None:
    ex = extract((FIXTURES / name).read_text(), "auto")
    texts = [b.text for b in ex.blocks]
    for text in texts:
        assert not any(text == label or text.startswith(label) for label in NAV_AND_FOOTER)
        assert text not in ex.credits and not text.startswith(("Comments to", "Copyedited"))
    assert any("©" in d or "(c)" in d or "Copyright" in d for d in ex.dropped)


def test_markdown_gives_headings_lists_quotes_and_inline_placeholders() -> None:
    raw = ("# The headline\n\nA **bold** claim and an *aside* with "
           "[a link](https://example.org/x).\n\n## Background\n\n- first point\n- second\n\n"
           "> A quoted line.\n")
    ex = extract(raw, "auto")
    assert ex.format == "markdown" and ex.headline == "The headline"
    assert [b.kind for b in ex.blocks] == ["paragraph", "heading", "list_item", "list_item",
                                           "quote"]
    para = ex.blocks[0]
    assert para.text == "A <g1>bold</g1> claim and an <g2>aside</g2> with <g3>a link</g3>."
    assert para.markup == {"g1": {"tag": "strong"}, "g2": {"tag": "em"},
                           "g3": {"tag": "a", "href": "https://example.org/x"}}
    assert render_inline(para.text, para.markup) == (
        'A <strong>bold</strong> claim and an <em>aside</em> with '
        '<a href="https://example.org/x">a link</a>.')


def test_an_html_fragment_keeps_captions_and_line_breaks() -> None:
    raw = ("<h1>Title here</h1><p>One<br>two &amp; <b>three</b></p>"
           "<figure><img src='a.jpg'><figcaption>The pier at dawn.</figcaption></figure>")
    ex = extract(raw, "auto")
    assert ex.format == "html" and ex.headline == "Title here"
    assert [(b.kind, b.text) for b in ex.blocks] == [
        ("paragraph", "One<x1/>two & <g2>three</g2>"), ("caption", "The pier at dawn.")]


def test_hostile_markup_is_removed_and_reported() -> None:
    raw = ('<p>Safe <a href="javascript:alert(1)">click</a> text'
           '<img src=x onerror="alert(2)"></p><script>window.pwned = 1</script>'
           '<iframe src="https://evil.example"></iframe><style>p{}</style><p>After.</p>')
    ex = extract(raw, "html")
    assert [b.text for b in ex.blocks] == ["Safe <g1>click</g1> text", "After."]
    assert ex.blocks[0].markup == {"g1": {"tag": "a"}}
    assert set(ex.removed) == {"javascript: link", "onerror attribute", "script element",
                               "iframe element", "style element"}
    assert "pwned" not in repr(ex.as_dict())


def test_a_whole_page_loses_its_boilerplate() -> None:
    page = """<!doctype html><html><head><title>Bridge reopens | City Post</title>
    <meta name="author" content="Ana Lima"><meta property="og:site_name" content="City Post">
    <meta name="date" content="2026-05-01"></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/about">About Us</a></nav>
    <article><h1>Bridge reopens after two years</h1>
    <p>The old stone bridge over the river reopened on Monday after two years of repairs.</p>
    <p>Engineers replaced every one of its four hundred cracked stones by hand.</p>
    <p>Traffic will be limited to bicycles and pedestrians until the summer.</p></article>
    <footer><p>© 2026 City Post. All rights reserved.</p></footer>
    <script>window.pwned = 1</script></body></html>"""
    ex = extract(page, "auto")
    assert ex.format == "html_page"
    assert ex.author == "Ana Lima" and ex.date == "2026-05-01"
    texts = [b.text for b in ex.blocks]
    assert texts[0].startswith("The old stone bridge") and len(texts) == 3
    assert not any("Home" in t or "©" in t for t in texts)
    assert "script element" in ex.removed


def test_plain_text_stays_paragraphs() -> None:
    ex = extract("One line\nsame paragraph.\n\nSecond.", "auto")
    assert ex.format == "text"
    assert [b.text for b in ex.blocks] == ["One line same paragraph.", "Second."]


@pytest.mark.parametrize("raw,fmt", [("plain words", "text"), ("<p>x</p>", "html"),
                                     ("## h\n\ntext", "markdown"),
                                     ("<!DOCTYPE html><html></html>", "html_page")])
def test_detect_format(raw: str, fmt: str) -> None:
    assert detect_format(raw) == fmt


def test_an_unknown_format_lists_the_supported_ones() -> None:
    with pytest.raises(InvalidInput, match="use one of auto, text, markdown"):
        extract("x", "docx")


def test_asking_for_news_without_a_byline_says_what_is_missing() -> None:
    with pytest.raises(InvalidInput, match="no byline"):
        extract("Just a paragraph.", "news")
