"""The ``linguadesk`` command creates users and prints working API tokens."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from web import create_app
from web.cli import main


def test_users_and_tokens_from_the_command_line(sqlite_url: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    created = runner.invoke(main, ["users", "create", "--email", "ana@desk.test", "--role",
                                   "reviewer", "--languages", "es,fr", "--password-stdin"],
                             input="s3cret-pass\n")
    assert created.exit_code == 0, created.output
    assert "created ana@desk.test (reviewer)" in created.output
    again = runner.invoke(main, ["users", "create", "--email", "ana@desk.test", "--role",
                                 "editor", "--password-stdin"], input="s3cret-pass\n")
    assert again.exit_code == 2 and "already exists" in again.output
    bad_role = runner.invoke(main, ["users", "create", "--email", "x@desk.test", "--role",
                                    "boss"])
    assert bad_role.exit_code == 2 and "Roles must be among" in bad_role.output

    token = runner.invoke(main, ["tokens", "create", "--email", "ana@desk.test"])
    assert token.exit_code == 0
    client = create_app({"TESTING": True, "DATABASE_URL": sqlite_url, "SECRET_KEY": "t",
                         "PUBLIC_URL": "http://localhost",
                         "DISPATCH": lambda ids: None}).test_client()
    headers = {"Authorization": f"Bearer {token.output.strip()}"}
    assert client.get("/api/v1/translations/1", headers=headers).status_code == 404
    assert client.get("/api/v1/translations/1",
                      headers={"Authorization": "Bearer wrong"}).status_code == 401
