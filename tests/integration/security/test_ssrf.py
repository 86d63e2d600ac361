"""Webhooks reach only public addresses (unless allowed), follow no redirect, leak no error
text, and are signed with long secrets shown once."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flask import Flask

from tests.helpers import csrf_from, login
from tests.integration.test_webhooks import Receiver
from workers.safe_http import address_allowed
from workers.webhooks import http_post
from workflow.db import Database
from workflow.models import User, WebhookDelivery
from workflow.services import webhooks
from workflow.services.articles import submit_article
from workflow.services.publishing import publish_source
from workflow.uow import UnitOfWork

SECRET = "x" * 32


class Redirector:
    """A server on 127.0.0.1 that answers every POST with a redirect to ``target``."""

    def __init__(self, target: str) -> None:
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                outer.hits += 1
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(307)
                self.send_header("Location", target)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def _deliver_to(db: Database, people: dict[str, User], url: str) -> WebhookDelivery:
    with UnitOfWork(db) as uow:
        webhooks.add_endpoint(uow, people["admin"], url, secret=SECRET)
    with UnitOfWork(db) as uow:
        article = submit_article(uow, people["editor"], title="Rain is expected tomorrow.",
                                 body="The bridge will close.", source_language="en",
                                 target_languages_=["es"])
        publish_source(uow, article.id, people["publisher"])
    with UnitOfWork(db) as uow:
        delivery_id = uow.session.query(WebhookDelivery.id).scalar()
        webhooks.deliver(uow, delivery_id, http_post)
    with UnitOfWork(db) as uow:
        row = uow.session.get(WebhookDelivery, delivery_id)
        assert row is not None
        return row


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.8", "172.16.3.4", "192.168.1.1",
                                     "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1",
                                     "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1",
                                     "240.0.0.1"])
def test_internal_addresses_are_not_public(address: str) -> None:
    import ipaddress

    assert not address_allowed(ipaddress.ip_address(address), address)
    assert address_allowed(ipaddress.ip_address(address), address, allow=[address])


def test_a_webhook_to_a_loopback_server_is_refused_at_send_time_without_the_allow_list(
        sqlite_db: Database, people: dict[str, User], receiver: Receiver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINGUADESK_WEBHOOK_ALLOW", raising=False)
    # A name, not an address: only resolving it at send time shows where it points.
    row = _deliver_to(sqlite_db, people, receiver.url.replace("127.0.0.1", "localhost"))
    assert receiver.requests == []
    assert row.state == "pending" and row.response_status is None
    assert row.error is not None and row.error.startswith("refused:")


def test_the_allow_list_lets_an_operator_name_an_internal_receiver(
        sqlite_db: Database, people: dict[str, User], receiver: Receiver,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINGUADESK_WEBHOOK_ALLOW", "127.0.0.0/8")
    row = _deliver_to(sqlite_db, people, receiver.url)
    assert row.state == "delivered" and len(receiver.requests) == 1


def test_redirects_are_not_followed(sqlite_db: Database, people: dict[str, User],
                                    receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINGUADESK_WEBHOOK_ALLOW", "127.0.0.1")
    redirector = Redirector(receiver.url)
    try:
        row = _deliver_to(sqlite_db, people, redirector.url)
    finally:
        redirector.close()
    assert redirector.hits == 1 and receiver.requests == []
    assert row.state == "pending" and row.response_status == 307 and row.error == "HTTP 307"


def test_the_delivery_log_shows_a_reason_never_the_libraries_error_text(
        sqlite_db: Database, people: dict[str, User], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINGUADESK_WEBHOOK_ALLOW", "127.0.0.1")
    row = _deliver_to(sqlite_db, people, "http://127.0.0.1:9/nowhere")  # nothing listens
    assert row.error == "connection refused"
    assert "Errno" not in (row.error or "") and "Error" not in (row.error or "")


def test_an_admin_cannot_aim_a_webhook_at_an_internal_address(
        app: Flask, people: dict[str, User], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINGUADESK_WEBHOOK_ALLOW", raising=False)
    admin = app.test_client()
    login(admin, "admin@desk.test")
    for url in ("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:6379/",
                "http://localhost:5432/", "http://[::1]/", "http://10.1.2.3/hook"):
        token = csrf_from(admin, "/admin/webhooks")
        refused = admin.post("/admin/webhooks", data={"url": url, "csrf_token": token})
        assert refused.status_code == 400 and "public addresses only" in refused.text, url
    assert "169.254" not in admin.get("/admin/webhooks").text


def test_secrets_are_long_generated_and_shown_only_once(
        app: Flask, people: dict[str, User]) -> None:
    admin = app.test_client()
    login(admin, "admin@desk.test")
    short = admin.post("/admin/webhooks", data={"url": "https://hooks.example/x",
                                                "secret": "s3cret",
                                                "csrf_token": csrf_from(admin, "/admin/webhooks")})
    assert short.status_code == 400 and "32 to 128 ASCII characters" in short.text
    added = admin.post("/admin/webhooks", data={"url": "https://hooks.example/x",
                                                "csrf_token": csrf_from(admin, "/admin/webhooks")})
    assert added.status_code == 201
    secret = re.search(r"<code>([0-9a-f]+)</code>", added.text).group(1)  # type: ignore[union-attr]
    assert len(bytes.fromhex(secret)) == 32
    assert secret not in admin.get("/admin/webhooks").text
