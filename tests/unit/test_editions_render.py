"""Rendering editions: placeholders back into markup, everything else escaped and sanitized."""

from __future__ import annotations

from workflow.editions import render_edition, sanitize
from workflow.ingest.inline import render_inline
from workflow.segmentation import Block
from workflow.services.webhooks import sign, verify


def test_placeholders_come_back_as_their_markup_in_the_translated_order() -> None:
    markup = {"g1": {"tag": "a", "href": "https://ex.org/?a=1&b=2"}, "g2": {"tag": "em"}}
    assert render_inline("<g2>Vite</g2>, lisez <g1>ceci</g1>", markup) == (
        '<em>Vite</em>, lisez <a href="https://ex.org/?a=1&amp;b=2">ceci</a>')


def test_text_that_looks_like_markup_is_escaped_and_unknown_placeholders_dropped() -> None:
    out = render_inline('<script>x</script> <g9>y</g9> <g1>z', {"g1": {"tag": "strong"}})
    assert out == "&lt;script&gt;x&lt;/script&gt; y <strong>z</strong>"


def test_a_link_to_javascript_loses_its_href() -> None:
    assert render_inline("<g1>a</g1>", {"g1": {"tag": "a", "href": "javascript:alert(1)"}}) \
        == "<a>a</a>"


def test_the_edition_has_standfirst_byline_body_and_untranslated_credits() -> None:
    blocks = [Block("title", "Titre <g1>gras</g1>", {"g1": {"tag": "strong"}}),
              Block("standfirst", "Chapeau."), Block("paragraph", "Corps."),
              Block("list_item", "Un"), Block("quote", "Cité.")]
    meta = {"author": "Ana", "date": "2026-01-02", "source": "Post", "credits": ["Edited by B"]}
    out = render_edition(blocks, meta)
    assert out.title == "Titre gras" and out.summary == "Chapeau."
    assert out.html == ('<p class="standfirst">Chapeau.</p>\n<p class="byline">By Ana · '
                        '2026-01-02 · Post</p>\n<p>Corps.</p>\n<ul>\n<li>Un</li>\n</ul>\n'
                        '<blockquote><p>Cité.</p></blockquote>\n<footer class="credits">'
                        "<p>Edited by B</p></footer>")


def test_sanitize_removes_scripts_handlers_and_javascript_urls() -> None:
    dirty = ('<p onclick="x()">a<script>alert(1)</script><a href="javascript:x">b</a>'
             '<img src=x onerror=alert(1)><iframe src=x></iframe></p>')
    assert sanitize(dirty) == '<p>a<a rel="noopener noreferrer">b</a></p>'


def test_a_signature_covers_timestamp_and_body() -> None:
    sig = sign("k", "1700000000", b'{"a":1}')
    assert sig.startswith("sha256=") and verify("k", "1700000000", b'{"a":1}', sig)
    assert not verify("k", "1700000001", b'{"a":1}', sig)
    assert not verify("k", "1700000000", b'{"a":2}', sig)
