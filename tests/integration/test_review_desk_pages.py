"""The review desk through the test client: CSRF from script, claims and inbox, comments,
glossary, the audit log and the MT quality page (sign-in limits and cookies: security/)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.helpers import csrf_from, login
from workflow.db import Database
from workflow.models import TranslatedSegment, User
from workflow.services.articles import submit_article
from workflow.uow import UnitOfWork


@pytest.fixture
def drafted(sqlite_db: Database, people: dict[str, User],
            translate_now: Callable[[int], str]) -> tuple[int, list[int]]:
    """A Spanish draft of a two-paragraph article: its id and its segment ids."""
    with UnitOfWork(sqlite_db) as uow:
        article = submit_article(uow, people["editor"], title="City council approves new budget",
                                 body="The minister announced a new budget.\n\n"
                                      "Schools will reopen next week.",
                                 source_language="en", target_languages_=["es"])
        tid = article.translations[0].id
    assert translate_now(tid) == "done"
    with sqlite_db.session() as s:
        ids = list(s.scalars(select(TranslatedSegment.id).where(
            TranslatedSegment.translation_id == tid).order_by(TranslatedSegment.position)))
    return tid, ids


def test_a_save_from_script_needs_the_csrf_header(
        client: FlaskClient, people: dict[str, User], drafted: tuple[int, list[int]]) -> None:
    tid, (title, *_) = drafted
    login(client, "rev-es@desk.test")
    url = f"/translations/{tid}/segments/{title}.json"
    body = {"text": "El ayuntamiento aprueba el presupuesto", "revision": 1, "confirm": True}
    refused = client.post(url, json=body)
    assert refused.status_code == 400 and "reload the page" in refused.text
    page = client.get(f"/translations/{tid}").text
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    saved = client.post(url, json=body, headers={"X-CSRFToken": token})
    assert saved.status_code == 200
    assert saved.json["segment"]["state"] == "confirmed"  # type: ignore[index]
    assert saved.json["progress"] == {"confirmed": 1, "total": 3}  # type: ignore[index]
    stale = client.post(url, json={**body, "text": "Otro"}, headers={"X-CSRFToken": token})
    assert stale.status_code == 409
    assert stale.json["current_text"] == "El ayuntamiento aprueba el presupuesto"  # type: ignore[index]


def test_the_plain_form_still_confirms_a_segment(
        client: FlaskClient, people: dict[str, User], drafted: tuple[int, list[int]],
        sqlite_db: Database) -> None:
    tid, (title, *_) = drafted
    login(client, "rev-es@desk.test")
    response = client.post(f"/translations/{tid}/segments/{title}",
                           data={"text": "Titular", "revision": "1", "action": "confirm",
                                 "csrf_token": csrf_from(client, f"/translations/{tid}")})
    assert response.status_code == 302
    with sqlite_db.session() as s:
        seg = s.get(TranslatedSegment, title)
        assert seg is not None and (seg.text, seg.state) == ("Titular", "confirmed")


def test_an_editor_assigns_with_a_due_date_and_it_lands_in_the_reviewers_inbox(
        app: Flask, people: dict[str, User], drafted: tuple[int, list[int]]) -> None:
    tid, _ = drafted
    reviewer = app.test_client()
    login(reviewer, "rev-es@desk.test")
    assert f'data-translation="{tid}"' in reviewer.get("/inbox").text.split('id="waiting"')[1]
    editor = app.test_client()
    login(editor, "editor@desk.test")
    editor.post(f"/translations/{tid}/assign",
                data={"reviewer_id": "", "due": "2026-12-31",
                      "csrf_token": csrf_from(editor, f"/translations/{tid}")})
    inbox = reviewer.get("/inbox").text
    mine = inbox.split('id="mine"')[1].split('id="waiting"')[0]
    # The date as the reader's locale writes it (English here), the exact day in the markup.
    assert f'data-translation="{tid}"' in mine
    assert 'due <time datetime="2026-12-31">Dec 31, 2026</time>' in mine


def test_comments_on_a_segment_and_on_the_translation_are_shown(
        client: FlaskClient, people: dict[str, User], drafted: tuple[int, list[int]]) -> None:
    tid, (title, *_) = drafted
    login(client, "rev-es@desk.test")
    token = csrf_from(client, f"/translations/{tid}")
    client.post(f"/translations/{tid}/comments",
                data={"body": "Is it ayuntamiento or concejo?", "segment_id": str(title),
                      "csrf_token": token})
    client.post(f"/translations/{tid}/comments", data={"body": "Ready by noon.",
                                                        "csrf_token": token})
    page = client.get(f"/translations/{tid}").text
    row = page.split(f'id="seg-{title}"')[1].split("</tr>")[0]
    assert "Is it ayuntamiento or concejo?" in row
    assert "Ready by noon." in page.split('id="comments"')[1]
    empty = client.post(f"/translations/{tid}/comments", data={"body": " ", "csrf_token": token})
    assert empty.status_code == 400


def test_glossary_terms_are_highlighted_with_their_translation_and_checked(
        app: Flask, people: dict[str, User], drafted: tuple[int, list[int]]) -> None:
    tid, _ = drafted
    admin = app.test_client()
    login(admin, "admin@desk.test")
    admin.post("/glossary", data={"term": "budget", "language": "es",
                                  "translation": "presupuesto", "note": "never 'budget'",
                                  "csrf_token": csrf_from(admin, "/glossary")})
    admin.post("/glossary", data={"term": "Schools", "language": "es",
                                  "translation": "colegios",
                                  "csrf_token": csrf_from(admin, "/glossary")})
    reviewer = app.test_client()
    login(reviewer, "rev-es@desk.test")
    page = reviewer.get(f"/translations/{tid}").text
    assert '<mark class="term" title="presupuesto — never &#x27;budget&#x27;">budget</mark>' in page
    assert "Glossary: “Schools” should be “colegios”." in page
    refused = reviewer.post("/glossary", data={"term": "x", "language": "es",
                                               "translation": "y",
                                               "csrf_token": csrf_from(reviewer, "/glossary")})
    assert refused.status_code == 403


def test_the_audit_log_filters_by_article_user_and_action(
        client: FlaskClient, people: dict[str, User], drafted: tuple[int, list[int]]) -> None:
    tid, _ = drafted
    reviewer = client
    login(reviewer, "rev-es@desk.test")
    reviewer.post(f"/translations/{tid}/claim",
                  data={"csrf_token": csrf_from(reviewer, f"/translations/{tid}")})
    reviewer.post("/logout", data={"csrf_token": csrf_from(reviewer, "/")})
    login(client, "admin@desk.test")
    every = client.get("/audit").text
    assert 'data-action="article.submit"' in every and 'data-action="translation.claim"' in every
    claims = client.get("/audit?user=rev-es@desk.test&action=translation.claim").text
    assert claims.count('<tr data-action="') == 1 and "claimed by rev-es@desk.test" in claims
    assert client.get("/audit?article=999").text.count('<tr data-action="') == 0
    assert client.get("/audit?article=abc").status_code == 400


def test_approval_charts_post_edit_distance_per_engine_and_language(
        app: Flask, people: dict[str, User], drafted: tuple[int, list[int]]) -> None:
    tid, (title, *_) = drafted
    reviewer = app.test_client()
    login(reviewer, "rev-es@desk.test")
    token = csrf_from(reviewer, f"/translations/{tid}")
    reviewer.post(f"/translations/{tid}/segments/{title}",
                  data={"text": "El ayuntamiento aprueba el presupuesto nuevo", "revision": "1",
                        "action": "confirm", "csrf_token": token})
    assert reviewer.post(f"/translations/{tid}/approve",
                         data={"csrf_token": token}).status_code == 302
    page = reviewer.get("/quality").text
    row = page.split('data-engine="transformers"')[1].split("</tr>")[0]
    assert 'data-language="es"' in row and "TER" in row and "chrF" in row
