"""The web says what will translate each language from what workers recorded, never a model."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

from flask.testing import FlaskClient

from tests.helpers import login
from tests.processes import REPO
from workflow import capabilities
from workflow.capabilities import Offer
from workflow.db import Database
from workflow.models import User
from workflow.uow import UnitOfWork

BODY = {"source_language": "en", "target_languages": ["es", "de"], "title": "Budget day",
        "body": "The minister announced a new budget."}


def test_before_any_worker_reports_the_api_and_the_form_say_nobody_knows_yet(
        client: FlaskClient, people: dict[str, User],
        token_for: Callable[[str], dict[str, str]]) -> None:
    created = client.post("/api/v1/articles", headers=token_for("editor@desk.test"), json=BODY)
    assert created.status_code == 201
    assert created.get_json()["translated_by"] == dict.fromkeys(["es", "de"], capabilities.UNKNOWN)
    login(client, "editor@desk.test")
    assert capabilities.UNKNOWN in client.get("/").get_data(as_text=True)


def test_the_create_response_says_per_language_what_will_translate_it(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    with UnitOfWork(sqlite_db) as uow:
        capabilities.record(uow, "celery@worker", [Offer("en", "es", "Apertium eng-spa")])
    created = client.post("/api/v1/articles", headers=token_for("editor@desk.test"), json=BODY)
    assert created.get_json()["translated_by"] == {
        "es": "Apertium eng-spa", "de": "no engine: a reviewer translates from the source"}
    assert [t["state"] for t in created.get_json()["translations"]] == ["queued", "queued"]


WEB_ONLY = """
import sys
from tests.conftest import create_test_app, make_user
from tests.helpers import login
from tests.processes import REPO
from workflow.db import Database
db = Database(sys.argv[1])
make_user(db, "ed@desk.test", ["editor"])
client = create_test_app(db.url, dispatch=lambda ids: None).test_client()
login(client, "ed@desk.test")
page = client.get("/").get_data(as_text=True)
assert "engine-note" in page
print(sorted(m for m in ("torch", "transformers", "ctranslate2", "workers.routing")
             if m in sys.modules))
"""


def test_the_web_process_never_imports_an_mt_library_to_know_what_translates(
        sqlite_db: Database) -> None:
    done = subprocess.run([sys.executable, "-c", WEB_ONLY, sqlite_db.url], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
