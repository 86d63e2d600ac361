"""Rebuilding an article's body from its untranslated segments gives back that body exactly."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.ingest.extract import extract
from workflow.ingest.html_fragment import parse_fragment, render_blocks
from workflow.ingest.inline import PLACEHOLDER
from workflow.segmentation import Block, join_plain_text, split_plain_text

WORD = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S"],
                                      exclude_characters="<>"), min_size=1, max_size=8)
LINK = st.sampled_from(["https://example.org/a?b=1&c=2", "/local/path", "mailto:a@b.example"])


@st.composite
def segment(draw: st.DrawFn) -> tuple[str, dict[str, dict[str, str]]]:
    """Text with inline markup as placeholders, as ingestion produces it."""
    pieces: list[str] = []
    markup: dict[str, dict[str, str]] = {}
    n = 0  # placeholders are numbered in reading order, as ingestion numbers them
    for _ in range(draw(st.integers(1, 6))):
        words = " ".join(draw(st.lists(WORD, min_size=1, max_size=4)))
        kind = draw(st.sampled_from(["plain", "plain", "strong", "em", "a", "br"]))
        if kind == "plain":
            pieces.append(words)
            continue
        n += 1
        if kind == "br":
            markup[f"x{n}"] = {"tag": "br"}
            pieces.append(f"{words}<x{n}/>{draw(WORD)}")
        else:
            markup[f"g{n}"] = {"tag": kind, **({"href": draw(LINK)} if kind == "a" else {})}
            pieces.append(f"<g{n}>{words}</g{n}>")
    return " ".join(pieces), markup


BLOCKS = st.lists(
    st.tuples(st.sampled_from(["paragraph", "heading", "list_item", "quote", "caption"]),
              segment()).map(lambda t: Block(t[0], t[1][0], t[1][1])),
    min_size=1, max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(BLOCKS)
def test_a_structured_body_rebuilds_exactly_from_its_segments(blocks: list[Block]) -> None:
    body = render_blocks(blocks)
    segments, removed = parse_fragment(body)
    assert removed == []
    assert segments == blocks
    assert render_blocks(segments) == body


PARAGRAPH = st.lists(WORD, min_size=1, max_size=10).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=8))
def test_a_plain_text_body_rebuilds_exactly_from_its_segments(paragraphs: list[str]) -> None:
    body = "\n\n".join(paragraphs)
    assert join_plain_text(split_plain_text("Title", body)) == ("Title", body)


@settings(max_examples=100, deadline=None)
@given(BLOCKS)
def test_segments_never_carry_markup_other_than_placeholders(blocks: list[Block]) -> None:
    for b in extract(render_blocks(blocks), "html").blocks:
        assert "<" not in PLACEHOLDER.sub("", b.text)
