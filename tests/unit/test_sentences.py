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


def test_a_single_word_longer_than_the_limit_is_refused_not_truncated() -> None:
    with pytest.raises(SegmentTooLong, match="longer than the model's limit"):
        split_long("x" * 50, len, 10)
