"""The settings that depend on the real server, checked against gunicorn serving the desk as
production does: the Host header, the proxy hop, cookie flags and the public health answer."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.processes import REPO
from workflow.db import Database
from workflow.models import User

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn on 127.0.0.1 behind an imaginary proxy at https://news.example."""

    def __init__(self, port: int) -> None:
        self.port = port

    def request(self, method: str, path: str, host: str = "news.example",
                headers: dict[str, str] | None = None, body: str | None = None
                ) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response

    def sign_in(self, email: str, password: str, forwarded_for: str) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        proxy = {"Host": "news.example", "X-Forwarded-For": forwarded_for,
                 "X-Forwarded-Proto": "https"}
        conn.request("GET", "/login", headers=proxy)
        page = conn.getresponse()
        html = page.read().decode()
        cookie = page.getheader("Set-Cookie", "").split(";")[0]
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        form = f"email={email}&password={password.replace(' ', '+')}&csrf_token={token}"
        conn.request("POST", "/login", body=form, headers={
            **proxy, "Cookie": cookie, "Referer": "https://news.example/login",
            "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        conn.close()
        return response


@pytest.fixture
def gunicorn(sqlite_db: Database, people: dict[str, User], tmp_path: Path) -> Iterator[Server]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGUADESK_")}
    env.update(DATABASE_URL=sqlite_db.url, LINGUADESK_SECRET_KEY="gunicorn-test-secret",
               LINGUADESK_PUBLIC_URL="https://news.example", LINGUADESK_TRUSTED_PROXIES="1",
               LINGUADESK_HEALTH_WORKER_CHECK="0", REDIS_URL="redis://127.0.0.1:1/0")
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b",
                             f"127.0.0.1:{port}", "web.wsgi:app"], cwd=REPO, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.2)
        yield Server(port)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_gunicorn_refuses_other_hosts_and_signs_in_with_host_only_secure_cookies(
        gunicorn: Server) -> None:
    assert gunicorn.request("GET", "/login", host="evil.example").status == 400
    page = gunicorn.request("GET", "/login")
    assert page.status == 200
    assert "script-src 'self'" in page.getheader("Content-Security-Policy", "")
    assert page.getheader("Strict-Transport-Security", "").startswith("max-age=")
    signed_in = gunicorn.sign_in("editor@desk.test", PASSWORD, "198.51.100.7")
    assert signed_in.status == 302
    cookie = signed_in.getheader("Set-Cookie", "")
    assert cookie.startswith("__Host-linguadesk=")
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; Path=/" in cookie


def test_gunicorn_tells_clients_apart_through_one_trusted_proxy(gunicorn: Server) -> None:
    for i in range(20):
        assert gunicorn.sign_in(f"nobody{i}@desk.test", "guess", "203.0.113.5").status == 401
    assert gunicorn.sign_in("nobody@desk.test", "guess", "203.0.113.5").status == 429
    # A client cannot shed its address by sending its own header: the proxy appends the
    # real one, and only the last hop counts.
    spoofed = "192.0.2.1, 203.0.113.5"
    assert gunicorn.sign_in("nobody@desk.test", "guess", spoofed).status == 429
    assert gunicorn.sign_in("pub@desk.test", PASSWORD, "198.51.100.7").status == 302


def test_gunicorn_tells_the_public_only_the_health_status(gunicorn: Server) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", gunicorn.port, timeout=30)
    conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    assert response.status == 200
    assert json.loads(response.read()) == {"status": "degraded"}  # Redis is down here
