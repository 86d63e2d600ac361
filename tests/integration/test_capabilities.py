"""What workers record they can translate, and what the web reads back from it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from workflow import capabilities
from workflow.capabilities import Offer
from workflow.db import Database
from workflow.models import EngineCapability, utcnow
from workflow.uow import UnitOfWork


def test_nobody_knows_until_a_worker_has_recorded_what_it_can_translate(
        sqlite_db: Database) -> None:
    with sqlite_db.session() as s:
        assert capabilities.offers(s, "en", ["es"]) is None


def test_the_best_offer_of_any_worker_wins_and_the_rest_go_to_people(
        sqlite_db: Database) -> None:
    with UnitOfWork(sqlite_db) as uow:
        capabilities.record(uow, "gpu@one", [
            Offer("en", "ar", "opus-mt-en-ar (ctranslate2)"),
            Offer("en", "fr", "demo-opus-mt-en-fr (ctranslate2, demo model)", demo=True)])
    with UnitOfWork(sqlite_db) as uow:
        capabilities.record(uow, "cpu@two", [
            Offer("en", "fr", "en→es→fr: Apertium eng-spa, then Apertium es-fr", chained=True),
            Offer("en", "de", None)])
    with sqlite_db.session() as s:
        found = capabilities.offers(s, "en", ["ar", "fr", "de"])
    assert found is not None
    assert {k: v.words for k, v in found.items()} == {
        "ar": "opus-mt-en-ar (ctranslate2)",
        "fr": "en→es→fr: Apertium eng-spa, then Apertium es-fr",
        "de": "no engine: a reviewer translates from the source"}


def test_recording_again_replaces_a_workers_rows_and_stale_rows_are_ignored(
        sqlite_db: Database) -> None:
    with UnitOfWork(sqlite_db) as uow:
        capabilities.record(uow, "w@one", [Offer("en", "es", "Apertium eng-spa")])
    with UnitOfWork(sqlite_db) as uow:
        assert capabilities.record(uow, "w@one", [Offer("en", "ca", "Apertium eng-cat")]) == 1
    with sqlite_db.session() as s:
        found = capabilities.offers(s, "en", ["es", "ca"])
        assert found is not None and found["es"].how is None and found["ca"].how
    with UnitOfWork(sqlite_db) as uow:
        uow.session.execute(update(EngineCapability).values(
            recorded_at=utcnow() - timedelta(days=2)))
        uow.commit()
    with sqlite_db.session() as s:
        assert capabilities.offers(s, "en", ["ca"]) is None


def test_a_worker_that_stops_takes_its_rows_with_it(sqlite_db: Database) -> None:
    with UnitOfWork(sqlite_db) as uow:
        capabilities.record(uow, "w@one", [Offer("en", "es", "Apertium eng-spa")])
    with UnitOfWork(sqlite_db) as uow:
        capabilities.forget(uow, "w@one")
    with sqlite_db.session() as s:
        assert capabilities.table(s) is None
