"""The dashboard and review pages through the test client, CSRF and all."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import Dispatched
from tests.helpers import csrf_from, login
from workflow.db import Database
from workflow.models import Article, Translation, User


def submit_form(client: FlaskClient, **overrides: object) -> object:
    data: dict[str, object] = {
        "title": "City council approves new budget",
        "body": "The minister announced a new budget.\n\nSchools will reopen next week.",
        "source_language": "en", "target_languages": ["es"],
        "csrf_token": csrf_from(client, "/"),
    }
    data.update(overrides)
    return client.post("/articles", data=data)


def test_pages_need_a_login(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_wrong_password_is_refused(client: FlaskClient, people: dict[str, User]) -> None:
    token = csrf_from(client, "/login")
    response = client.post("/login", data={"email": "editor@desk.test", "password": "nope",
                                           "csrf_token": token})
    assert response.status_code == 401 and "Wrong e-mail or password" in response.text


def test_a_form_without_its_csrf_token_is_refused(client: FlaskClient,
                                                  people: dict[str, User]) -> None:
    login(client, "editor@desk.test")
    response = submit_form(client, csrf_token="forged")
    assert response.status_code == 400 and "reload the page" in response.text  # type: ignore[attr-defined]


def test_editor_submits_and_sees_each_language_queued(
        client: FlaskClient, people: dict[str, User], dispatched: Dispatched) -> None:
    login(client, "editor@desk.test")
    response = submit_form(client)
    assert response.status_code == 302  # type: ignore[attr-defined]
    article_page = client.get(response.headers["Location"]).text  # type: ignore[attr-defined]
    assert "<title>City council approves new budget · Linguadesk</title>" in article_page
    assert "Queued" in article_page
    assert len(dispatched) == 1
    dashboard = client.get("/").text
    assert 'data-language="es"' in dashboard and "Queued" in dashboard


def test_a_bad_submission_keeps_what_the_editor_typed_and_says_what_to_fix(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    login(client, "editor@desk.test")
    response = submit_form(client, target_languages=[])
    assert response.status_code == 400  # type: ignore[attr-defined]
    page = response.text  # type: ignore[attr-defined]
    assert "Pick at least one target language." in page
    assert "The minister announced a new budget." in page  # the body is still in the form
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 0


def test_reviewer_edits_side_by_side_approves_and_publisher_publishes(
        app: Flask, people: dict[str, User], dispatched: Dispatched, sqlite_db: Database,
        translate_now: Callable[[int], str]) -> None:
    editor = app.test_client()
    login(editor, "editor@desk.test")
    submit_form(editor)
    (tid,) = dispatched
    translate_now(tid)

    reviewer = app.test_client()
    login(reviewer, "rev-es@desk.test")
    page = reviewer.get(f"/translations/{tid}").text
    assert "The minister announced a new budget." in page
    assert "El ministro anunció un nuevo presupuesto." in page
    with sqlite_db.session() as s:
        t = s.get(Translation, tid)
        assert t is not None
        seg = t.segments[1]
    token = csrf_from(reviewer, f"/translations/{tid}")
    saved = reviewer.post(f"/translations/{tid}/segments/{seg.id}",
                          data={"text": "El ministro presentó un nuevo presupuesto.",
                                "revision": seg.revision, "csrf_token": token})
    assert saved.status_code == 302
    conflict = reviewer.post(f"/translations/{tid}/segments/{seg.id}",
                             data={"text": "Mi versión", "revision": seg.revision,
                                   "csrf_token": token})
    assert conflict.status_code == 409
    assert "El ministro presentó un nuevo presupuesto." in conflict.text
    assert "Mi versión" in conflict.text  # the losing text is kept in the editor
    assert reviewer.post(f"/translations/{tid}/approve",
                         data={"csrf_token": token}).status_code == 302

    publisher = app.test_client()
    login(publisher, "pub@desk.test")
    token = csrf_from(publisher, f"/translations/{tid}")
    assert publisher.post(f"/translations/{tid}/publish",
                          data={"csrf_token": token}).status_code == 302
    public = app.test_client().get("/es/el-ayuntamiento-aprueba-un-nuevo-presupuesto")
    assert public.status_code == 200
    assert '<html lang="es" dir="ltr">' in public.text
    assert "<h1>El ayuntamiento aprueba un nuevo presupuesto</h1>" in public.text
    assert "El ministro presentó un nuevo presupuesto." in public.text


def test_a_reviewer_of_another_language_gets_404_on_the_workspace(
        app: Flask, people: dict[str, User], dispatched: Dispatched) -> None:
    editor = app.test_client()
    login(editor, "editor@desk.test")
    submit_form(editor)
    (tid,) = dispatched
    other = app.test_client()
    login(other, "rev-fr@desk.test")
    assert other.get(f"/translations/{tid}").status_code == 404


def test_unpublished_editions_are_404(client: FlaskClient, people: dict[str, User]) -> None:
    assert client.get("/es/no-such-story").status_code == 404
