"""Paragraphs split into sentences and back with the spacing; long ones at clause boundaries."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.engine import SegmentTooLong
from workflow.sentences import join_sentences, split_long, split_sentences


def test_sentences_keep_their_original_spacing() -> None:
    text = "  Dr. Smith paid $3.5 million.  He left at 5 p.m. Then he said: \"Hi!\"\n"
    sentences = split_sentences(text, "en")
    assert [s.text for s in sentences] == [
        "Dr. Smith paid $3.5 million.", "He left at 5 p.m.", "Then he said: \"Hi!\""]
    assert join_sentences(sentences, [s.text for s in sentences]) == text
    assert join_sentences(sentences, ["A.", "B.", "C."]) == "  A.  B. C.\n"


@given(st.text(alphabet=st.characters(categories=["L", "Zs", "P", "N"]), max_size=200))
def test_joining_sentences_gives_the_paragraph_back(text: str) -> None:
    sentences = split_sentences(text, "en")
    assert join_sentences(sentences, [s.text for s in sentences]) == text


def words(text: str) -> int:
    return len(text.split())


def test_a_long_sentence_is_cut_at_clauses_and_nothing_is_lost() -> None:
    text = ("The council approved the budget on Monday, after a long debate; the opposition "
            "voted against it, saying it would raise taxes for families in the north.")
    parts = split_long(text, words, 12)
    assert all(words(p) <= 12 for p, _ in parts)
    assert "".join(p + gap for p, gap in parts) == text
    assert parts[0][0].endswith((",", ";"))


def test_a_sentence_without_clauses_is_cut_between_words() -> None:
    text = " ".join(f"w{i}" for i in range(30))
    parts = split_long(text, words, 8)
    assert all(words(p) <= 8 for p, _ in parts)
    assert "".join(p + gap for p, gap in parts) == text


def test_a_single_word_longer_than_the_limit_is_cut_where_the_tokens_end_and_kept_whole() -> None:
    parts = split_long("x" * 50, len, 10)
    assert [len(p) for p, _ in parts] == [10, 10, 10, 10, 10]
    assert "".join(p + gap for p, gap in parts) == "x" * 50


def test_a_long_word_among_short_ones_is_cut_and_nothing_is_dropped() -> None:
    url = "https://example.org/" + "a" * 60

    def tokens(text: str) -> int:  # one token per 4 characters, plus the end token
        return len(text) // 4 + 1

    text = f"See {url} for the full budget, published on Monday."
    parts = split_long(text, tokens, 8)
    assert all(tokens(p) <= 8 for p, _ in parts)
    assert "".join(p + gap for p, gap in parts) == text


def test_a_limit_that_holds_nothing_is_refused_in_plain_words() -> None:
    with pytest.raises(SegmentTooLong, match="cannot hold even one character"):
        split_long("abc", lambda t: len(t) + 5, 3)


def texts(paragraph: str, language: str) -> list[str]:
    sentences = split_sentences(paragraph, language)
    assert join_sentences(sentences, [s.text for s in sentences]) == paragraph
    return [s.text for s in sentences]


def test_chinese_splits_after_each_full_stop_exclamation_and_question_mark_without_spaces() -> None:
    assert texts("会谈于2020年4月1日开始，共有9.5万人参加。明年再来！你来吗？好的。", "zh") == [
        "会谈于2020年4月1日开始，共有9.5万人参加。", "明年再来！", "你来吗？", "好的。"]


def test_a_chinese_quote_and_who_said_it_are_one_sentence() -> None:
    assert texts("“我们卖的比在广场上多一倍。”一位摊主说。他还说：“明年再来！”集市周六开放。",
                 "zh") == ["“我们卖的比在广场上多一倍。”一位摊主说。", "他还说：“明年再来！”",
                           "集市周六开放。"]


def test_arabic_splits_on_its_question_mark_and_full_stops() -> None:
    assert texts("هل ستعود العبارة غدا؟ نعم! وصل ٩٥٬٠٠٠ راكب في ١ أبريل ٢٠٢٠. وقال الوزير "
                 "إن الرحلة الأولى تبدأ في الساعة ١٠:٣٠ صباحا.", "ar") == [
        "هل ستعود العبارة غدا؟", "نعم!", "وصل ٩٥٬٠٠٠ راكب في ١ أبريل ٢٠٢٠.",
        "وقال الوزير إن الرحلة الأولى تبدأ في الساعة ١٠:٣٠ صباحا."]


def test_english_abbreviations_figures_urls_and_addresses_do_not_end_a_sentence() -> None:
    assert texts("The U.N. envoy met Mr. Smith at 10:30 a.m. on Tuesday, the U.S. embassy "
                 "said. The No. 2 official left. The plan (see www.example.org/plan.html) "
                 "costs $4.5 billion, or 2.1 percent. Write to press@un.example.", "en") == [
        "The U.N. envoy met Mr. Smith at 10:30 a.m. on Tuesday, the U.S. embassy said.",
        "The No. 2 official left.",
        "The plan (see www.example.org/plan.html) costs $4.5 billion, or 2.1 percent.",
        "Write to press@un.example."]
