"""Webhooks: signed POSTs to a real HTTP server, retried by a real Celery worker, logged."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import Dispatched, create_test_app
from tests.helpers import csrf_from, login
from tests.processes import Desk, wait_until
from workers.webhooks import http_post
from workflow.db import Database
from workflow.models import User, WebhookDelivery
from workflow.services import webhooks
from workflow.services.articles import submit_article
from workflow.services.publishing import publish_source, unpublish
from workflow.uow import UnitOfWork


class Receiver:
    """A small HTTP server on 127.0.0.1 that records requests and answers planned statuses."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses = list(statuses or [])
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def receivers_on_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The receivers here listen on 127.0.0.1, which webhooks reach only when allowed."""
    monkeypatch.setenv("LINGUADESK_WEBHOOK_ALLOW", "127.0.0.1")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def _article(db: Database, people: dict[str, User]) -> int:
    with UnitOfWork(db) as uow:
        return submit_article(uow, people["editor"], title="Rain is expected tomorrow.",
                              body="The bridge will close for repairs.", source_language="en",
                              target_languages_=["es"]).id


def test_publish_and_unpublish_post_signed_events_and_the_admin_reads_the_log(
        sqlite_db: Database, people: dict[str, User], receiver: Receiver,
        dispatched: Dispatched) -> None:
    sent = Dispatched()
    with UnitOfWork(sqlite_db) as uow:
        endpoint = webhooks.add_endpoint(uow, people["admin"], receiver.url,
                                         secret="s3cret-" * 5)
    article_id = _article(sqlite_db, people)
    with UnitOfWork(sqlite_db, notify=sent) as uow:
        publish_source(uow, article_id, people["publisher"])
    with UnitOfWork(sqlite_db, notify=sent) as uow:
        unpublish(uow, article_id, "en", people["publisher"])
    assert len(sent) == 2  # handed to the queue only after each commit
    for delivery_id in sent:
        with UnitOfWork(sqlite_db) as uow:
            assert webhooks.deliver(uow, delivery_id, http_post) == "delivered"
        with UnitOfWork(sqlite_db) as uow:  # a duplicate message sends nothing twice
            assert webhooks.deliver(uow, delivery_id, http_post) == "done"
    assert len(receiver.requests) == 2
    events = []
    for headers, body in receiver.requests:
        assert webhooks.verify(endpoint.secret, headers["X-Linguadesk-Timestamp"], body,
                               headers["X-Linguadesk-Signature"])
        assert not webhooks.verify("wrong", headers["X-Linguadesk-Timestamp"], body,
                                   headers["X-Linguadesk-Signature"])
        payload = json.loads(body)
        events.append((payload["event"], payload["language"], payload["path"]))
    assert events == [("edition.published", "en", "/en/rain-is-expected-tomorrow"),
                      ("edition.unpublished", "en", "/en/rain-is-expected-tomorrow")]

    app = create_test_app(sqlite_db.url, dispatched)
    admin = app.test_client()
    login(admin, "admin@desk.test")
    page = admin.get("/admin/webhooks").text
    assert receiver.url in page and page.count('class="state">delivered<') == 2
    editor = app.test_client()
    login(editor, "editor@desk.test")
    assert editor.get("/admin/webhooks").status_code == 403


def test_an_endpoint_that_keeps_failing_is_given_up_on_after_bounded_attempts(
        sqlite_db: Database, people: dict[str, User]) -> None:
    down = Receiver(statuses=[500] * 10)
    try:
        with UnitOfWork(sqlite_db) as uow:
            webhooks.add_endpoint(uow, people["admin"], down.url)
        article_id = _article(sqlite_db, people)
        with UnitOfWork(sqlite_db) as uow:
            (delivery,) = [d.id for d in webhooks.record(uow, "edition.published",
                                                         {"article_id": article_id})]
            uow.commit()
        outcomes = []
        for _ in range(4):
            with UnitOfWork(sqlite_db) as uow:
                outcomes.append(webhooks.deliver(uow, delivery, http_post, max_attempts=3))
        assert outcomes == ["retry", "retry", "failed", "done"]
        assert len(down.requests) == 3
        with UnitOfWork(sqlite_db) as uow:
            row = uow.session.get(WebhookDelivery, delivery)
            assert row is not None
            assert (row.state, row.attempts, row.response_status, row.error) == (
                "failed", 3, 500, "HTTP 500")
    finally:
        down.close()


def test_an_admin_adds_an_endpoint_in_the_dashboard_and_bad_urls_are_refused(
        app: Flask, people: dict[str, User]) -> None:
    admin = app.test_client()
    login(admin, "admin@desk.test")
    token = csrf_from(admin, "/admin/webhooks")
    bad = admin.post("/admin/webhooks", data={"url": "javascript:x", "csrf_token": token})
    assert bad.status_code == 400 and "must start with http" in bad.text
    ok = admin.post("/admin/webhooks", data={"url": "https://hooks.example/x",
                                             "csrf_token": token})
    assert ok.status_code == 201
    assert "https://hooks.example/x" in admin.get("/admin/webhooks").text


@pytest.mark.integration
def test_a_celery_worker_delivers_retrying_until_the_receiver_recovers(
        sqlite_db: Database, people: dict[str, User], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    flaky = Receiver(statuses=[503, 503])
    desk = Desk(sqlite_db.url, tmp_path / "models", tmp_path,
                LINGUADESK_WEBHOOK_BACKOFF="0.2", LINGUADESK_WEBHOOK_ALLOW="127.0.0.1")
    desk.apply_env(monkeypatch)
    try:
        with UnitOfWork(sqlite_db) as uow:
            webhooks.add_endpoint(uow, people["admin"], flaky.url)
        article_id = _article(sqlite_db, people)
        app = create_test_app(sqlite_db.url, Dispatched())  # webhooks go through Celery
        publisher = app.test_client()
        login(publisher, "pub@desk.test")
        token = csrf_from(publisher, f"/articles/{article_id}")
        assert publisher.post(f"/articles/{article_id}/publish-source",
                              data={"csrf_token": token}).status_code == 302
        desk.start_worker()

        def delivered() -> bool:
            with UnitOfWork(sqlite_db) as uow:
                row = uow.session.get(WebhookDelivery, 1)
                return row is not None and row.state == "delivered"

        wait_until(delivered, 120, "the webhook to be delivered", desk.logs)
        with UnitOfWork(sqlite_db) as uow:
            row = uow.session.get(WebhookDelivery, 1)
            assert row is not None and row.attempts == 3
        assert len(flaky.requests) == 3
    finally:
        desk.close()
        flaky.close()


def test_a_delivery_whose_message_was_lost_is_sent_again_by_the_reconciler(
        sqlite_db: Database, people: dict[str, User]) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from workflow.models import utcnow

    with UnitOfWork(sqlite_db) as uow:
        webhooks.add_endpoint(uow, people["admin"], "http://127.0.0.1:9/nowhere")
    article_id = _article(sqlite_db, people)
    with UnitOfWork(sqlite_db) as uow:  # no notify: the message is lost
        publish_source(uow, article_id, people["publisher"])
    sent = Dispatched()
    with UnitOfWork(sqlite_db, notify=sent) as uow:
        assert webhooks.requeue_stale(uow) == []  # too recent to call lost
        uow.session.execute(update(WebhookDelivery)
                            .values(created_at=utcnow() - timedelta(hours=1)))
        uow.commit()
        assert webhooks.requeue_stale(uow) == [1]
    assert sent == [1]


def test_a_published_edition_reaches_the_cms_whole_with_its_own_addresses(
        sqlite_db: Database, people: dict[str, User], receiver: Receiver, app: Flask) -> None:
    from tests.use_cases import FakeEngine
    from workflow.services.jobs import translate
    from workflow.services.review import approve
    from workflow.services.users import create_token

    with UnitOfWork(sqlite_db) as uow:
        webhooks.add_endpoint(uow, people["admin"], receiver.url, secret="s3cret-" * 5)
    with UnitOfWork(sqlite_db) as uow:
        article = submit_article(uow, people["editor"], title="Rain is expected tomorrow.",
                                 body="The bridge will close for repairs.",
                                 source_language="en", target_languages_=["zh"])
        article_id, zh_id = article.id, article.translations[0].id
    engine = FakeEngine()
    translate(lambda: UnitOfWork(sqlite_db), zh_id, lambda s, t: engine, "w")
    with UnitOfWork(sqlite_db) as uow:
        approve(uow, zh_id, people["admin"])
    with UnitOfWork(sqlite_db) as uow:
        headers = {"Authorization": f"Bearer {create_token(uow, 'pub@desk.test')}"}
    client = app.test_client()
    assert client.post(f"/api/v1/articles/{article_id}/publish-source",
                       headers=headers).status_code == 201
    assert client.post(f"/api/v1/translations/{zh_id}/publish",
                       headers=headers).status_code == 201

    with sqlite_db.session() as s:
        rows = sorted(s.query(WebhookDelivery.id).all())
    for (delivery_id,) in rows:
        with UnitOfWork(sqlite_db) as uow:
            assert webhooks.deliver(uow, delivery_id, http_post) == "delivered"
    payload = json.loads(receiver.requests[-1][1])
    assert payload["event"] == "edition.published"
    assert (payload["language"], payload["dir"], payload["source_language"]) == (
        "zh", "ltr", "en")
    assert payload["title"] == "[zh] Rain is expected tomorrow."
    assert "<p>[zh] The bridge will close for repairs.</p>" in payload["html"]
    assert payload["slug"] == "zh-rain-is-expected-tomorrow"
    assert payload["canonical"] == "http://localhost/zh/zh-rain-is-expected-tomorrow"
    assert payload["hreflang"] == {
        "en": "http://localhost/en/rain-is-expected-tomorrow",
        "zh": "http://localhost/zh/zh-rain-is-expected-tomorrow",
        "x-default": "http://localhost/en/rain-is-expected-tomorrow"}
    page = client.get(payload["path"])
    assert page.status_code == 200
    assert f'<link rel="canonical" href="{payload["canonical"]}">' in page.text
