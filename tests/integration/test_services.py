"""Use cases on a real SQLite file with a fake engine: submit, translate, review, publish."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import func, select

from tests.conftest import Dispatched
from tests.use_cases import FakeEngine, run_job, submit, translation_id
from workflow.db import Database
from workflow.engine import EngineUnavailable, MTResult, UnsupportedPair
from workflow.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NoHeadline,
    NotFound,
    TooLarge,
)
from workflow.models import AuditEvent, Publication, State, TranslatedSegment, Translation, User
from workflow.services import jobs
from workflow.services.articles import submit_article
from workflow.services.publishing import live_edition, publish
from workflow.services.review import approve, save_segment
from workflow.uow import UnitOfWork


def test_submit_creates_queued_jobs_and_enqueues_them_only_after_commit(
        sqlite_db: Database, people: dict[str, User]) -> None:
    seen_committed: list[int] = []

    def dispatch(ids: list[int]) -> None:
        with sqlite_db.session() as s:  # another connection sees the rows: it was committed
            seen_committed.extend(s.scalars(select(Translation.id).where(Translation.id.in_(ids))))

    with UnitOfWork(sqlite_db, dispatch=dispatch) as uow:
        article = submit_article(uow, people["editor"], title="Budget day", body="One.\n\nTwo.",
                                 source_language="en", target_languages_=["es", "fr", "es"])
        assert [t.state for t in article.translations] == ["queued", "queued"]
    assert sorted(seen_committed) == sorted(t.id for t in article.translations)


@pytest.mark.parametrize("fields, error, message", [
    ({"title": "  "}, NoHeadline, "No headline found in the text: give a title."),
    ({"body": "\n \n"}, InvalidInput, "body is empty"),
    ({"source_language": "xx"}, InvalidInput, "Supported: ar,"),
    ({"target_languages_": []}, InvalidInput, "at least one target"),
    ({"target_languages_": ["en"]}, InvalidInput, "is the source language"),
    ({"body": "a\x00b"}, InvalidInput, "control character"),
    ({"body": "x" * 300_001}, TooLarge, "the limit is 200,000"),
])
def test_bad_submissions_say_what_to_fix_and_write_nothing(
        sqlite_db: Database, people: dict[str, User], fields: dict[str, object],
        error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        submit(sqlite_db, people["editor"], **fields)
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Translation)) == 0


def test_only_editors_submit(sqlite_db: Database, people: dict[str, User]) -> None:
    with pytest.raises(Forbidden):
        submit(sqlite_db, people["reviewer"])


def test_translate_writes_drafts_with_provenance_and_a_second_run_changes_nothing(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"])
    tid = translation_id(sqlite_db, "es")
    engine = FakeEngine()
    assert run_job(sqlite_db, tid, engine) == "done"
    assert run_job(sqlite_db, tid, engine) == "skipped"
    # One call for the whole article, its sentences sorted by length for even batches.
    assert engine.calls == [["One.", "Two.", "Budget day"]]
    with sqlite_db.session() as s:
        t = s.get(Translation, tid)
        assert t is not None and t.state == State.DRAFT and t.attempts == 1
        assert [(x.source_text, x.mt_text, x.engine, x.model) for x in t.segments] == [
            ("Budget day", "[es] Budget day", "fake", "fake-1"),
            ("One.", "[es] One.", "fake", "fake-1"),
            ("Two.", "[es] Two.", "fake", "fake-1"),
        ]
        assert [e.action for e in t.events] == ["translation.start", "translation.finish"]


def test_a_job_leased_by_a_live_worker_is_not_taken_by_another(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"])
    tid = translation_id(sqlite_db, "es")
    with UnitOfWork(sqlite_db) as uow:
        assert jobs.claim(uow, tid, "w1", lease_seconds=600)
    assert run_job(sqlite_db, tid, FakeEngine(), worker="w2") == "skipped"


def test_an_expired_lease_is_taken_over_and_the_dead_worker_cannot_finish(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"])
    tid = translation_id(sqlite_db, "es")
    with UnitOfWork(sqlite_db) as uow:
        assert jobs.claim(uow, tid, "dead", lease_seconds=-1)
    assert run_job(sqlite_db, tid, FakeEngine(), worker="alive") == "done"
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(TranslatedSegment)) == 3
        assert s.get(Translation, tid).attempts == 2  # type: ignore[union-attr]


def test_a_job_that_keeps_dying_fails_with_the_reason_after_the_attempt_limit(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"])
    tid = translation_id(sqlite_db, "es")
    for _ in range(3):
        with UnitOfWork(sqlite_db) as uow:
            assert jobs.claim(uow, tid, "crashy", lease_seconds=-1)
    outcome = jobs.translate(lambda: UnitOfWork(sqlite_db), tid, lambda s, t: FakeEngine(), "w",
                             max_attempts=3)
    assert outcome == "failed"
    with sqlite_db.session() as s:
        t = s.get(Translation, tid)
        assert t is not None and t.state == State.FAILED
        assert "Gave up after 3 attempts" in (t.error or "")


def test_a_pair_no_engine_serves_becomes_a_draft_with_empty_targets_for_people(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"])
    tid = translation_id(sqlite_db, "fr")

    def no_engine(source: str, target: str) -> FakeEngine:
        raise UnsupportedPair(f"No model for {source}→{target}.")

    assert jobs.translate(lambda: UnitOfWork(sqlite_db), tid, no_engine, "w") == "done"
    with sqlite_db.session() as s:
        t = s.get(Translation, tid)
        assert t is not None and (t.state, t.error, t.lease_owner) == ("draft", None, None)
        assert [(seg.text, seg.mt_text, seg.engine, seg.state) for seg in t.segments] == [
            ("", None, None, "untranslated")] * 3
        assert {f["code"] for seg in t.segments for f in seg.flags} == {"no_engine"}
        assert "translate this segment from the source" in t.segments[0].flags[0]["message"]
        finish = s.scalars(select(AuditEvent).where(AuditEvent.action == "translation.finish")
                           ).one()
        assert "no engine translates en→fr here: 3 segments left empty" in (finish.note or "")


class Raises(FakeEngine):
    """A real-looking engine failure: an exception that is not one of ours."""

    def __init__(self, exc: Exception) -> None:
        super().__init__()
        self.exc = exc

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        self.calls.append(list(texts))
        raise self.exc


def test_an_engine_that_raises_anything_fails_the_job_at_once_naming_the_segment(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"], body="The council met on Monday.")
    tid = translation_id(sqlite_db, "es")
    assert run_job(sqlite_db, tid, Raises(IndexError("index out of range in self"))) == "failed"
    with sqlite_db.session() as s:
        t = s.get(Translation, tid)
        assert t is not None and (t.state, t.lease_owner, t.attempts) == ("failed", None, 1)
        assert t.error == (
            "2 of 2 segments could not be translated (positions 0, 1). Segment 0 "
            "(“Budget day”): fake fake failed on “Budget day”: IndexError: index out of "
            "range in self. The others are kept; Retry translates only the missing ones.")


def test_a_job_whose_worker_died_is_taken_over_at_once_not_after_its_lease(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"])
    tid = translation_id(sqlite_db, "es")
    with UnitOfWork(sqlite_db) as uow:
        assert jobs.claim(uow, tid, "host:111", lease_seconds=600)
    with UnitOfWork(sqlite_db) as uow:  # alive: its lease holds
        assert not jobs.claim(uow, tid, "host:222", 600, gone=lambda owner: False)
    assert jobs.translate(lambda: UnitOfWork(sqlite_db), tid, lambda s, t: FakeEngine(),
                          "host:222", gone=lambda owner: owner == "host:111") == "done"
    with sqlite_db.session() as s:
        notes = list(s.scalars(select(AuditEvent.note).where(
            AuditEvent.action == "translation.start").order_by(AuditEvent.id)))
    assert notes[-1] == ("attempt 2 by host:222; the previous worker process (host:111) "
                         "died while translating")


def test_a_transient_engine_error_puts_the_job_back_in_the_queue(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"])
    tid = translation_id(sqlite_db, "es")

    def busy(source: str, target: str) -> FakeEngine:
        raise EngineUnavailable("out of memory")

    with pytest.raises(EngineUnavailable):
        jobs.translate(lambda: UnitOfWork(sqlite_db), tid, busy, "w")
    with sqlite_db.session() as s:
        assert s.get(Translation, tid).state == State.QUEUED  # type: ignore[union-attr]


def test_reconciler_re_enqueues_expired_leases_and_jobs_queued_too_long(
        sqlite_db: Database, people: dict[str, User]) -> None:
    submit(sqlite_db, people["editor"])
    es, fr = translation_id(sqlite_db, "es"), translation_id(sqlite_db, "fr")
    with UnitOfWork(sqlite_db) as uow:
        assert jobs.claim(uow, fr, "dead", lease_seconds=-1)
    sent = Dispatched()
    with UnitOfWork(sqlite_db, dispatch=sent) as uow:
        assert jobs.requeue_stale(uow, requeue_after=3600) == [fr]
    with UnitOfWork(sqlite_db, dispatch=sent) as uow:
        assert jobs.requeue_stale(uow, requeue_after=0) == [es, fr]  # fr's lease is still dead
    assert sent == [fr, es, fr]


def review_ready(db: Database, people: dict[str, User]) -> int:
    submit(db, people["editor"])
    tid = translation_id(db, "es")
    run_job(db, tid, FakeEngine())
    return tid


def first_segment(db: Database, tid: int) -> TranslatedSegment:
    with db.session() as s:
        seg = s.scalars(select(TranslatedSegment).where(TranslatedSegment.translation_id == tid)
                        .order_by(TranslatedSegment.position)).first()
        assert seg is not None
        return seg


def test_saving_a_segment_keeps_the_mt_and_records_who(
        sqlite_db: Database, people: dict[str, User]) -> None:
    tid = review_ready(sqlite_db, people)
    seg = first_segment(sqlite_db, tid)
    with UnitOfWork(sqlite_db) as uow:
        saved = save_segment(uow, tid, seg.id, "Día del presupuesto", seg.revision,
                             people["reviewer"])
    assert (saved.text, saved.mt_text, saved.revision, saved.state) == (
        "Día del presupuesto", "[es] Budget day", 2, "edited")
    assert saved.edited_by_id == people["reviewer"].id
    with sqlite_db.session() as s:
        assert s.get(Translation, tid).state == State.IN_REVIEW  # type: ignore[union-attr]


def test_a_stale_revision_is_a_conflict_that_returns_the_other_text_and_keeps_it(
        sqlite_db: Database, people: dict[str, User]) -> None:
    tid = review_ready(sqlite_db, people)
    seg = first_segment(sqlite_db, tid)
    with UnitOfWork(sqlite_db) as uow:
        save_segment(uow, tid, seg.id, "Primera", seg.revision, people["reviewer"])
    with UnitOfWork(sqlite_db) as uow, pytest.raises(Conflict) as info:
        save_segment(uow, tid, seg.id, "Segunda", seg.revision, people["admin"])
    assert info.value.details == {"current_text": "Primera", "current_revision": 2}
    assert first_segment(sqlite_db, tid).text == "Primera"


def test_a_reviewer_cannot_see_another_languages_translation(
        sqlite_db: Database, people: dict[str, User]) -> None:
    tid = review_ready(sqlite_db, people)
    seg = first_segment(sqlite_db, tid)
    with UnitOfWork(sqlite_db) as uow, pytest.raises(NotFound):
        save_segment(uow, tid, seg.id, "Hack", seg.revision, people["reviewer_fr"])
    with UnitOfWork(sqlite_db) as uow, pytest.raises(NotFound):
        approve(uow, tid, people["reviewer_fr"])


def test_publish_snapshots_the_approved_text_and_republishing_it_unchanged_adds_no_edition(
        sqlite_db: Database, people: dict[str, User]) -> None:
    tid = review_ready(sqlite_db, people)
    with UnitOfWork(sqlite_db) as uow, pytest.raises(InvalidTransition):
        publish(uow, tid, people["publisher"])
    with UnitOfWork(sqlite_db) as uow:
        approve(uow, tid, people["reviewer"])
    with UnitOfWork(sqlite_db) as uow:
        first = publish(uow, tid, people["publisher"])
    with UnitOfWork(sqlite_db) as uow:
        second = publish(uow, tid, people["publisher"])
    assert (first.number, second.number) == (1, 1)  # the same text is not published twice
    assert first.title == "[es] Budget day"
    assert first.html == "<p>[es] One.</p>\n<p>[es] Two.</p>"
    with UnitOfWork(sqlite_db) as uow:
        live = live_edition(uow, "es", slug="es-budget-day")  # the edition's own slug
        assert live is not None and live.number == 1
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Publication)) == 1
        actions = list(s.scalars(select(AuditEvent.action).where(AuditEvent.translation_id == tid)))
        assert actions.count("translation.publish") == 2 and "translation.approve" in actions
