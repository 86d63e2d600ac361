"""The people page: invitations by one-time link, roles, deactivation, resets, profiles."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from tests.conftest import PASSWORD, Dispatched
from tests.helpers import csrf_from, login, sign_in
from workflow.db import Database
from workflow.models import AuditEvent, OneTimeLink, OutboundEmail, Preferences, User

LINK = re.compile(r"http://localhost(/(?:join|reset)/[A-Za-z0-9_-]+)")


def _invite(client, **form: object):  # type: ignore[no-untyped-def]
    token = csrf_from(client, "/people")
    return client.post("/people", data={"csrf_token": token, **form})


def _link_in_outbox(db: Database, to: str) -> str:
    with db.session() as s:
        body = s.scalars(select(OutboundEmail.body_text).where(OutboundEmail.to_address == to)
                         .order_by(OutboundEmail.id.desc())).first()
    assert body is not None, f"no e-mail to {to} in the outbox"
    match = LINK.search(body)
    assert match, body
    return match.group(1)


def test_an_invited_reviewer_chooses_a_password_once_and_lands_in_the_inbox(
        app: Flask, people: dict[str, User], sqlite_db: Database) -> None:
    admin = app.test_client()
    login(admin, "admin@desk.test")
    answer = _invite(admin, email="Lena@Desk.test", name="Lena Ortiz", roles=["reviewer"],
                     languages=["es", "fr"])
    assert answer.status_code == 302
    assert "Invitation sent to lena@desk.test" in admin.get(answer.headers["Location"]).text
    path = _link_in_outbox(sqlite_db, "lena@desk.test")
    with sqlite_db.session() as s:  # only the hash is kept
        assert s.scalar(select(OneTimeLink.token_hash)) != path.rsplit("/", 1)[1]
    lena = app.test_client()
    assert sign_in(lena, "lena@desk.test", "").status_code == 401
    page = lena.get(path)
    assert page.status_code == 200 and "lena@desk.test" in page.text
    token = csrf_from(lena, path)
    short = lena.post(path, data={"csrf_token": token, "password": "short", "confirm": "short"})
    assert short.status_code == 400 and "at least 8 characters" in short.text
    done = lena.post(path, data={"csrf_token": token, "password": "a long new secret",
                                 "confirm": "a long new secret"})
    assert done.status_code == 302 and "next=/inbox" in done.headers["Location"]
    assert lena.get(path).status_code == 404  # used once
    login(lena, "lena@desk.test", "a long new secret")
    inbox = lena.get("/inbox")
    assert inbox.status_code == 200 and "Waiting for a reviewer" in inbox.text
    with sqlite_db.session() as s:
        actions = set(s.scalars(select(AuditEvent.action)))
    assert {"user.invite", "user.join"} <= actions
    audit = admin.get("/audit?action=user.invite").text
    assert "lena@desk.test: roles reviewer; languages es,fr" in audit


def test_inviting_again_sends_a_fresh_invitation_and_the_first_link_stops_working(
        app: Flask, people: dict[str, User], sqlite_db: Database) -> None:
    admin = app.test_client()
    login(admin, "admin@desk.test")
    assert _invite(admin, email="max@desk.test", roles=["editor"]).status_code == 302
    first = _link_in_outbox(sqlite_db, "max@desk.test")
    page = admin.get("/people").text
    assert "Send the invitation again" in page.split('data-person="max@desk.test"')[1]
    with sqlite_db.session() as s:
        max_id = s.scalar(select(User.id).where(User.email == "max@desk.test"))
    token = csrf_from(admin, "/people")
    assert admin.post(f"/people/{max_id}/reset", data={"csrf_token": token}).status_code == 302
    second = _link_in_outbox(sqlite_db, "max@desk.test")
    assert second.startswith("/join/") and second != first
    max_ = app.test_client()
    assert max_.get(first).status_code == 404
    assert max_.get(second).status_code == 200


def test_an_invitation_for_an_existing_address_or_without_a_role_is_refused(
        app: Flask, people: dict[str, User], sqlite_db: Database) -> None:
    admin = app.test_client()
    login(admin, "admin@desk.test")
    twice = _invite(admin, email="rev-es@desk.test", roles=["reviewer"], languages=["es"])
    assert twice.status_code == 409 and "already has an account" in twice.text
    roleless = _invite(admin, email="new@desk.test", roles=[])
    assert roleless.status_code == 400 and "Pick at least one role" in roleless.text
    with sqlite_db.session() as s:
        assert s.scalar(select(User).where(User.email == "new@desk.test")) is None


def test_the_admin_sets_roles_deactivates_and_resets_and_every_change_is_audited(
        app: Flask, people: dict[str, User], sqlite_db: Database) -> None:
    admin = app.test_client()
    login(admin, "admin@desk.test")
    rev = people["reviewer"]
    token = csrf_from(admin, "/people")
    assert admin.post(f"/people/{rev.id}", data={"csrf_token": token,
                                                  "roles": ["reviewer", "editor"],
                                                  "languages": ["es", "ar"]}).status_code == 302
    reviewer = app.test_client()
    login(reviewer, rev.email)
    assert admin.post(f"/people/{rev.id}/deactivate",
                      data={"csrf_token": token}).status_code == 302
    assert reviewer.get("/inbox").status_code == 302  # the session ended
    assert sign_in(reviewer, rev.email).status_code == 401
    assert admin.post(f"/people/{rev.id}/activate", data={"csrf_token": token}).status_code == 302
    assert admin.post(f"/people/{rev.id}/reset", data={"csrf_token": token}).status_code == 302
    path = _link_in_outbox(sqlite_db, rev.email)
    assert path.startswith("/reset/")
    token2 = csrf_from(reviewer, path)
    assert reviewer.post(path, data={"csrf_token": token2, "password": "another password",
                                     "confirm": "another password"}).status_code == 302
    assert sign_in(reviewer, rev.email, PASSWORD).status_code == 401
    login(reviewer, rev.email, "another password")
    with sqlite_db.session() as s:
        user = s.get(User, rev.id)
        assert user is not None and user.roles == {"reviewer", "editor"}
        assert user.languages == {"es", "ar"}
        notes = list(s.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("user.%")).order_by(AuditEvent.id)))
    assert notes == ["user.update", "user.deactivate", "user.activate", "user.reset_password",
                     "user.password_reset"]
    own = admin.post(f"/people/{people['admin'].id}/deactivate", data={"csrf_token": token})
    assert own.status_code == 400 and "cannot deactivate yourself" in own.text


def test_the_profile_keeps_name_interface_language_and_email_choices(
        app: Flask, people: dict[str, User], sqlite_db: Database) -> None:
    client = app.test_client()
    login(client, "rev-es@desk.test")
    token = csrf_from(client, "/account")
    saved = client.post("/account/profile", data={"csrf_token": token, "name": "Ana Ruiz",
                                                  "interface_language": "es",
                                                  "email_kinds": ["assigned", "mentioned"]})
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"])
    # From now on the desk speaks Spanish to her, starting with the confirmation.
    assert '<html lang="es"' in page.text and "Se ha guardado su perfil." in page.text
    assert 'value="Ana Ruiz"' in page.text
    with sqlite_db.session() as s:
        prefs = s.get(Preferences, people["reviewer"].id)
        assert prefs is not None and prefs.interface_language == "es"
        assert prefs.emailed == {"assigned", "mentioned"}
    bad = client.post("/account/profile", data={"csrf_token": token, "interface_language": "xx"})
    # The desk's refusal is in Spanish too, as she chose.
    assert bad.status_code == 400 and "no es un idioma de la interfaz" in bad.text
    # A language the newsroom publishes in but the desk's pages are not translated into.
    russian = client.post("/account/profile", data={"csrf_token": token,
                                                    "interface_language": "ru"})
    assert russian.status_code == 400 and "uno de estos: en, es, fr, ar, zh" in russian.text


def test_without_a_mail_server_the_admin_is_shown_the_one_time_link_to_hand_over(
        people: dict[str, User], sqlite_db: Database, dispatched: Dispatched,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from web import create_app

    monkeypatch.delenv("LINGUADESK_SMTP_URL", raising=False)  # as `make run` starts the desk
    app = create_app({"TESTING": True, "DATABASE_URL": sqlite_db.url, "SECRET_KEY": "test",
                      "DEVELOPMENT": False, "PUBLIC_URL": "http://localhost",
                      "DISPATCH": dispatched, "MAILER": Dispatched()})
    admin = app.test_client()
    login(admin, "admin@desk.test")
    answer = _invite(admin, email="ines@desk.test", roles=["editor"])
    assert answer.status_code == 200 and "No mail server is configured" in answer.text
    shown = LINK.search(answer.text.split('id="one-time-link"')[1])
    assert shown is not None and shown.group(1) == _link_in_outbox(sqlite_db, "ines@desk.test")
    ines = app.test_client()
    path = shown.group(1)
    token = csrf_from(ines, path)
    assert ines.post(path, data={"csrf_token": token, "password": "ines own secret",
                                 "confirm": "ines own secret"}).status_code == 302
    login(ines, "ines@desk.test", "ines own secret")
    # A reset, too, shows its link (once, on this page) instead of only e-mailing it.
    token = csrf_from(admin, "/people")
    reset = admin.post(f"/people/{people['publisher'].id}/reset", data={"csrf_token": token})
    shown = LINK.search(reset.text.split('id="one-time-link"')[1])
    assert reset.status_code == 200 and shown is not None
    assert shown.group(1).startswith("/reset/")
    assert app.test_client().get(shown.group(1)).status_code == 200
    assert 'id="one-time-link"' not in admin.get("/people").text  # never shown again
