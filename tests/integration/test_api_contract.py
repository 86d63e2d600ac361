"""The API contract, checked from outside: schemathesis against gunicorn over HTTP.

The desk runs as production does (gunicorn on a free 127.0.0.1 port, a migrated SQLite file
seeded with one user per role and a translated article, its own Redis for the messages), and
``schemathesis run --checks all`` attacks /api/v1/openapi.json once per role's token: every
status code, content type and response body must match the document, schema-valid requests
must be accepted and invalid ones refused, undeclared methods must answer 405 with Allow,
nothing may answer 5xx, and the stateful phase follows the document's links (POST /articles
→ GET /articles/{id} → GET /translations/{id} → PUT .../segments/{id}, publish → unpublish).
schemathesis.toml at the repository root holds the one setting the run relies on.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.faults.chaos import PrivateRedis, free_port
from tests.processes import REPO
from workflow.db import Database
from workflow.engine import MTEngine
from workflow.models import User
from workflow.services import jobs
from workflow.services.articles import submit_article
from workflow.services.tokens import create_token
from workflow.services.users import create_user
from workflow.uow import UnitOfWork

pytestmark = pytest.mark.integration

ROLES = {"editor": ("editor@desk.test", ["editor"], None),
         "reviewer": ("rev-es@desk.test", ["reviewer"], ["es"]),
         "publisher": ("pub@desk.test", ["publisher"], None),
         "admin": ("admin@desk.test", ["admin"], None)}
# Small enough that the four runs take a couple of minutes on a shared machine.
MAX_EXAMPLES = 5


@dataclass
class LiveDesk:
    """The address of a running desk and a token per role."""

    base: str
    tokens: dict[str, str]
    log: Path


def _seed(db: Database, engine_for: Callable[[str, str], MTEngine]) -> dict[str, str]:
    """One user per role with a token, and an article whose Spanish draft is translated."""
    tokens: dict[str, str] = {}
    for role, (email, roles, languages) in ROLES.items():
        with UnitOfWork(db) as uow:
            create_user(uow, email, "correct horse battery", roles, languages)
        with UnitOfWork(db) as uow:
            tokens[role] = create_token(uow, email, name=f"contract-{role}")
    with UnitOfWork(db) as uow:
        editor = uow.session.scalars(select(User).where(User.email == "editor@desk.test")).one()
        article = submit_article(uow, editor, title="Harbour opens a floating school",
                                 body="Two hundred children start lessons on the ferry.",
                                 source_language="en", target_languages_=["es", "fr"])
        spanish = article.translations[0].id
    assert jobs.translate(lambda: UnitOfWork(db), spanish, engine_for, worker="seed") == "done"
    return tokens


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not listen on {port}:\n{log.read_text()}")


@pytest.fixture(scope="module")
def live_desk(tmp_path_factory: pytest.TempPathFactory,
              real_engine_for: Callable[[str, str], MTEngine]) -> Iterator[LiveDesk]:
    """gunicorn serving a seeded desk, with a private Redis taking its messages."""
    workdir = tmp_path_factory.mktemp("contract")
    db = Database(f"sqlite:///{workdir / 'desk.db'}")
    db.migrate()
    tokens = _seed(db, real_engine_for)
    db.engine.dispose()
    redis = PrivateRedis(workdir)
    redis.start()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGUADESK_")}
    env.update(DATABASE_URL=db.url, REDIS_URL=redis.url, LINGUADESK_ENV="development",
               LINGUADESK_SECRET_KEY="contract-test-secret", LINGUADESK_HEALTH_WORKER_CHECK="0")
    log = workdir / "gunicorn.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", "2",
                                 "-b", f"127.0.0.1:{port}", "web.wsgi:app"], cwd=REPO, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, proc, log)
        yield LiveDesk(f"http://127.0.0.1:{port}", tokens, log)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        redis.kill()


def _failures(report: str) -> str:
    """The report's failures and summary, each line cut short (an error can quote a file)."""
    start = min((i for i in (report.find("= FAILURES ="), report.find("= ERRORS =")) if i >= 0),
                default=0)
    return "\n".join(line[:400] for line in report[start:].splitlines())[-12000:]


@pytest.mark.timeout(240)
@pytest.mark.parametrize("role", list(ROLES))
def test_schemathesis_finds_no_contract_violation_from_outside(live_desk: LiveDesk,
                                                               role: str) -> None:
    document = f"{live_desk.base}/api/v1/openapi.json"
    with urllib.request.urlopen(document, timeout=30) as answer:
        paths = json.load(answer)["paths"].values()
    operations = sum(1 for ops in paths for method in ops if method != "parameters")
    run = subprocess.run(
        [str(Path(sys.executable).parent / "schemathesis"), "--no-color", "run", document,
         "--checks", "all",
         "--header", f"Authorization: Bearer {live_desk.tokens[role]}",
         "--max-examples", str(MAX_EXAMPLES), "--seed", "14", "--workers", "1",
         "--phases", "coverage,fuzzing,stateful", "--request-timeout", "30",
         "--generation-database", "none"],
        cwd=REPO, capture_output=True, text=True, timeout=230, check=False)
    report = run.stdout + run.stderr
    (live_desk.log.parent / f"schemathesis-{role}.txt").write_text(report)
    server = live_desk.log.read_text()[-3000:]
    assert run.returncode == 0, f"{_failures(report)}\n--- gunicorn ---\n{server}"
    # The run really tested every operation, and its stateful phase followed links.
    assert f"Tested: {operations}" in report and operations >= 15
    assert "✅ Stateful" in report
