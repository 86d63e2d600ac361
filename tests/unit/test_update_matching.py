"""Lining a new version's segments up with the old one's, and the reviewer's word diff."""

from __future__ import annotations

from workflow.diff import word_diff
from workflow.services.updates import match_segments

T = ("title", "Budget day")


def p(text: str) -> tuple[str, str]:
    return ("paragraph", text)


def test_unchanged_segments_are_kept_even_when_a_paragraph_is_inserted_before_them() -> None:
    m = match_segments([T, p("One."), p("Two.")], [T, p("New."), p("One."), p("Two.")])
    assert m.kept == {0: 0, 1: 2, 2: 3}
    assert m.replaced == {} and m.removed == [] and m.added == [1]


def test_a_changed_paragraph_replaces_the_old_one_and_a_removed_one_is_reported() -> None:
    m = match_segments([T, p("One."), p("Two."), p("Three.")], [T, p("Uno."), p("Three.")])
    assert m.kept == {0: 0, 3: 2}
    assert m.replaced == {1: 1}
    assert m.removed == [2]
    assert m.added == [1]


def test_the_word_diff_marks_what_was_removed_and_added() -> None:
    assert word_diff("Schools will reopen next week.", "Schools will reopen on Monday.") == [
        ("=", "Schools will reopen"), ("-", "next week."), ("+", "on Monday.")]
