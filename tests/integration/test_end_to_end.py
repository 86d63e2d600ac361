"""The whole desk on real parts: web app → Redis → Celery worker process → review → publish."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import create_test_app, make_user
from tests.helpers import csrf_from, login
from tests.processes import Desk, wait_until
from workflow.db import Database
from workflow.models import TranslatedSegment, Translation

pytestmark = pytest.mark.integration


@pytest.fixture
def desk(db: Database, demo_models: Path, tmp_path: Path) -> Iterator[Desk]:
    # The demo models' own outputs are checked here: route to them, not to Apertium.
    d = Desk(db.url, demo_models, tmp_path, LINGUADESK_ROUTES="*=ctranslate2,transformers")
    yield d
    d.close()


def states(db: Database) -> dict[str, str]:
    with db.session() as s:
        return {t.language: t.state for t in s.scalars(select(Translation))}


def test_an_article_goes_from_the_dashboard_through_a_worker_to_a_published_edition(
        db: Database, desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    for email, roles, langs in [("ed@desk.test", ["editor"], None),
                                ("es@desk.test", ["reviewer"], ["es"]),
                                ("pub@desk.test", ["publisher"], None)]:
        make_user(db, email, roles, langs)
    desk.apply_env(monkeypatch)
    app = create_test_app(db.url)  # the real dispatch: messages go to Redis
    desk.start_worker()

    editor = app.test_client()
    login(editor, "ed@desk.test")
    response = editor.post("/articles", data={
        "title": "City council approves new budget",
        "body": "The minister announced a new budget.\n\nSchools will reopen next week.",
        "source_language": "en", "target_languages": ["es", "fr"],
        "csrf_token": csrf_from(editor, "/"),
    })
    assert response.status_code == 302
    wait_until(lambda: states(db) == {"es": "draft", "fr": "draft"}, 120,
               "both drafts", desk.logs)
    assert editor.get("/").text.count(">Draft ready</span>") == 2

    with db.session() as s:
        es = s.scalars(select(Translation).where(Translation.language == "es")).one()
        fr = s.scalars(select(Translation).where(Translation.language == "fr")).one()
        assert [seg.mt_text for seg in fr.segments] == [
            "Le conseil municipal approuve un nouveau budget",
            "Le ministre a annoncé un nouveau budget.",
            "Les écoles rouvriront la semaine prochaine.",
        ]
        es_id, last = es.id, es.segments[2]

    reviewer = app.test_client()
    login(reviewer, "es@desk.test")
    token = csrf_from(reviewer, f"/translations/{es_id}")
    assert "Las escuelas reabrirán la próxima semana." in reviewer.get(
        f"/translations/{es_id}").text
    assert reviewer.post(f"/translations/{es_id}/segments/{last.id}", data={
        "text": "Los colegios reabren la semana que viene.", "revision": last.revision,
        "csrf_token": token}).status_code == 302
    assert reviewer.post(f"/translations/{es_id}/approve",
                         data={"csrf_token": token}).status_code == 302

    publisher = app.test_client()
    login(publisher, "pub@desk.test")
    token = csrf_from(publisher, f"/translations/{es_id}")
    assert publisher.post(f"/translations/{es_id}/publish",
                          data={"csrf_token": token}).status_code == 302

    page = app.test_client().get("/es/el-ayuntamiento-aprueba-un-nuevo-presupuesto")
    assert page.status_code == 200
    assert '<html lang="es" dir="ltr">' in page.text
    assert "<h1>El ayuntamiento aprueba un nuevo presupuesto</h1>" in page.text
    assert "<p>El ministro anunció un nuevo presupuesto.</p>" in page.text
    assert "<p>Los colegios reabren la semana que viene.</p>" in page.text
    assert app.test_client().get("/fr/city-council-approves-new-budget").status_code == 404


def test_killing_the_worker_loses_no_queued_article(
        db: Database, demo_models: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    desk = Desk(db.url, demo_models, tmp_path, LINGUADESK_LEASE_SECONDS="10",
                LINGUADESK_TASK_TIME_LIMIT="8", LINGUADESK_REQUEUE_AFTER="4",
                LINGUADESK_RECONCILE_EVERY="1", LINGUADESK_ROUTES="*=ctranslate2")
    try:
        make_user(db, "ed@desk.test", ["editor"])
        desk.apply_env(monkeypatch)
        app = create_test_app(db.url)
        editor = app.test_client()
        login(editor, "ed@desk.test")
        for title in ["The team won the final.", "Rain is expected tomorrow.",
                      "The court rejected the appeal.", "Students returned to class."]:
            assert editor.post("/articles", data={
                "title": title, "body": "Prices rose sharply this year.",
                "source_language": "en", "target_languages": ["es", "fr"],
                "csrf_token": csrf_from(editor, "/")}).status_code == 302

        def started() -> bool:
            return any(s != "queued" for s in states_by_id(db).values())

        first = desk.start_worker()
        wait_until(started, 90, "the first worker to pick up a job", desk.logs)
        desk.kill(first)  # mid-flight: its messages are unacked, one job holds a lease
        assert set(states_by_id(db).values()) != {"draft"}

        desk.start_worker()
        desk.start_beat()
        wait_until(lambda: set(states_by_id(db).values()) == {"draft"}, 120,
                   "every translation to reach a draft after the restart",
                   lambda: f"{errors(db)}\n{desk.logs()}")
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(TranslatedSegment)) == 8 * 2
            assert s.scalar(select(func.count()).select_from(Translation)) == 8
    finally:
        desk.close()


def errors(db: Database) -> dict[int, tuple[str, str | None]]:
    with db.session() as s:
        return {t.id: (t.state, t.error) for t in s.scalars(select(Translation))}


def states_by_id(db: Database) -> dict[int, str]:
    with db.session() as s:
        return {t.id: t.state for t in s.scalars(select(Translation))}
