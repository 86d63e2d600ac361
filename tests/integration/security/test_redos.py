"""Editor input at the size limit cannot make a regular expression run for minutes.

Each text is the worst case for one pattern that used to backtrack quadratically; the
budget is generous (a second per call on a loaded machine) against the ~70 s they took.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask import Flask

from workflow.ingest.extract import detect_format
from workflow.masking import mask
from workflow.models import User

LIMIT = 200_000  # LINGUADESK_MAX_ARTICLE_CHARS's default
BUDGET = 1.0

WORST = {
    "markdown link detector": "[" * LIMIT,
    "markdown link target": "[a](" * (LIMIT // 4),
    "html tag detector": "<p " * (LIMIT // 3),
    "markdown emphasis": " _a" * (LIMIT // 3),
}


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


@pytest.mark.parametrize("name", sorted(WORST))
def test_format_detection_is_linear_on_its_worst_case(name: str) -> None:
    text = WORST[name]
    assert _seconds(lambda: detect_format(text)) < BUDGET, name


@pytest.mark.parametrize("text", ["a" * LIMIT, "a@" * (LIMIT // 2), "a." * (LIMIT // 2),
                                  "a@" + "b" * LIMIT])
def test_masking_is_linear_on_one_huge_word(text: str) -> None:
    assert _seconds(lambda: mask(text)) < BUDGET


def test_e_mail_addresses_are_still_masked_whole() -> None:
    masked = mask("Write to ana.lopez+desk@news.example.org or bob@x.io today.")
    assert masked.originals == ("ana.lopez+desk@news.example.org", "bob@x.io")


@pytest.mark.parametrize("name", sorted(WORST))
def test_the_api_extracts_the_worst_case_at_the_size_limit_within_budget(
        app: Flask, people: dict[str, User], token_for: Callable[[str], dict[str, str]],
        name: str) -> None:
    client = app.test_client()
    headers = token_for("editor@desk.test")
    seconds = _seconds(lambda: client.post("/api/v1/articles/extract", headers=headers,
                                           json={"body": WORST[name], "format": "auto"}))
    assert seconds < 3 * BUDGET, (name, seconds)  # detection plus the extraction itself
