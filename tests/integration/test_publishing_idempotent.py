"""Publishing twice never makes two identical editions; a lost race is a 409, not a 500."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import make_user
from tests.use_cases import FakeEngine, run_job, submit, translation_id
from workflow.db import Database
from workflow.errors import Conflict
from workflow.models import Publication, TranslatedSegment, User
from workflow.services import publishing
from workflow.services.publishing import publish, publish_source
from workflow.services.review import approve, save_segment, send_back
from workflow.uow import UnitOfWork


def approved_spanish(db: Database, people: dict[str, User]) -> int:
    submit(db, people["editor"])
    tid = translation_id(db, "es")
    run_job(db, tid, FakeEngine())
    with UnitOfWork(db) as uow:
        approve(uow, tid, people["reviewer"])
    return tid


def editions(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Publication)) or 0)


def test_publishing_the_same_text_again_returns_the_live_edition(
        sqlite_db: Database, people: dict[str, User]) -> None:
    tid = approved_spanish(sqlite_db, people)
    with UnitOfWork(sqlite_db) as uow:
        first = publish(uow, tid, people["publisher"]).id
    with UnitOfWork(sqlite_db) as uow:
        assert publish(uow, tid, people["publisher"]).id == first
    assert editions(sqlite_db) == 1

    with UnitOfWork(sqlite_db) as uow:
        send_back(uow, tid, people["publisher"], "tighten the headline")
    with UnitOfWork(sqlite_db) as uow:
        seg = uow.session.scalars(select(TranslatedSegment).where(
            TranslatedSegment.translation_id == tid, TranslatedSegment.kind == "title")).one()
        save_segment(uow, tid, seg.id, "Día del presupuesto", seg.revision, people["reviewer"])
    with UnitOfWork(sqlite_db) as uow:
        approve(uow, tid, people["reviewer"])
    with UnitOfWork(sqlite_db) as uow:
        assert publish(uow, tid, people["publisher"]).number == 2  # new text: a new edition


def test_publishing_the_unchanged_source_twice_keeps_one_edition(
        sqlite_db: Database, people: dict[str, User]) -> None:
    article_id = submit(sqlite_db, people["editor"])
    for _ in range(2):
        with UnitOfWork(sqlite_db) as uow:
            publish_source(uow, article_id, people["publisher"])
    assert editions(sqlite_db) == 1


def _race(publish_once: Callable[[], object], n: int) -> list[str]:
    """Run ``publish_once`` in ``n`` threads at once; what each one saw."""
    start = threading.Barrier(n)
    outcomes: list[str] = []

    def go() -> None:
        start.wait()
        try:
            publish_once()
            outcomes.append("published")
        except Conflict:
            outcomes.append("conflict")
        except Exception as exc:  # anything else would be a 500 on the page
            outcomes.append(f"crash: {exc!r}")

    threads = [threading.Thread(target=go) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_two_publishers_racing_make_one_edition_and_the_loser_gets_a_conflict(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    publisher = make_user(db, "pub@desk.test", ["publisher"])
    article_id = submit(db, make_user(db, "ed@desk.test", ["editor"]))
    # Both publishers take the next edition number before either writes it: the race the
    # unique (article, language, number) key settles.
    both_counted = threading.Barrier(2)
    next_number = publishing._next_number

    def counted(*args: Any) -> int:
        number = next_number(*args)
        both_counted.wait(timeout=30)
        return number

    monkeypatch.setattr(publishing, "_next_number", counted)

    def publish_once() -> None:
        with UnitOfWork(db) as uow:
            publish_source(uow, article_id, publisher)

    outcomes = _race(publish_once, 2)
    assert sorted(outcomes) == ["conflict", "published"]
    assert editions(db) == 1


def test_publishers_racing_on_a_translation_make_one_edition_and_no_error(
        db: Database) -> None:
    reviewer = make_user(db, "rev@desk.test", ["reviewer"], ["es"])
    publisher = make_user(db, "pub@desk.test", ["publisher"])
    submit(db, make_user(db, "ed@desk.test", ["editor"]))
    tid = translation_id(db, "es")
    run_job(db, tid, FakeEngine())
    with UnitOfWork(db) as uow:
        approve(uow, tid, reviewer)

    def publish_once() -> None:
        with UnitOfWork(db) as uow:
            publish(uow, tid, publisher)

    # The translation's row lock lines them up; whoever comes second finds the live edition.
    outcomes = _race(publish_once, 4)
    assert all(o in ("published", "conflict") for o in outcomes), outcomes
    assert "published" in outcomes
    assert editions(db) == 1
