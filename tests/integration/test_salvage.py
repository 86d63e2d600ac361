"""A failure in one segment keeps the others visible and leaves only that part to retry."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from tests.use_cases import run_job, submit, translation_id
from workflow.db import Database
from workflow.engine import EngineError, MTResult
from workflow.models import State, TranslatedSegment, Translation, User
from workflow.services.jobs import retry
from workflow.uow import UnitOfWork


class ChokesOn:
    """Fails any batch that contains ``bad`` (as a model that crashes on one input would)."""

    name = "fake"

    def __init__(self, bad: str | None) -> None:
        self.bad = bad
        self.calls: list[list[str]] = []

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        self.calls.append(list(texts))
        if self.bad in texts:
            raise EngineError(f"the model produced nothing for {self.bad!r}")
        return [MTResult(f"[{target}] {t}", "fake", "fake-1") for t in texts]


def test_one_bad_segment_fails_the_job_but_keeps_the_others_and_retry_does_only_it(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"], body="One.\n\nTwo.\n\nThree.")
    tid = translation_id(sqlite_db, "es")
    engine = ChokesOn("Two.")
    assert run_job(sqlite_db, tid, engine) == "failed"  # type: ignore[arg-type]

    with sqlite_db.session() as s:
        t = s.get(Translation, tid)
        assert t is not None and t.state == State.FAILED and t.lease_owner is None
        assert t.error is not None and "1 of 4 segments" in t.error and "positions 2" in t.error
        kept = list(s.scalars(select(TranslatedSegment.text)
                              .where(TranslatedSegment.translation_id == tid)
                              .order_by(TranslatedSegment.position)))
    assert kept == ["[es] Budget day", "[es] One.", "[es] Three."]

    with UnitOfWork(sqlite_db) as uow:
        retry(uow, tid, people["editor"])
    fixed = ChokesOn(None)
    assert run_job(sqlite_db, tid, fixed) == "done"  # type: ignore[arg-type]
    assert fixed.calls == [["Two."]]
    with sqlite_db.session() as s:
        t = s.get(Translation, tid)
        assert t is not None and t.state == State.DRAFT
        assert [seg.text for seg in t.segments] == [
            "[es] Budget day", "[es] One.", "[es] Two.", "[es] Three."]


class ChokesAndDropsWords(ChokesOn):
    """As ChokesOn, and its translation of anything long loses most of the words."""

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        return [MTResult(r.text[:12] if len(r.text) > 20 else r.text, r.engine, r.model)
                for r in super().translate(texts, source, target)]


def test_segments_kept_one_by_one_still_carry_what_the_reviewer_must_check(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"],
           body="The council approved the new budget for schools on Monday.\n\nTwo.")
    tid = translation_id(sqlite_db, "es")
    assert run_job(sqlite_db, tid, ChokesAndDropsWords("Two.")) == "failed"  # type: ignore[arg-type]
    with sqlite_db.session() as s:
        kept = s.scalars(select(TranslatedSegment).where(
            TranslatedSegment.translation_id == tid, TranslatedSegment.position == 1)).one()
        assert kept.text == "[es] The cou"
        assert [f["code"] for f in kept.flags] == ["short_output"]
