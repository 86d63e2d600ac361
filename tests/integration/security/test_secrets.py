"""Secrets on disk and on the command line: the key file is never readable by others, the
admin password never reaches another user's ``ps``."""

from __future__ import annotations

import contextlib
import os
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import Dispatched
from tests.processes import REPO
from web.cli import main


def test_the_secret_key_file_is_owner_only_from_the_moment_it_exists(
        tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from web import create_app

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINGUADESK_SECRET_KEY", raising=False)
    os.umask(0o022)

    def crash(*_args: object, **_kwargs: object) -> None:  # the process dies before chmod
        raise OSError("killed")

    monkeypatch.setattr(Path, "chmod", crash)
    with contextlib.suppress(OSError):
        create_app({"DATABASE_URL": sqlite_url, "DISPATCH": Dispatched(),
                    "PUBLIC_URL": "http://localhost"})
    key = tmp_path / "instance" / "secret_key"
    assert key.exists()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_text().strip()) == 64


def test_run_sh_passes_the_admin_password_on_stdin_not_in_argv() -> None:
    script = (REPO / "scripts" / "run.sh").read_text()
    create = script[script.index("users create"):].split("\n\n")[0]
    assert "--password-stdin" in create and "< instance/admin-password" in create
    assert not re.search(r"--password[ =]", script)


def test_the_cli_reads_a_password_from_stdin(sqlite_url: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    made = runner.invoke(main, ["users", "create", "--email", "ana@desk.test", "--role", "editor",
                                "--password-stdin"], input="a long enough secret\n")
    assert made.exit_code == 0 and "password:" not in made.output
    from workflow.db import Database
    from workflow.services.users import authenticate
    from workflow.uow import UnitOfWork

    with UnitOfWork(Database(sqlite_url)) as uow:
        assert authenticate(uow, "ana@desk.test", "a long enough secret") is not None
    assert runner.invoke(main, ["users", "create", "--email", "b@desk.test", "--role", "editor",
                                "--password", "visible-in-ps"]).exit_code != 0
