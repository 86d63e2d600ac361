"""Sessions live on the server: sign-out, password change, deactivation and timeouts end them."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from tests.conftest import PASSWORD
from tests.helpers import csrf_from, login, session_cookie, sign_in
from workflow.db import Database
from workflow.models import User, UserSession, utcnow
from workflow.services.users import set_active
from workflow.uow import UnitOfWork

NEW_PASSWORD = "a much longer passphrase"


def _thief(app: Flask, cookie: str) -> FlaskClient:
    """Another browser holding a copy of the cookie."""
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return client


def _signed_in(client: FlaskClient) -> bool:
    response = client.get("/")
    return response.status_code == 200


def test_a_cookie_copied_before_sign_out_opens_nothing_afterwards(
        app: Flask, people: dict[str, User]) -> None:
    client = app.test_client()
    login(client, "editor@desk.test")
    cookie = session_cookie(app, client)
    assert _signed_in(_thief(app, cookie))
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    assert not _signed_in(client)
    thief = _thief(app, cookie)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_changing_the_password_ends_every_other_session_and_keeps_this_one(
        app: Flask, people: dict[str, User]) -> None:
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "editor@desk.test")
    login(phone, "editor@desk.test")
    wrong = laptop.post("/account/password", data={
        "current_password": "not it at all", "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD, "csrf_token": csrf_from(laptop, "/account")})
    assert wrong.status_code == 400 and "current password is wrong" in wrong.text
    assert _signed_in(phone)
    changed = laptop.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "csrf_token": csrf_from(laptop, "/account")}, follow_redirects=True)
    assert "Your password was changed; 1 other session was signed out." in changed.text
    assert _signed_in(laptop)
    assert not _signed_in(phone)
    assert sign_in(app.test_client(), "editor@desk.test").status_code == 401
    assert sign_in(app.test_client(), "editor@desk.test", NEW_PASSWORD).status_code == 302


def test_a_new_password_must_be_long_enough_and_confirmed(
        app: Flask, people: dict[str, User]) -> None:
    client = app.test_client()
    login(client, "editor@desk.test")
    short = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "short", "confirm": "short",
        "csrf_token": csrf_from(client, "/account")})
    assert short.status_code == 400 and "at least 8 characters" in short.text
    differ = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!",
        "csrf_token": csrf_from(client, "/account")})
    assert differ.status_code == 400 and "differ" in differ.text
    assert sign_in(app.test_client(), "editor@desk.test").status_code == 302


def test_deactivating_a_user_ends_their_sessions_even_if_reactivated(
        app: Flask, people: dict[str, User], sqlite_db: Database) -> None:
    client = app.test_client()
    login(client, "editor@desk.test")
    with UnitOfWork(sqlite_db) as uow:
        set_active(uow, "editor@desk.test", False)
    assert not _signed_in(client)
    assert sign_in(app.test_client(), "editor@desk.test").status_code == 401
    with UnitOfWork(sqlite_db) as uow:
        set_active(uow, "editor@desk.test", True)
    assert not _signed_in(client)  # the old session stays ended
    assert sign_in(app.test_client(), "editor@desk.test").status_code == 302


def test_a_session_idle_for_longer_than_eight_hours_ends(
        app: Flask, people: dict[str, User], sqlite_db: Database) -> None:
    client = app.test_client()
    login(client, "editor@desk.test")
    with UnitOfWork(sqlite_db) as uow:
        uow.session.execute(update(UserSession).values(
            last_seen_at=utcnow() - timedelta(hours=7, minutes=50)))
        uow.commit()
    assert _signed_in(client)  # and this request counts as activity
    with UnitOfWork(sqlite_db) as uow:
        uow.session.execute(update(UserSession).values(
            last_seen_at=utcnow() - timedelta(hours=8, minutes=1)))
        uow.commit()
    assert not _signed_in(client)


def test_a_session_ends_seven_days_after_sign_in_however_busy(
        app: Flask, people: dict[str, User], sqlite_db: Database) -> None:
    client = app.test_client()
    login(client, "editor@desk.test")
    with UnitOfWork(sqlite_db) as uow:
        uow.session.execute(update(UserSession).values(
            created_at=utcnow() - timedelta(days=7, minutes=1), last_seen_at=utcnow()))
        uow.commit()
    assert not _signed_in(client)


def test_the_timeouts_follow_the_settings(sqlite_db: Database, people: dict[str, User]) -> None:
    from tests.conftest import Dispatched, create_test_app

    app = create_test_app(sqlite_db.url, Dispatched(), SESSION_IDLE_TIMEOUT=timedelta(minutes=30))
    client = app.test_client()
    login(client, "editor@desk.test")
    with UnitOfWork(sqlite_db) as uow:
        uow.session.execute(update(UserSession).values(
            last_seen_at=utcnow() - timedelta(minutes=31)))
        uow.commit()
    assert not _signed_in(client)
