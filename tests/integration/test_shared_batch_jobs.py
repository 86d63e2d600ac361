"""Jobs that share the engine's batches: each still claimed, counted and finished on its own."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import func, select

from tests.use_cases import FakeEngine, submit
from workflow.db import Database
from workflow.engine import EngineUnavailable, MTResult
from workflow.models import AuditEvent, TranslatedSegment, Translation, User
from workflow.services import jobs
from workflow.services.batch import Sharing, translate_together
from workflow.uow import UnitOfWork

NO_WAIT = Sharing(budget_chars=16000, wait_seconds=0.0)


def _ids(db: Database, language: str) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(Translation.id).where(Translation.language == language)
                              .order_by(Translation.id)))


def _together(db: Database, tid: int, engine: object, worker: str = "w1",
              sharing: Sharing = NO_WAIT) -> dict[int, str]:
    return translate_together(lambda: UnitOfWork(db), tid, lambda s, t: engine,  # type: ignore[arg-type,return-value]
                              worker, sharing=sharing)


def test_waiting_jobs_for_the_same_pair_share_one_engine_call_and_each_becomes_a_draft(
        sqlite_db: Database, people: dict[str, User]) -> None:
    for n in ("one", "two", "three"):
        submit(sqlite_db, people["editor"], title=f"Story {n}", body=f"First {n}.\n\nSecond {n}.")
    es = _ids(sqlite_db, "es")
    engine = FakeEngine()
    outcomes = _together(sqlite_db, es[0], engine)
    assert outcomes == {tid: "done" for tid in es}  # the French jobs are another pair
    assert len(engine.calls) == 1 and len(engine.calls[0]) == 9
    with sqlite_db.session() as s:
        states = dict(s.execute(select(Translation.id, Translation.state)).all())
        texts = set(s.scalars(select(TranslatedSegment.mt_text)
                              .where(TranslatedSegment.translation_id == es[2])))
        starts = s.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.action == "translation.start"))
    assert [states[t] for t in es] == ["draft"] * 3
    assert {states[t] for t in _ids(sqlite_db, "fr")} == {"queued"}
    assert texts == {"[es] Story three", "[es] First three.", "[es] Second three."}
    assert starts == 3  # one attempt each, recorded on each job


def test_a_job_of_a_shared_batch_runs_again_as_a_no_op(
        sqlite_db: Database, people: dict[str, User]) -> None:
    for n in ("one", "two"):
        submit(sqlite_db, people["editor"], title=f"Story {n}")
    es = _ids(sqlite_db, "es")
    _together(sqlite_db, es[0], FakeEngine())
    again = FakeEngine()
    assert _together(sqlite_db, es[1], again) == {es[1]: "skipped"}
    assert again.calls == []
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(TranslatedSegment)) == 6


def test_the_budget_leaves_jobs_that_do_not_fit_for_another_worker(
        sqlite_db: Database, people: dict[str, User]) -> None:
    for n in range(3):
        submit(sqlite_db, people["editor"], title=f"Story {n}", body="x" * 200 + ".")
    es = _ids(sqlite_db, "es")
    outcomes = _together(sqlite_db, es[0], FakeEngine(),
                         sharing=Sharing(budget_chars=450, wait_seconds=0.0))
    assert outcomes == {es[0]: "done", es[1]: "done"}
    with sqlite_db.session() as s:
        assert s.get(Translation, es[2]).state == "queued"  # type: ignore[union-attr]


def test_a_job_leased_elsewhere_or_retrying_is_not_taken_into_a_batch(
        sqlite_db: Database, people: dict[str, User]) -> None:
    for n in ("one", "two", "three"):
        submit(sqlite_db, people["editor"], title=f"Story {n}")
    es = _ids(sqlite_db, "es")
    with UnitOfWork(sqlite_db) as uow:
        assert jobs.claim(uow, es[1], "other:1", 600)
    with UnitOfWork(sqlite_db) as uow:  # given back after a crash: its retry runs alone
        t = uow.session.get(Translation, es[2])
        assert t is not None
        t.attempts = 1
        uow.commit()
    assert _together(sqlite_db, es[0], FakeEngine()) == {es[0]: "done"}
    with sqlite_db.session() as s:
        assert s.get(Translation, es[1]).lease_owner == "other:1"  # type: ignore[union-attr]


class Poisoned(FakeEngine):
    """Fails any call that holds the poisoned text, as a model crashing on one input."""

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        self.calls.append(list(texts))
        if any("poison" in t for t in texts):
            raise IndexError("index out of range in self")
        return [MTResult(f"[{target}] {t}", "fake", "fake-1") for t in texts]


def test_one_bad_article_in_a_shared_batch_fails_alone_and_the_others_finish(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"], title="Fine one")
    submit(sqlite_db, people["editor"], title="A poison title", body="poison.")
    submit(sqlite_db, people["editor"], title="Fine two")
    es = _ids(sqlite_db, "es")
    outcomes = _together(sqlite_db, es[0], Poisoned())
    assert outcomes == {es[0]: "done", es[1]: "failed", es[2]: "done"}


def test_a_transient_error_in_a_shared_batch_gives_every_job_back(
        sqlite_db: Database, people: dict[str, User]) -> None:
    for n in ("one", "two"):
        submit(sqlite_db, people["editor"], title=f"Story {n}")
    es = _ids(sqlite_db, "es")

    class Busy(FakeEngine):
        def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
            raise EngineUnavailable("out of memory")

    sent: list[int] = []
    with pytest.raises(EngineUnavailable):
        translate_together(lambda: UnitOfWork(sqlite_db, dispatch=sent.extend), es[0],
                           lambda s, t: Busy(), "w1", sharing=NO_WAIT)
    with sqlite_db.session() as s:
        rows = s.execute(select(Translation.state, Translation.lease_owner)
                         .where(Translation.id.in_(es))).all()
    assert rows == [("queued", None), ("queued", None)]
    assert sent == [es[1]]  # the lead's task retries it; the companion is sent again


class Sure(FakeEngine):
    """A fake engine sure of every output, so a review policy can pre-confirm it."""

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        self.calls.append(list(texts))
        return [MTResult(f"[{target}] {t}", "fake", "fake-1", confidence=0.99) for t in texts]


def test_jobs_saved_together_keep_the_review_policy_and_their_outdated_segments(
        sqlite_db: Database, people: dict[str, User]) -> None:
    from workflow.models import ReviewPolicy, SegmentState
    from workflow.services.updates import update_article

    first = submit(sqlite_db, people["editor"], title="Story one", body="Kept.\n\nOld line.")
    _together(sqlite_db, _ids(sqlite_db, "es")[0], FakeEngine())
    with UnitOfWork(sqlite_db) as uow:  # a reviewer's language now pre-confirms sure drafts
        uow.session.add(ReviewPolicy(language="es", min_confidence=0.9))
        uow.commit()
    with UnitOfWork(sqlite_db) as uow:
        update_article(uow, first, people["editor"], title="Story one", body="Kept.\n\nNew line.")
    submit(sqlite_db, people["editor"], title="Story two", body="Fresh.")
    es = _ids(sqlite_db, "es")
    engine = Sure()
    assert _together(sqlite_db, es[0], engine) == {es[0]: "done", es[1]: "done"}
    assert engine.calls == [["New line.", "Story two", "Fresh."]]  # one call for both jobs
    with sqlite_db.session() as s:
        rows = s.execute(select(TranslatedSegment.translation_id, TranslatedSegment.source_text,
                                TranslatedSegment.state, TranslatedSegment.preconfirmed)
                         .order_by(TranslatedSegment.translation_id,
                                   TranslatedSegment.position)).all()
        finishes = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "translation.finish", AuditEvent.translation_id.in_(es)))
    states = {(tid, text): (state, pre is not None) for tid, text, state, pre in rows}
    # The changed paragraph is outdated until a reviewer looks; the other job's sure
    # drafts are pre-confirmed by the policy, as when each job is saved on its own.
    assert states[(es[0], "New line.")] == (SegmentState.OUTDATED, False)
    assert states[(es[0], "Kept.")] == (SegmentState.MT, False)  # from the first run
    assert states[(es[1], "Fresh.")] == (SegmentState.MT, True)
    assert finishes == 3  # the first run's, and one for each job of the shared batch


def test_the_lead_waits_for_jobs_still_arriving_and_not_once_the_burst_is_in(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"], title="Story one")
    submit(sqlite_db, people["editor"], title="Story two")
    naps: list[float] = []

    def one_more_arrives(seconds: float) -> None:  # a job arrives during the first nap only
        naps.append(seconds)
        if len(naps) == 1:
            submit(sqlite_db, people["editor"], title="Story three")

    es = _ids(sqlite_db, "es")
    outcomes = translate_together(lambda: UnitOfWork(sqlite_db), es[0],
                                  lambda s, t: FakeEngine(), "w1",  # type: ignore[arg-type,return-value]
                                  sharing=Sharing(budget_chars=16000, wait_seconds=5.0),
                                  sleep=one_more_arrives)
    assert outcomes == {tid: "done" for tid in _ids(sqlite_db, "es")}
    assert len(outcomes) == 3  # the one that arrived while the lead waited came along
    assert len(naps) == 2  # and the look after it found nothing new: no waiting out 5 s


def test_the_lead_does_not_wait_when_the_queue_already_holds_more_than_the_budget(
        sqlite_db: Database, people: dict[str, User]) -> None:
    for n in range(3):
        submit(sqlite_db, people["editor"], title=f"Story {n}", body="x" * 200 + ".")
    naps: list[float] = []
    es = _ids(sqlite_db, "es")
    outcomes = translate_together(lambda: UnitOfWork(sqlite_db), es[0],
                                  lambda s, t: FakeEngine(), "w1",  # type: ignore[arg-type,return-value]
                                  sharing=Sharing(budget_chars=450, wait_seconds=5.0),
                                  sleep=naps.append)
    assert outcomes == {es[0]: "done", es[1]: "done"}  # the third does not fit: a backlog
    assert naps == []  # so the batch goes at once instead of waiting for more to arrive
    with sqlite_db.session() as s:
        assert s.get(Translation, es[2]).state == "queued"  # type: ignore[union-attr]
