"""/healthz and the dashboard's warnings about the machinery behind the desk."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.conftest import create_test_app
from tests.helpers import login
from tests.processes import wait_until
from workflow.db import Database
from workflow.models import User

pytestmark = pytest.mark.integration


def test_healthz_reports_database_redis_workers_and_queue_lengths(
        client: FlaskClient, people: dict[str, User], monkeypatch: pytest.MonkeyPatch,
        token_for: Callable[[str], dict[str, str]]) -> None:
    monkeypatch.setenv("LINGUADESK_QUEUE_PREFIX", "health-test-nobody-")
    client.post("/api/v1/articles", headers=token_for("editor@desk.test"), json={
        "title": "Rain is expected tomorrow.", "body": "The team won the final.",
        "source_language": "en", "target_languages": ["es", "fr"]})
    response = client.get("/healthz", headers=token_for("admin@desk.test"))
    assert response.status_code == 200
    report = response.get_json()
    assert report["database"] == {"ok": True}
    assert report["backlog"]["queued"] == 2
    assert report["redis"] == {"ok": True}
    assert report["queues"] == {"health-test-nobody-mt": 0, "health-test-nobody-default": 0}
    assert report["workers"]["ok"] is False and report["workers"]["consuming_mt"] == []
    assert report["status"] == "degraded"


def test_healthz_says_when_redis_is_unreachable(
        client: FlaskClient, people: dict[str, User], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    login(client, "admin@desk.test")
    report = client.get("/healthz").get_json()
    assert report["redis"]["ok"] is False and report["redis"]["error"]
    assert report["status"] == "degraded"


def test_anyone_else_gets_the_status_and_nothing_more(
        client: FlaskClient, people: dict[str, User], monkeypatch: pytest.MonkeyPatch,
        token_for: Callable[[str], dict[str, str]]) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    assert client.get("/healthz").get_json() == {"status": "degraded"}
    login(client, "editor@desk.test")
    assert client.get("/healthz").get_json() == {"status": "degraded"}
    editor_token = token_for("editor@desk.test")
    assert client.get("/healthz", headers=editor_token).get_json() == {"status": "degraded"}


def test_the_broker_is_asked_at_most_once_per_cache_period(
        sqlite_db: Database, people: dict[str, User], monkeypatch: pytest.MonkeyPatch,
        token_for: Callable[[str], dict[str, str]]) -> None:
    import time

    monkeypatch.setenv("LINGUADESK_QUEUE_PREFIX", "health-test-nobody-")
    app = create_test_app(sqlite_db.url, list, HEALTH_CACHE_SECONDS=1.5)
    client = app.test_client()
    admin = token_for("admin@desk.test")
    assert client.get("/healthz", headers=admin).get_json()["redis"] == {"ok": True}
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # Redis "goes away"
    for _ in range(20):  # polled hard: answered from what was seen, no broadcast each time
        assert client.get("/healthz", headers=admin).get_json()["redis"] == {"ok": True}
    time.sleep(1.6)
    assert client.get("/healthz", headers=admin).get_json()["redis"]["ok"] is False


def test_the_dashboard_warns_when_the_mt_queue_grows_and_no_worker_consumes_it(
        sqlite_db: Database, people: dict[str, User], monkeypatch: pytest.MonkeyPatch,
        token_for: Callable[[str], dict[str, str]]) -> None:
    monkeypatch.setenv("LINGUADESK_QUEUE_PREFIX", "health-test-nobody-")
    app = create_test_app(sqlite_db.url, list)
    app.config.update(BACKLOG_WARN=2, HEALTH_WORKER_CHECK=True)
    client = app.test_client()
    login(client, "editor@desk.test")
    assert "health-warning" not in client.get("/").text
    client.post("/api/v1/articles", headers=token_for("editor@desk.test"), json={
        "title": "Rain is expected tomorrow.", "body": "The team won the final.",
        "source_language": "en", "target_languages": ["es", "fr"]})
    wait_until(lambda: "No worker is consuming" in client.get("/").text, 15,
               "the no-worker warning")
    page = client.get("/").text
    assert "The machine translation queue is growing: 2 jobs wait." in page
