"""Source updates: new versions keep what did not change and lose nothing a reviewer wrote."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import Dispatched
from tests.helpers import csrf_from, login
from workflow.db import Database
from workflow.models import OutdatedSegment, Publication, Translation, User

ARTICLE = {
    "source_language": "en",
    "target_languages": ["es", "fr"],
    "title": "City council approves new budget",
    "body": "The minister announced a new budget.\n\nSchools will reopen next week.",
}
UPDATED_BODY = "The minister announced a new budget.\n\nRain is expected tomorrow."


def published_spanish(client: FlaskClient, token_for: Callable[[str], dict[str, str]],
                      dispatched: Dispatched, translate_now: Callable[[int], str]) -> dict:
    """An article whose Spanish translation a reviewer corrected and a publisher published."""
    editor = token_for("editor@desk.test")
    article = client.post("/api/v1/articles", json=ARTICLE, headers=editor).get_json()
    for tid in list(dispatched):
        assert translate_now(tid) == "done"
    es_id = article["translations"][0]["id"]
    reviewer = token_for("rev-es@desk.test")
    draft = client.get(f"/api/v1/translations/{es_id}", headers=reviewer).get_json()
    first, last = draft["segments"][1], draft["segments"][2]
    for seg, text in [(first, "El ministro presentó un presupuesto nuevo."),
                      (last, "Los colegios reabren la semana que viene.")]:
        assert client.put(f"/api/v1/translations/{es_id}/segments/{seg['id']}",
                          json={"text": text, "revision": seg["revision"]},
                          headers=reviewer).status_code == 200
    assert client.post(f"/api/v1/translations/{es_id}/approve",
                       headers=reviewer).status_code == 200
    assert client.post(f"/api/v1/translations/{es_id}/publish",
                       headers=token_for("pub@desk.test")).status_code == 201
    dispatched.clear()
    return {"article": article, "es_id": es_id}


def test_an_update_keeps_unchanged_segments_and_retranslates_only_the_changed_one(
        client: FlaskClient, people: dict[str, User], dispatched: Dispatched,
        sqlite_db: Database, token_for: Callable[[str], dict[str, str]],
        translate_now: Callable[[int], str]) -> None:
    ctx = published_spanish(client, token_for, dispatched, translate_now)
    article_id, es_id = ctx["article"]["id"], ctx["es_id"]
    editor = token_for("editor@desk.test")

    response = client.put(f"/api/v1/articles/{article_id}", headers=editor,
                          json={"title": ARTICLE["title"], "body": UPDATED_BODY})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == 2
    assert {t["state"] for t in response.get_json()["translations"]} == {"queued"}
    assert sorted(dispatched) == sorted(t["id"] for t in ctx["article"]["translations"])

    # The live Spanish edition is untouched until a new one is published.
    live = client.get("/es/el-ayuntamiento-aprueba-un-nuevo-presupuesto")
    assert "Los colegios reabren la semana que viene." in live.text

    for tid in list(dispatched):
        assert translate_now(tid) == "done"
    es = client.get(f"/api/v1/translations/{es_id}",
                    headers=token_for("rev-es@desk.test")).get_json()
    assert es["state"] == "draft"
    assert [(s["source"], s["text"], s["state"]) for s in es["segments"]] == [
        ("City council approves new budget", "El ayuntamiento aprueba un nuevo presupuesto",
         "mt"),
        ("The minister announced a new budget.", "El ministro presentó un presupuesto nuevo.",
         "edited"),  # unchanged source: the reviewer's correction stays
        # translated anew, and outdated until reviewed: the workspace's filter finds it
        ("Rain is expected tomorrow.", "Se espera lluvia mañana.", "outdated"),
    ]
    login(client, "rev-es@desk.test")
    workspace = client.get(f"/translations/{es_id}").text
    assert workspace.count('data-state="outdated"') == 1
    assert 'data-filter="outdated"' in workspace
    outdated = client.get(f"/api/v1/translations/{es_id}/outdated",
                          headers=token_for("rev-es@desk.test")).get_json()
    assert outdated == [{
        "version": 1, "position": 2, "kind": "paragraph",
        "source": "Schools will reopen next week.", "new_source": "Rain is expected tomorrow.",
        "mt": "Las escuelas reabrirán la próxima semana.",
        "text": "Los colegios reabren la semana que viene.", "reviewed": True}]
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Publication)) == 1


def test_the_reviewer_sees_the_source_diff_and_their_earlier_text(
        client: FlaskClient, people: dict[str, User], dispatched: Dispatched,
        token_for: Callable[[str], dict[str, str]],
        translate_now: Callable[[int], str]) -> None:
    ctx = published_spanish(client, token_for, dispatched, translate_now)
    client.put(f"/api/v1/articles/{ctx['article']['id']}",
               headers=token_for("editor@desk.test"),
               json={"title": ARTICLE["title"],
                     "body": ARTICLE["body"].replace("next week", "on Monday")})
    login(client, "rev-es@desk.test")
    assert "see what changed" in client.get(f"/translations/{ctx['es_id']}").text
    page = client.get(f"/translations/{ctx['es_id']}/changes").text
    assert "Schools will reopen <del>next week.</del> <ins>on Monday.</ins>" in page
    assert "Los colegios reabren la semana que viene." in page
    assert "Reviewer's text (revision 2, rev-es@desk.test)" in page


def test_the_dashboard_form_saves_a_new_version_and_rejects_an_identical_one(
        client: FlaskClient, people: dict[str, User], dispatched: Dispatched,
        sqlite_db: Database, token_for: Callable[[str], dict[str, str]]) -> None:
    article = client.post("/api/v1/articles", json=ARTICLE,
                          headers=token_for("editor@desk.test")).get_json()
    dispatched.clear()
    login(client, "editor@desk.test")
    edit = f"/articles/{article['id']}/edit"
    assert f'href="{edit}"' in client.get(f"/articles/{article['id']}").text
    form = client.get(edit).text
    assert "Schools will reopen next week." in form

    same = client.post(edit, data={"title": ARTICLE["title"], "body": ARTICLE["body"],
                                   "csrf_token": csrf_from(client, edit)})
    assert same.status_code == 422
    assert "The text is the same as version 1" in same.text
    assert dispatched == []

    saved = client.post(edit, data={"title": "City council approves new budget",
                                    "body": UPDATED_BODY, "csrf_token": csrf_from(client, edit)})
    assert saved.status_code == 302
    assert "version 2" in client.get(f"/articles/{article['id']}").text
    with sqlite_db.session() as s:
        assert set(s.scalars(select(Translation.version_number))) == {2}
    assert len(dispatched) == 2


def test_an_update_by_a_reviewer_is_refused_and_changes_nothing(
        client: FlaskClient, people: dict[str, User], dispatched: Dispatched,
        sqlite_db: Database, token_for: Callable[[str], dict[str, str]]) -> None:
    article = client.post("/api/v1/articles", json=ARTICLE,
                          headers=token_for("editor@desk.test")).get_json()
    response = client.put(f"/api/v1/articles/{article['id']}",
                          headers=token_for("rev-es@desk.test"),
                          json={"title": "x", "body": "y"})
    assert response.status_code == 403
    bad = client.put(f"/api/v1/articles/{article['id']}",
                     headers=token_for("editor@desk.test"), json={"title": "x", "body": ""})
    assert bad.status_code == 400 and bad.get_json()["field"] == "body"
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(OutdatedSegment)) == 0
        assert set(s.scalars(select(Translation.version_number))) == {1}
