"""The review desk's use cases on a real SQLite file with a fake engine: QA gate, memory,
claims, sign-in limits and post-edit scores."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, make_user
from tests.use_cases import FakeEngine, run_job, submit
from workflow.db import Database
from workflow.errors import Conflict, NotFound
from workflow.models import (
    Assignment,
    MemoryEntry,
    PostEditScore,
    QAOverride,
    State,
    TranslatedSegment,
    Translation,
    User,
)
from workflow.services.assignments import assign, claim, inbox
from workflow.services.review import QABlocked, approve, save_segment
from workflow.services.signin import Limits, TooManyAttempts, sign_in
from workflow.uow import UnitOfWork


def segments(db: Database, tid: int) -> list[TranslatedSegment]:
    with db.session() as s:
        return list(s.scalars(select(TranslatedSegment)
                              .where(TranslatedSegment.translation_id == tid)
                              .order_by(TranslatedSegment.position)))


def drafted(db: Database, people: dict[str, User], body: str = "One.\n\nTwo.",
            title: str = "Budget day") -> int:
    submit(db, people["editor"], title=title, body=body, target_languages_=["es"])
    with db.session() as s:
        tid = s.scalar(select(Translation.id).order_by(Translation.id.desc()))
    assert tid is not None
    run_job(db, tid, FakeEngine())
    return tid


def confirm_all(db: Database, tid: int, actor: User, texts: dict[int, str] | None = None) -> None:
    for seg in segments(db, tid):
        with UnitOfWork(db) as uow:
            save_segment(uow, tid, seg.id, (texts or {}).get(seg.position, seg.text),
                         seg.revision, actor, confirm=True)


def test_a_qa_error_blocks_approval_and_leaves_the_translation_in_review(
        sqlite_db: Database, people: dict[str, User]) -> None:
    tid = drafted(sqlite_db, people, body="95,000 people came.")
    confirm_all(sqlite_db, tid, people["reviewer"], {1: "Vinieron muchas personas."})
    with UnitOfWork(sqlite_db) as uow, pytest.raises(QABlocked) as blocked:
        approve(uow, tid, people["reviewer"], override_reason="looks fine to me")
    assert "95,000" in blocked.value.message
    with sqlite_db.session() as s:
        assert s.get(Translation, tid).state == State.IN_REVIEW  # type: ignore[union-attr]


def test_warnings_need_a_reason_which_is_kept(sqlite_db: Database,
                                              people: dict[str, User]) -> None:
    tid = drafted(sqlite_db, people, body="The government promised more housing.")
    confirm_all(sqlite_db, tid, people["reviewer"], {1: "Sí."})  # far too short: a warning
    with UnitOfWork(sqlite_db) as uow, pytest.raises(QABlocked, match="give a reason"):
        approve(uow, tid, people["reviewer"])
    with UnitOfWork(sqlite_db) as uow:
        approve(uow, tid, people["reviewer"], override_reason="Headline style: short on purpose")
    with sqlite_db.session() as s:
        kept = s.scalars(select(QAOverride)).one()
        assert (kept.check, kept.reason) == ("length", "Headline style: short on purpose")
        assert s.get(Translation, tid).state == State.APPROVED  # type: ignore[union-attr]


def test_an_exact_memory_match_fills_the_segment_and_skips_the_engine(
        sqlite_db: Database, people: dict[str, User]) -> None:
    first = drafted(sqlite_db, people, body="The river flooded the old town.")
    confirm_all(sqlite_db, first, people["reviewer"], {1: "El río anegó el casco viejo."})
    with UnitOfWork(sqlite_db) as uow:
        approve(uow, first, people["reviewer"])
    submit(sqlite_db, people["editor"], title="Flood news",
           body="The river flooded the old town.\n\nSomething new.", target_languages_=["es"])
    with sqlite_db.session() as s:
        second = s.scalar(select(Translation.id).order_by(Translation.id.desc()))
    assert second is not None
    engine = FakeEngine()
    assert run_job(sqlite_db, second, engine) == "done"
    assert engine.calls == [["Flood news", "Something new."]]
    remembered = segments(sqlite_db, second)[1]
    assert (remembered.text, remembered.state, remembered.engine, remembered.mt_text) == (
        "El río anegó el casco viejo.", "tm", "translation memory", None)


def test_only_confirmed_segments_enter_the_memory(sqlite_db: Database,
                                                 people: dict[str, User]) -> None:
    tid = drafted(sqlite_db, people, body="One.\n\nTwo.")
    seg = segments(sqlite_db, tid)[1]
    with UnitOfWork(sqlite_db) as uow:
        save_segment(uow, tid, seg.id, "Uno.", seg.revision, people["reviewer"], confirm=True)
    with UnitOfWork(sqlite_db) as uow:
        approve(uow, tid, people["reviewer"])
    with sqlite_db.session() as s:
        assert [(m.source_text, m.target_text) for m in s.scalars(select(MemoryEntry))] == [
            ("One.", "Uno.")]


def test_approval_records_post_edit_distance_per_segment_and_translation(
        sqlite_db: Database, people: dict[str, User]) -> None:
    tid = drafted(sqlite_db, people, body="One.\n\nTwo.")
    confirm_all(sqlite_db, tid, people["reviewer"], {1: "Uno."})
    with UnitOfWork(sqlite_db) as uow:
        approve(uow, tid, people["reviewer"])
    with sqlite_db.session() as s:
        scores = {r.segment_id: r for r in s.scalars(select(PostEditScore))}
    untouched, edited = segments(sqlite_db, tid)[0], segments(sqlite_db, tid)[1]
    assert scores[untouched.id].ter == 0 and scores[untouched.id].chrf == 100
    assert scores[edited.id].ter > 0 and scores[edited.id].chrf < 100
    whole = scores[None]
    assert whole.segments == 3 and whole.engine == "fake" and 0 < whole.ter < 100


def test_once_claimed_another_reviewer_of_the_language_can_neither_see_nor_edit(
        sqlite_db: Database, people: dict[str, User]) -> None:
    other = make_user(sqlite_db, "rev-es2@desk.test", ["reviewer"], ["es"])
    tid = drafted(sqlite_db, people)
    with UnitOfWork(sqlite_db) as uow:
        assert [t.id for t in inbox(uow, other).waiting] == [tid]
        claim(uow, tid, people["reviewer"])
    seg = segments(sqlite_db, tid)[0]
    with UnitOfWork(sqlite_db) as uow, pytest.raises(NotFound):
        save_segment(uow, tid, seg.id, "Mío.", seg.revision, other)
    with UnitOfWork(sqlite_db) as uow, pytest.raises(NotFound):
        claim(uow, tid, other)
    with UnitOfWork(sqlite_db) as uow:
        assert inbox(uow, other).waiting == []
        assert [t.id for t, _ in inbox(uow, people["reviewer"]).mine] == [tid]
        save_segment(uow, tid, seg.id, "De la admin.", seg.revision, people["admin"])


def test_the_first_reviewer_to_edit_a_draft_claims_it(sqlite_db: Database,
                                                     people: dict[str, User]) -> None:
    tid = drafted(sqlite_db, people)
    seg = segments(sqlite_db, tid)[0]
    with UnitOfWork(sqlite_db) as uow:
        save_segment(uow, tid, seg.id, "Día.", seg.revision, people["reviewer"])
    with sqlite_db.session() as s:
        assert s.get(Assignment, tid).reviewer_id == people["reviewer"].id  # type: ignore[union-attr]


def test_an_editor_assigns_to_the_least_loaded_reviewer_with_a_due_date(
        sqlite_db: Database, people: dict[str, User]) -> None:
    from datetime import UTC, datetime

    idle = make_user(sqlite_db, "rev-es2@desk.test", ["reviewer"], ["es"])
    busy = drafted(sqlite_db, people)
    with UnitOfWork(sqlite_db) as uow:
        claim(uow, busy, people["reviewer"])
    fresh = drafted(sqlite_db, people, title="Another day")
    due = datetime(2026, 12, 31, tzinfo=UTC)
    with UnitOfWork(sqlite_db) as uow:
        held = assign(uow, fresh, people["editor"], due_at=due)
        assert (held.reviewer_id, held.due_at) == (idle.id, due)
        assert [t.id for t, _ in inbox(uow, idle).mine] == [fresh]
    with UnitOfWork(sqlite_db) as uow, pytest.raises(Conflict):
        claim(uow, busy, people["admin"])  # held by someone else


def test_sign_in_delays_per_account_and_per_client_and_never_locks_the_owner_out(
        sqlite_db: Database, people: dict[str, User]) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from workflow.models import LoginThrottle, utcnow

    limits = Limits(per_account=3, per_client=5)
    for _ in range(3):
        with UnitOfWork(sqlite_db) as uow:
            assert sign_in(uow, "editor@desk.test", "wrong", "10.0.0.1", limits) is None
    with UnitOfWork(sqlite_db) as uow, pytest.raises(TooManyAttempts, match="wait 1 seconds"):
        sign_in(uow, "editor@desk.test", PASSWORD, "10.0.0.9", limits)  # during the wait
    with UnitOfWork(sqlite_db) as uow:  # the second passes
        uow.session.execute(update(LoginThrottle).values(
            next_allowed_at=utcnow() - timedelta(seconds=1)))
        uow.commit()
        assert sign_in(uow, "editor@desk.test", PASSWORD, "10.0.0.9", limits) is not None
    for email in ("a@desk.test", "b@desk.test"):
        with UnitOfWork(sqlite_db) as uow:
            sign_in(uow, email, "wrong", "10.0.0.1", limits)
    with UnitOfWork(sqlite_db) as uow, pytest.raises(TooManyAttempts, match="your address"):
        sign_in(uow, "pub@desk.test", PASSWORD, "10.0.0.1", limits)
    with UnitOfWork(sqlite_db) as uow:
        assert sign_in(uow, "pub@desk.test", PASSWORD, "10.0.0.2", limits) is not None


def test_the_delay_doubles_from_one_second_up_to_its_cap() -> None:
    from datetime import timedelta

    from workflow.services.signin import delay_after

    cap = timedelta(seconds=60)
    assert [delay_after(n, 5, cap).total_seconds() for n in range(3, 13)] == [
        0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_fuzzy_matches_come_with_their_percentage(sqlite_db: Database) -> None:
    from workflow import memory

    with UnitOfWork(sqlite_db) as uow:
        memory.remember(uow.session, "en", "es", "The minister announced a new budget.",
                        "El ministro anunció un nuevo presupuesto.", None)
        uow.commit()
        found = memory.fuzzy_matches(uow.session, "en", "es", [
            "The minister announced a new budget today.", "Rain is expected tomorrow.",
            "The minister announced a new budget."])
    (match,) = found["The minister announced a new budget today."]
    assert match.target == "El ministro anunció un nuevo presupuesto." and 85 < match.score < 100
    assert found["Rain is expected tomorrow."] == []
    assert found["The minister announced a new budget."] == []  # exact: filled, not suggested
