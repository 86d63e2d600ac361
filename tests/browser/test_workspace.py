"""The review workspace in a real Chromium: keyboard only, conflicts, QA and memory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy import select

from workflow.db import Database
from workflow.engine import MTEngine, MTResult
from workflow.models import MemoryEntry, TranslatedSegment, Translation, User
from workflow.services import jobs
from workflow.services.articles import submit_article
from workflow.services.review import approve, save_segment
from workflow.uow import UnitOfWork

pytestmark = pytest.mark.browser

TITLE = "City council approves new budget"
BODY = "The minister announced a new budget.\n\nSchools will reopen next week."


def segments(db: Database, tid: int) -> list[TranslatedSegment]:
    with db.session() as s:
        return list(s.scalars(select(TranslatedSegment).where(
            TranslatedSegment.translation_id == tid).order_by(TranslatedSegment.position)))


def state_of(db: Database, tid: int) -> str:
    with db.session() as s:
        return s.get(Translation, tid).state  # type: ignore[union-attr]


def row(page: Any, index: int) -> Any:
    return page.locator("tr.seg").nth(index)


def test_a_reviewer_does_a_whole_pass_with_the_keyboard_only(
        open_as: Callable[[str], Any], server: str, draft: Callable[..., int],
        sqlite_db: Database) -> None:
    tid = draft(TITLE, BODY)
    page = open_as("rev-es@desk.test")
    page.goto(f"{server}/translations/{tid}")
    editor = page.locator("textarea.editor")
    assert page.evaluate("document.activeElement.name") == "text"  # the first segment has focus

    page.keyboard.press("Control+/")
    assert page.locator("dialog#shortcuts").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("dialog#shortcuts").is_visible()

    page.keyboard.press("Control+Enter")  # the headline is right as it is
    page.wait_for_selector('tr.seg[data-state="confirmed"]')
    page.keyboard.press("Control+Enter")  # so is the first paragraph
    page.wait_for_function(
        "() => document.querySelectorAll('tr.seg[data-state=confirmed]').length == 2")
    third = editor.nth(2)
    assert page.evaluate("document.activeElement === document.querySelectorAll('textarea')[2]")

    page.keyboard.press("Control+Shift+S")
    assert third.input_value() == "Schools will reopen next week."
    page.keyboard.press("Control+Shift+M")
    assert third.input_value() == "Las escuelas reabrirán la próxima semana."
    page.keyboard.press("Alt+ArrowUp")
    assert page.evaluate("document.activeElement === document.querySelectorAll('textarea')[1]")
    page.keyboard.press("Alt+ArrowDown")
    page.keyboard.press("Control+A")
    page.keyboard.type("Las escuelas volverán a abrir la semana próxima.")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('tr.seg[data-state=confirmed]').length == 3")
    assert page.locator("#progress-text").inner_text() == "3 / 3 confirmed"
    assert "volverán" in row(page, 2).locator(".mt-diff ins").first.inner_text()

    page.keyboard.press("Control+Shift+A")
    page.wait_for_selector("#translation-state.state-approved")
    assert state_of(sqlite_db, tid) == "approved"
    saved = segments(sqlite_db, tid)
    assert [s.state for s in saved] == ["confirmed"] * 3
    assert saved[2].text == "Las escuelas volverán a abrir la semana próxima."
    with sqlite_db.session() as s:
        assert len(list(s.scalars(select(MemoryEntry)))) == 3


def test_the_second_to_save_a_segment_sees_the_others_text_and_loses_nothing(
        open_as: Callable[[str], Any], server: str, draft: Callable[..., int],
        sqlite_db: Database) -> None:
    tid = draft(TITLE, BODY)
    first, second = open_as("rev-es@desk.test"), open_as("admin@desk.test")
    for page in (first, second):
        page.goto(f"{server}/translations/{tid}")

    first.keyboard.press("Control+A")
    first.keyboard.type("Titular de la revisora.")
    first.keyboard.press("Control+Enter")
    first.wait_for_selector('tr.seg[data-state="confirmed"]')

    second.keyboard.press("Control+A")
    second.keyboard.type("Titular de la admin.")
    second.keyboard.press("Control+Enter")
    conflict = row(second, 0).locator(".conflict-box")
    conflict.locator(".theirs").wait_for()
    assert conflict.locator(".theirs").inner_text() == "Titular de la revisora."
    assert row(second, 0).locator("textarea").input_value() == "Titular de la admin."
    assert segments(sqlite_db, tid)[0].text == "Titular de la revisora."

    second.keyboard.press("Control+Enter")  # having seen theirs, keep mine
    second.wait_for_function(
        "() => document.querySelector('tr.seg .status').textContent === 'confirmed'")
    assert segments(sqlite_db, tid)[0].text == "Titular de la admin."


def test_a_qa_error_blocks_approval(open_as: Callable[[str], Any], server: str,
                                    draft: Callable[..., int], sqlite_db: Database) -> None:
    tid = draft(TITLE, "The minister announced a new budget of 95,000 euros.")
    page = open_as("rev-es@desk.test")
    page.goto(f"{server}/translations/{tid}")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector('tr.seg[data-state="confirmed"]')
    page.keyboard.press("Control+A")
    page.keyboard.type("El ministro anunció un nuevo presupuesto de muchos euros.")
    page.keyboard.press("Control+Enter")
    issue = row(page, 1).locator('ul.qa li.error[data-check="numbers"]')
    issue.wait_for()
    assert "95,000" in issue.inner_text()

    page.keyboard.press("Control+Shift+A")
    page.wait_for_selector("#approve-error")
    assert "QA error" in page.locator("#approve-error").inner_text()
    assert state_of(sqlite_db, tid) == "in_review"


class Recording:
    """The real engine, noting which texts reached it."""

    def __init__(self, engine_for: Callable[[str, str], MTEngine]) -> None:
        self.engine_for = engine_for
        self.sent: list[str] = []

    def __call__(self, source: str, target: str) -> Recording:
        self.engine = self.engine_for(source, target)
        return self

    name = "recording"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        self.sent.extend(texts)
        return self.engine.translate(texts, source, target)


def test_an_exact_memory_match_fills_the_segment_and_skips_mt(
        open_as: Callable[[str], Any], server: str, draft: Callable[..., int],
        sqlite_db: Database, people: dict[str, User],
        real_engine_for: Callable[[str, str], MTEngine]) -> None:
    first = draft(TITLE, "The minister announced a new budget.")
    corrected = "El ministro presentó un nuevo presupuesto."
    with UnitOfWork(sqlite_db) as uow:
        for seg in segments(sqlite_db, first):
            text = corrected if seg.position == 1 else seg.text
            save_segment(uow, first, seg.id, text, seg.revision, people["reviewer"], confirm=True)
        approve(uow, first, people["reviewer"])

    with UnitOfWork(sqlite_db) as uow:
        article = submit_article(uow, people["editor"], title="The team won the final.",
                                 body="The minister announced a new budget.\n\n"
                                      "The minister announced a new budget today.",
                                 source_language="en", target_languages_=["es"])
        second = article.translations[0].id
    engine = Recording(real_engine_for)
    assert jobs.translate(lambda: UnitOfWork(sqlite_db), second, engine, worker="t") == "done"
    assert "The minister announced a new budget." not in engine.sent
    assert engine.sent == ["The team won the final.", "The minister announced a new budget today."]

    page = open_as("rev-es@desk.test")
    page.goto(f"{server}/translations/{second}")
    remembered = row(page, 1)
    assert remembered.locator(".seg-state").inner_text() == "from memory"
    assert "translation memory" in remembered.locator(".provenance").inner_text()
    assert remembered.locator("textarea").input_value() == corrected
    fuzzy = row(page, 2).locator("ul.fuzzy li").first
    assert "%" in fuzzy.inner_text() and corrected in fuzzy.inner_text()


def test_the_least_confident_segment_is_marked_sorted_first_and_filtered(
        open_as: Callable[[str], Any], server: str, draft: Callable[..., int]) -> None:
    nonsense = "Purple elephants negotiate quantum bananas."
    tid = draft(TITLE, "The minister announced a new budget.\n\nSchools will reopen next week."
                f"\n\n{nonsense}\n\nRain is expected tomorrow.")
    page = open_as("rev-es@desk.test")
    page.goto(f"{server}/translations/{tid}")
    low = page.locator("tr.seg .confidence-low")
    assert low.count() == 1
    assert nonsense in page.locator("tr.seg", has=page.locator(".confidence-low")).inner_text()
    assert "% sure" in row(page, 1).locator(".confidence").inner_text()

    page.click("#sort-confidence")
    assert nonsense in row(page, 0).inner_text()
    page.click("#sort-confidence")  # back to the article's order
    assert TITLE in row(page, 0).inner_text()

    page.click('#filters button[data-filter="least"]')
    shown = [r for r in page.locator("tr.seg").all() if r.is_visible()]
    assert any(nonsense in r.inner_text() for r in shown)
    assert not any("Schools will reopen" in r.inner_text() for r in shown)
