"""API tokens: listed, revoked, expiring, read-only, last use recorded; each user's own page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import update

from tests.helpers import csrf_from, login
from web.cli import main
from workflow.db import Database
from workflow.models import ApiToken, User, utcnow
from workflow.uow import UnitOfWork


@pytest.fixture
def cli(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    return CliRunner()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _create(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(main, ["tokens", "create", "--email", "editor@desk.test", *args])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_tokens_are_listed_and_a_revoked_one_stops_at_once(
        app: Flask, people: dict[str, User], cli: CliRunner) -> None:
    token = _create(cli, "--name", "cms import")
    client = app.test_client()
    assert client.get("/api/v1/articles/1", headers=_bearer(token)).status_code == 404
    listing = cli.invoke(main, ["tokens", "list", "--email", "editor@desk.test"])
    assert listing.exit_code == 0
    (line,) = listing.output.strip().splitlines()
    token_id = line.split("\t")[0]
    assert "cms import" in line and "read-write" in line and "expires never" in line
    assert "active" in line and "last used never" not in line  # the request above used it
    revoked = cli.invoke(main, ["tokens", "revoke", token_id])
    assert revoked.exit_code == 0 and "revoked token" in revoked.output
    refused = client.get("/api/v1/articles/1", headers=_bearer(token))
    assert refused.status_code == 401 and "revoked" in refused.json["message"]  # type: ignore[index]
    assert "revoked" in cli.invoke(main, ["tokens", "list", "--email",
                                          "editor@desk.test"]).output
    assert cli.invoke(main, ["tokens", "revoke", "999"]).exit_code == 2


def test_a_token_with_an_expiry_stops_working_when_it_expires(
        app: Flask, people: dict[str, User], cli: CliRunner, sqlite_db: Database) -> None:
    token = _create(cli, "--expires-in", "90d")
    listing = cli.invoke(main, ["tokens", "list", "--email", "editor@desk.test"]).output
    expected = (utcnow() + timedelta(days=90)).strftime("%Y-%m-%d")
    assert f"expires {expected}" in listing
    client = app.test_client()
    assert client.get("/api/v1/articles/1", headers=_bearer(token)).status_code == 404
    with UnitOfWork(sqlite_db) as uow:
        uow.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        uow.commit()
    assert client.get("/api/v1/articles/1", headers=_bearer(token)).status_code == 401
    assert "expired" in cli.invoke(main, ["tokens", "list", "--email",
                                          "editor@desk.test"]).output


def test_a_bad_expiry_is_refused_with_an_example(people: dict[str, User],
                                                 cli: CliRunner) -> None:
    result = cli.invoke(main, ["tokens", "create", "--email", "editor@desk.test",
                               "--expires-in", "soon"])
    assert result.exit_code == 2 and "e.g. 90d" in result.output


def test_a_read_only_token_reads_but_changes_nothing(
        app: Flask, people: dict[str, User], cli: CliRunner) -> None:
    token = _create(cli, "--read-only")
    client = app.test_client()
    created = client.post("/api/v1/articles", headers=_bearer(token), json={
        "title": "Rain is expected tomorrow.", "body": "The team won the final.",
        "source_language": "en", "target_languages": ["es"]})
    assert created.status_code == 403 and "read-only" in created.json["message"]  # type: ignore[index]
    assert client.get("/api/v1/articles/1", headers=_bearer(token)).status_code == 404
    writer = _create(cli)
    assert client.post("/api/v1/articles", headers=_bearer(writer), json={
        "title": "Rain is expected tomorrow.", "body": "The team won the final.",
        "source_language": "en", "target_languages": ["es"]}).status_code == 201
    assert client.get("/api/v1/articles/1", headers=_bearer(token)).status_code == 200


def test_each_user_creates_sees_once_and_revokes_their_own_tokens_on_a_page(
        app: Flask, people: dict[str, User], cli: CliRunner) -> None:
    editor = app.test_client()
    login(editor, "editor@desk.test")
    made = editor.post("/account/tokens", data={
        "name": "newsletter", "expires_in": "30d", "read_only": "1",
        "csrf_token": csrf_from(editor, "/account")})
    assert made.status_code == 201
    token = re.search(r"<code>(ld_[^<]+)</code>", made.text).group(1)  # type: ignore[union-attr]
    api = app.test_client()
    assert api.get("/api/v1/articles/1", headers=_bearer(token)).status_code == 404
    page = editor.get("/account").text
    assert token not in page  # shown once, never again
    assert "newsletter" in page and "read-only" in page and "active" in page
    token_id = re.search(r'data-token="(\d+)"', page).group(1)  # type: ignore[union-attr]

    publisher = app.test_client()
    login(publisher, "pub@desk.test")
    theirs = publisher.post(f"/account/tokens/{token_id}/revoke",
                            data={"csrf_token": csrf_from(publisher, "/account")})
    assert theirs.status_code == 404  # not the publisher's token
    assert api.get("/api/v1/articles/1", headers=_bearer(token)).status_code == 404

    revoked = editor.post(f"/account/tokens/{token_id}/revoke",
                          data={"csrf_token": csrf_from(editor, "/account")})
    assert revoked.status_code == 302
    assert api.get("/api/v1/articles/1", headers=_bearer(token)).status_code == 401
    assert "revoked" in editor.get("/account").text
    bad = editor.post("/account/tokens", data={"expires_in": "forever",
                                               "csrf_token": csrf_from(editor, "/account")})
    assert bad.status_code == 400 and "e.g. 90d" in bad.text
