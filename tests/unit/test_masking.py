"""What MT must not change is masked before MT and comes back after, or is reported."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from workflow.masking import mask, unmask

PROTECTED_VALUES = [
    "3,200", "12.5", "2026-11-27", "10:30", "https://example.org/a?b=1", "www.news.example",
    "desk@example.org", "<g1>", "</g1>", "<x2/>", "⟦", "⟧", "Linguadesk",
]
PROTECTED = st.sampled_from(PROTECTED_VALUES)
WORDS = st.text(alphabet=st.characters(categories=["L", "Zs", "P"],
                                       exclude_characters="⟦⟧<>@"), max_size=12)


def _with(parts: list[str], at: int, value: str) -> list[str]:
    at %= len(parts) + 1
    return [*parts[:at], value, *parts[at:]]


# Texts with at least one value to protect, so a property about the masked values is
# never satisfied by a text that had none.
PARTS_TO_MASK = st.builds(_with, st.lists(st.one_of(WORDS, PROTECTED), max_size=11),
                          st.integers(0, 11), PROTECTED)
TEXTS_TO_MASK = st.builds(_with, st.lists(st.one_of(WORDS, PROTECTED), max_size=11),
                          st.integers(0, 11),
                          PROTECTED.filter(lambda v: v != "Linguadesk")).map(" ".join)


@given(st.text())
def test_any_text_comes_back_unchanged_when_the_tokens_are_untouched(text: str) -> None:
    masked = mask(text, ["Linguadesk"])
    back = unmask(masked.text, masked)
    assert back.text == text
    assert back.missing == ()


@given(PARTS_TO_MASK)
def test_every_number_url_address_placeholder_and_term_is_masked(parts: list[str]) -> None:
    masked = mask(" ".join(parts), ["Linguadesk"])
    protected = [p for p in parts if p in PROTECTED_VALUES]
    assert protected and masked.originals
    assert sorted(o for o in masked.originals if o in PROTECTED_VALUES) == sorted(protected)
    assert not any(ch.isdigit() for ch in re.sub(r"⟦\d+⟧", "", masked.text))


@given(TEXTS_TO_MASK, st.randoms(use_true_random=False))
def test_tokens_moved_by_the_engine_restore_every_original(text: str, rnd: object) -> None:
    masked = mask(text)
    assert masked.originals
    tokens = [f"⟦{i}⟧" for i in range(1, len(masked.originals) + 1)]
    rnd.shuffle(tokens)  # type: ignore[attr-defined]
    back = unmask("translated " + " ".join(tokens), masked)
    assert back.missing == ()
    for original in masked.originals:
        assert original in back.text


def test_a_token_the_engine_dropped_is_reported_by_value() -> None:
    masked = mask("Prices rose 3.5% to 3,200 euros, see https://stats.example/prices.")
    assert masked.originals == ("3.5", "3,200", "https://stats.example/prices")
    back = unmask("Los precios subieron ⟦1⟧% a euros, ver ⟦3⟧.", masked)
    assert back.missing == ("3,200",)
    assert back.text == "Los precios subieron 3.5% a euros, ver https://stats.example/prices."


def test_inline_placeholders_and_spaced_tokens_come_back() -> None:
    masked = mask("Read <g1>the report</g1> here<x2/>.")
    assert masked.text == "Read ⟦1⟧the report⟦2⟧ here⟦3⟧."
    back = unmask("Lea ⟦ 1 ⟧el informe⟦2⟧ aquí⟦3⟧.", masked)
    assert back.text == "Lea <g1>el informe</g1> aquí<x2/>."


def test_do_not_translate_terms_are_whole_words_only() -> None:
    masked = mask("Apple sells apples; Applebee is not Apple.", ["Apple"])
    assert masked.originals == ("Apple", "Apple")
    assert "Applebee" in masked.text


def test_a_repeated_token_is_reported() -> None:
    masked = mask("It costs 40 euros.")
    assert unmask("⟦1⟧ ⟦1⟧ euros", masked).repeated == ("40",)


def test_a_url_or_address_in_chinese_text_ends_where_the_chinese_words_begin() -> None:
    masked = mask("请登录网站https://ferry.example.cn查询，或发送邮件至service@ferry.example.cn咨询。")
    assert masked.originals == ("https://ferry.example.cn", "service@ferry.example.cn")
    assert masked.text == "请登录网站⟦1⟧查询，或发送邮件至⟦2⟧咨询。"


def test_arabic_figures_are_masked_whole_with_their_separators() -> None:
    assert mask("وصل ٩٥٬٠٠٠ راكب بكلفة ٤٫٥ مليار").originals == ("٩٥٬٠٠٠", "٤٫٥")


def test_a_word_the_engine_wrote_against_a_restored_link_is_set_apart() -> None:
    masked = mask("See https://x.example/a.pdf, or write to desk@x.example now.")
    back = unmask("Vea ⟦1⟧Los o escriba a⟦2⟧ya.", masked)
    assert back.text == "Vea https://x.example/a.pdf Los o escriba a desk@x.example ya."
    assert mask(back.text).originals == masked.originals
    chinese = mask("网站https://ferry.example.cn查询")
    assert unmask("网站⟦1⟧查询", chinese).text == "网站https://ferry.example.cn查询"
