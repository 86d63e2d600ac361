"""Plain-text articles become a title and one segment per paragraph, and back again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workflow.segmentation import Block, split_plain_text
from workflow.services.articles import canonical_body
from workflow.slugs import slugify, unique_slug


def plain_text(blocks: list[Block]) -> tuple[str, str]:
    """``(title, body)`` as the desk stores a plain-text article made of ``blocks``."""
    return blocks[0].text, canonical_body("text", blocks)


def test_paragraphs_are_separated_by_blank_lines_and_lines_within_are_joined() -> None:
    blocks = split_plain_text(" Title ", "First line\nstill first.\n\n\n  Second.\r\n\r\nThird.")
    assert [(b.kind, b.text) for b in blocks] == [
        ("title", "Title"), ("paragraph", "First line still first."),
        ("paragraph", "Second."), ("paragraph", "Third."),
    ]


words = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=8)
paragraphs = st.lists(words, min_size=1, max_size=6).map(" ".join)


@given(st.lists(paragraphs, min_size=1, max_size=5), words)
def test_joining_the_segments_gives_back_a_normalized_body(paras: list[str], title: str) -> None:
    body = "\n\n".join(paras)
    assert plain_text(split_plain_text(title, body)) == (title, body)


def test_slugs_are_transliterated_or_native_by_language_and_unique() -> None:
    assert slugify("Ça coûte 5 € — l'été!", "fr") == "ca-coute-5-eur-l-ete"
    assert slugify("北京") == "bei-jing"  # never "article" for a title in another script
    assert slugify("北京市议会批准新预算", "zh") == "北京市议会批准新预算"
    assert slugify("مجلس المدينة يوافق", "ar") == "مجلس-المدينة-يوافق"
    assert slugify("Городской совет утвердил бюджет", "ru") == "gorodskoi-sovet-utverdil-biudzhet"
    assert slugify("!!!", "zh") == "article"
    assert unique_slug("budget", {"budget", "budget-2"}) == "budget-3"
