"""The review policies on the MT quality page: every staff member sees each language's
pre-confirm threshold; a publisher sets or turns one off with the page's form, which the API
then reads; a bad value is a form error in the reader's language and changes nothing."""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Dispatched, create_test_app, make_user
from tests.helpers import csrf_from, login
from workflow.db import Database
from workflow.models import User
from workflow.services.users import create_token
from workflow.uow import UnitOfWork


def _threshold(page: str, language: str) -> str:
    """What the policies table shows for ``language``."""
    row = page.split(f'id="policy-{language}"')[1].split("</tr>")[0]
    cell = re.search(r'<td class="threshold"[^>]*>([^<]*)</td>', row)
    assert cell is not None, row
    return unescape(cell.group(1))


def _set(client: FlaskClient, language: str, value: str, action: str = "set",
         **headers: str) -> tuple[int, str, str]:
    """POST the page's form; the answer's status, text and where it redirects."""
    answer = client.post(f"/quality/policies/{language}",
                         data={"min_confidence": value, "action": action,
                               "csrf_token": csrf_from(client, "/quality")}, headers=headers)
    return answer.status_code, unescape(answer.text), answer.headers.get("Location", "")


def _api_threshold(client: FlaskClient, token: str, language: str) -> object:
    answer = client.get(f"/api/v1/policies/{language}",
                        headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    return answer.get_json()["min_confidence"]


@pytest.fixture
def desk(db: Database) -> tuple[Flask, str]:
    """The app on SQLite and on PostgreSQL, a publisher and a Spanish reviewer; a reviewer's
    API token."""
    make_user(db, "pub@desk.test", ["publisher"])
    make_user(db, "rev-es@desk.test", ["reviewer"], ["es"])
    with UnitOfWork(db) as uow:
        token = create_token(uow, "rev-es@desk.test")
    return create_test_app(db.url, Dispatched()), token


def test_a_publisher_sets_a_threshold_on_the_quality_page_and_the_api_reads_it(
        desk: tuple[Flask, str]) -> None:
    app, token = desk
    client = app.test_client()
    login(client, "pub@desk.test")
    page = client.get("/quality").text
    assert _threshold(page, "es") == "off"
    assert 'action="/quality/policies/es"' in page

    status, _, location = _set(client, "es", "0.9")
    assert status == 302 and location.endswith("/quality#policy-es")
    page = client.get("/quality").text
    assert _threshold(page, "es") == "0.90" and _threshold(page, "fr") == "off"
    assert _api_threshold(client, token, "es") == 0.9

    status, _, _ = _set(client, "es", "", action="off")
    assert status == 302
    assert _threshold(client.get("/quality").text, "es") == "off"
    assert _api_threshold(client, token, "es") is None


def test_an_invalid_threshold_is_a_form_error_in_the_readers_language_and_changes_nothing(
        client: FlaskClient, people: dict[str, User],
        sqlite_db: Database) -> None:
    login(client, "pub@desk.test")
    assert _set(client, "fr", "0.8")[0] == 302
    status, page, _ = _set(client, "fr", "1.5")
    assert status == 400
    assert ("The minimum confidence is a number between 0 and 1 (exclusive), such as 0.9; or "
            "turn pre-confirmation off.") in page
    assert 'value="1.5"' in page and 'aria-invalid="true"' in page  # what they typed, kept
    status, page, _ = _set(client, "fr", "abc", **{"Accept-Language": "es"})
    assert status == 400
    assert ('<p class="error" role="alert" id="policy-error">Escriba la seguridad mínima como '
            "un número entre 0 y 1, como 0.9.</p>") in page
    assert _threshold(page, "fr") == "0,80"  # unchanged, written the Spanish way
    with UnitOfWork(sqlite_db) as uow:
        token = create_token(uow, "pub@desk.test")
    assert _api_threshold(client, token, "fr") == 0.8


def test_a_reviewer_sees_the_thresholds_but_no_form_and_may_not_post_one(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    login(client, "pub@desk.test")
    assert _set(client, "es", "0.85")[0] == 302
    client.post("/logout", data={"csrf_token": csrf_from(client, "/quality")})
    login(client, "rev-es@desk.test")
    page = client.get("/quality").text
    assert _threshold(page, "es") == "0.85"
    assert "/quality/policies/" not in page
    status, _, _ = _set(client, "es", "0.5")
    assert status == 403
    assert _threshold(client.get("/quality").text, "es") == "0.85"
