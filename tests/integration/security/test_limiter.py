"""Sign-in: a progressive delay per account and per client, never a lock-out; the client
address comes from X-Forwarded-For only through the configured proxies; no timing oracle."""

from __future__ import annotations

import statistics
import threading
import time

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from werkzeug.test import TestResponse

from tests.conftest import PASSWORD, Dispatched, create_test_app, make_user
from tests.helpers import csrf_from, sign_in
from workflow.db import Database
from workflow.models import LoginAttempt, User
from workflow.uow import UnitOfWork

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def _try(client: FlaskClient, email: str, password: str, environ: dict[str, str] | None = None,
         headers: dict[str, str] | None = None) -> TestResponse:
    return sign_in(client, email, password, environ_base=environ or {}, headers=headers or {})


def test_failures_from_elsewhere_slow_the_account_but_never_lock_its_owner_out(
        app: Flask, people: dict[str, User]) -> None:
    attacker = app.test_client()
    for _ in range(5):
        assert _try(attacker, "editor@desk.test", "guess", ATTACKER).status_code == 401
    owner = app.test_client()
    first = _try(owner, "editor@desk.test", PASSWORD, OWNER)
    if first.status_code == 429:  # at most the first step of the delay: one second
        assert first.headers["Retry-After"] == "1"
        time.sleep(1.1)
        first = _try(owner, "editor@desk.test", PASSWORD, OWNER)
    assert first.status_code == 302


def test_each_failure_past_the_free_ones_doubles_the_wait_and_waiting_tries_do_not_count(
        app: Flask, people: dict[str, User]) -> None:
    client = app.test_client()
    for _ in range(5):
        assert _try(client, "editor@desk.test", "guess").status_code == 401
    for _ in range(10):  # hammering during the wait is refused and changes nothing
        waiting = _try(client, "editor@desk.test", "guess")
        assert waiting.status_code == 429
        assert "wait 1 seconds" in waiting.text and waiting.headers["Retry-After"] == "1"
    time.sleep(1.1)
    assert _try(client, "editor@desk.test", "guess").status_code == 401
    assert _try(client, "editor@desk.test", "guess").headers["Retry-After"] == "2"
    time.sleep(2.1)
    assert _try(client, "editor@desk.test", PASSWORD).status_code == 302  # the right one, at once
    assert _try(app.test_client(), "editor@desk.test", "guess").status_code == 401  # afresh


def test_the_longest_wait_is_capped(sqlite_db: Database, people: dict[str, User]) -> None:
    from workflow.models import LoginThrottle

    app = create_test_app(sqlite_db.url, Dispatched(), LOGIN_MAX_DELAY=3)
    client = app.test_client()
    for _ in range(4):
        assert _try(client, "editor@desk.test", "guess").status_code == 401
    with UnitOfWork(sqlite_db) as uow:  # as if 30 failures had been counted for the account
        uow.session.execute(update(LoginThrottle).where(LoginThrottle.key.like("account:%"))
                            .values(failures=30, next_allowed_at=None))
        uow.commit()
    assert _try(client, "editor@desk.test", "guess").status_code == 401
    assert _try(client, "editor@desk.test", "guess").headers["Retry-After"] == "3"


def test_clients_behind_the_trusted_proxy_are_told_apart(
        sqlite_db: Database, people: dict[str, User]) -> None:
    app = create_test_app(sqlite_db.url, Dispatched(), TRUSTED_PROXIES=1)
    client = app.test_client()  # every request comes from the proxy's own address
    noisy = {"X-Forwarded-For": "203.0.113.5"}
    for i in range(20):
        assert _try(client, f"nobody{i}@desk.test", "guess", headers=noisy).status_code == 401
    assert _try(client, "nobody@desk.test", "guess", headers=noisy).status_code == 429
    other = {"X-Forwarded-For": "203.0.113.5, 198.51.100.7"}  # the proxy appends the client
    assert _try(client, "pub@desk.test", PASSWORD, headers=other).status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(
        app: Flask, people: dict[str, User]) -> None:
    client = app.test_client()
    for i in range(20):
        forged = {"X-Forwarded-For": f"192.0.2.{i}"}
        assert _try(client, f"nobody{i}@desk.test", "guess", headers=forged).status_code == 401
    refused = _try(client, "pub@desk.test", PASSWORD, headers={"X-Forwarded-For": "192.0.2.99"})
    assert refused.status_code == 429 and "your address" in refused.text


def test_concurrent_wrong_passwords_are_counted_one_by_one(db: Database) -> None:
    make_user(db, "editor@desk.test", ["editor"])
    app = create_test_app(db.url, Dispatched())
    clients = [app.test_client() for _ in range(16)]
    tokens = [csrf_from(c, "/login") for c in clients]
    start = threading.Barrier(len(clients))
    statuses: list[int] = []

    def attempt(client: FlaskClient, token: str) -> None:
        start.wait()
        response = client.post("/login", data={"email": "editor@desk.test",
                                               "password": "guess", "csrf_token": token})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt, args=pair)
               for pair in zip(clients, tokens, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(statuses)) == [401, 429]
    assert statuses.count(401) == 5  # only the free tries reached the password check
    with db.session() as s:
        checked = s.scalars(select(LoginAttempt)).all()
    assert len(checked) == 5


def _median_sign_in_seconds(client: FlaskClient, email: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        token = csrf_from(client, "/login")
        started = time.perf_counter()
        client.post("/login", data={"email": email, "password": "wrong guess",
                                    "csrf_token": token})
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def test_an_unknown_e_mail_takes_as_long_as_a_known_one(
        sqlite_db: Database, people: dict[str, User]) -> None:
    app = create_test_app(sqlite_db.url, Dispatched(), LOGIN_FREE_FAILURES_PER_ACCOUNT=100,
                          LOGIN_FREE_FAILURES_PER_CLIENT=100)
    client = app.test_client()
    known = _median_sign_in_seconds(client, "editor@desk.test")
    unknown = _median_sign_in_seconds(client, "nobody@desk.test")
    assert unknown > known * 0.6, (known, unknown)


def test_passwords_are_hashed_with_argon2id_and_old_hashes_upgraded_at_sign_in(
        app: Flask, people: dict[str, User], sqlite_db: Database) -> None:
    import hashlib
    import secrets

    with UnitOfWork(sqlite_db) as uow:
        user = uow.session.scalar(select(User).where(User.email == "editor@desk.test"))
        assert user is not None and user.password_hash.startswith("$argon2id$")
        assert "m=19456,t=2,p=1" in user.password_hash
        salt = secrets.token_bytes(16)  # what the desk stored before: scrypt with n=2**14
        digest = hashlib.scrypt(PASSWORD.encode(), salt=salt, dklen=32, n=2**14, r=8, p=1)
        user.password_hash = f"scrypt$16384$8$1${salt.hex()}${digest.hex()}"
        uow.commit()
    assert sign_in(app.test_client(), "editor@desk.test", "not it").status_code == 401
    with UnitOfWork(sqlite_db) as uow:
        kept = uow.session.scalar(select(User.password_hash)
                                  .where(User.email == "editor@desk.test"))
        assert kept is not None and kept.startswith("scrypt$")  # a wrong password changes nothing
    assert sign_in(app.test_client(), "editor@desk.test").status_code == 302
    with UnitOfWork(sqlite_db) as uow:
        upgraded = uow.session.scalar(
            select(User.password_hash).where(User.email == "editor@desk.test"))
        assert upgraded is not None and upgraded.startswith("$argon2id$")


def test_an_inactive_account_costs_a_hash_too(
        sqlite_db: Database, people: dict[str, User]) -> None:
    from workflow.services.users import set_active

    with UnitOfWork(sqlite_db) as uow:
        set_active(uow, "pub@desk.test", False)
    app = create_test_app(sqlite_db.url, Dispatched(), LOGIN_FREE_FAILURES_PER_ACCOUNT=100,
                          LOGIN_FREE_FAILURES_PER_CLIENT=100)
    client = app.test_client()
    known = _median_sign_in_seconds(client, "editor@desk.test")
    inactive = _median_sign_in_seconds(client, "pub@desk.test")
    assert inactive > known * 0.6, (known, inactive)
