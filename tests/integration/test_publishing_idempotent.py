"""Publishing twice never makes two identical editions; a lost race is a 409, not a 500."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from tests.conftest import make_user
from tests.use_cases import FakeEngine, run_job, submit, translation_id
from workflow.db import Database
from workflow.errors import Conflict
from workflow.models import Publication, TranslatedSegment, User
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


def test_two_publishers_racing_make_one_edition_and_the_loser_gets_a_conflict(
        db: Database) -> None:
    reviewer = make_user(db, "rev@desk.test", ["reviewer"], ["es"])
    publisher = make_user(db, "pub@desk.test", ["publisher"])
    submit(db, make_user(db, "ed@desk.test", ["editor"]))
    tid = translation_id(db, "es")
    run_job(db, tid, FakeEngine())
    with UnitOfWork(db) as uow:
        approve(uow, tid, reviewer)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def go() -> None:
        barrier.wait()
        try:
            with UnitOfWork(db) as uow:
                publish(uow, tid, publisher)
            outcomes.append("published")
        except Conflict:
            outcomes.append("conflict")
        except Exception as exc:  # anything else would be a 500 on the page
            outcomes.append(f"crash: {exc!r}")

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(o in ("published", "conflict") for o in outcomes), outcomes
    assert "published" in outcomes
    assert editions(db) == 1

