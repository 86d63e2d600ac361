"""The JSON API: the whole flow with tokens, and clear 4xx errors for bad requests."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from tests.conftest import Dispatched
from workflow.models import User

ARTICLE = {
    "source_language": "en",
    "target_languages": ["es", "fr"],
    "title": "City council approves new budget",
    "body": "The minister announced a new budget.\n\nSchools will reopen next week.",
}


def test_submit_translate_edit_approve_and_publish_through_the_api(
        client: FlaskClient, people: dict[str, User], dispatched: Dispatched,
        token_for: Callable[[str], dict[str, str]], translate_now: Callable[[int], str]) -> None:
    editor = token_for("editor@desk.test")
    created = client.post("/api/v1/articles", json=ARTICLE, headers=editor)
    assert created.status_code == 201
    body = created.get_json()
    assert body["slug"] == "city-council-approves-new-budget"
    assert [(t["language"], t["state"]) for t in body["translations"]] == [
        ("es", "queued"), ("fr", "queued")]
    assert sorted(dispatched) == sorted(t["id"] for t in body["translations"])

    for tid in dispatched:
        assert translate_now(tid) == "done"
    es_id = body["translations"][0]["id"]
    reviewer = token_for("rev-es@desk.test")
    draft = client.get(f"/api/v1/translations/{es_id}", headers=reviewer).get_json()
    assert draft["state"] == "draft"
    assert [s["mt"] for s in draft["segments"]] == [
        "El ayuntamiento aprueba un nuevo presupuesto",
        "El ministro anunció un nuevo presupuesto.",
        "Las escuelas reabrirán la próxima semana.",
    ]
    assert {s["engine"] for s in draft["segments"]} == {"transformers"}
    assert {s["model"] for s in draft["segments"]} == {"demo-opus-mt-en-es"}

    seg = draft["segments"][2]
    saved = client.put(f"/api/v1/translations/{es_id}/segments/{seg['id']}",
                       json={"text": "Los colegios reabren la semana que viene.",
                             "revision": seg["revision"]}, headers=reviewer)
    assert saved.status_code == 200
    assert saved.get_json()["revision"] == seg["revision"] + 1
    stale = client.put(f"/api/v1/translations/{es_id}/segments/{seg['id']}",
                       json={"text": "Otra cosa", "revision": seg["revision"]}, headers=reviewer)
    assert stale.status_code == 409
    assert stale.get_json()["current_text"] == "Los colegios reabren la semana que viene."

    assert client.post(f"/api/v1/translations/{es_id}/approve",
                       headers=reviewer).get_json()["state"] == "approved"
    publisher = token_for("pub@desk.test")
    published = client.post(f"/api/v1/translations/{es_id}/publish", headers=publisher)
    assert published.status_code == 201
    page = client.get("/es/el-ayuntamiento-aprueba-un-nuevo-presupuesto").get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in page
    assert "El ministro anunció un nuevo presupuesto." in page
    assert "Los colegios reabren la semana que viene." in page
    assert "Las escuelas reabrirán" not in page

    article = client.get(f"/api/v1/articles/{body['id']}", headers=editor).get_json()
    assert {t["language"]: t["state"] for t in article["translations"]} == {
        "es": "published", "fr": "draft"}


def test_requests_without_a_valid_token_are_401_json(client: FlaskClient,
                                                     people: dict[str, User]) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic x"}):
        response = client.post("/api/v1/articles", json=ARTICLE, headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthorized"


def test_bad_articles_get_a_4xx_that_says_what_to_fix_and_nothing_is_created(
        client: FlaskClient, people: dict[str, User], dispatched: Dispatched,
        token_for: Callable[[str], dict[str, str]]) -> None:
    editor = token_for("editor@desk.test")
    cases = [
        # 422: the request matches the schema, but no rule a schema can state saves it.
        ({**ARTICLE, "title": ""}, 422, "No headline found in the text: give a title."),
        ({**ARTICLE, "body": "   "}, 400, "body is empty"),
        ({**ARTICLE, "source_language": "klingon"}, 400, "Supported:"),
        ({**ARTICLE, "target_languages": ["en"]}, 422, "is the source language"),
        ({**ARTICLE, "target_languages": "not-a-list-of-codes!"}, 400,
         "target_languages: Not a valid list."),
        ({**ARTICLE, "target_languages": ["tlh"]}, 400, "Unsupported language"),
        ({**ARTICLE, "target_language": ["es"]}, 400, "target_language: Unknown field."),
        ({**ARTICLE, "body": "x" * 200_001}, 413, "the limit is 200,000"),
        ({**ARTICLE, "format": "docx"}, 400, "Unknown format"),
        ({**ARTICLE, "title": 5}, 400, "title must be text"),
    ]
    for payload, status, message in cases:
        response = client.post("/api/v1/articles", json=payload, headers=editor)
        assert response.status_code == status, payload
        assert message in response.get_json()["message"]
    not_json = client.post("/api/v1/articles", data="title=x", headers=editor)
    assert not_json.status_code == 400 and "JSON object" in not_json.get_json()["message"]
    assert dispatched == []


def test_reviewers_cannot_touch_other_languages_and_illegal_transitions_are_409(
        client: FlaskClient, people: dict[str, User],
        token_for: Callable[[str], dict[str, str]], translate_now: Callable[[int], str]) -> None:
    body = client.post("/api/v1/articles", json=ARTICLE,
                       headers=token_for("editor@desk.test")).get_json()
    es_id = body["translations"][0]["id"]
    translate_now(es_id)
    fr_reviewer = token_for("rev-fr@desk.test")
    assert client.get(f"/api/v1/translations/{es_id}", headers=fr_reviewer).status_code == 404
    assert client.post(f"/api/v1/translations/{es_id}/approve",
                       headers=fr_reviewer).status_code == 404
    publish = client.post(f"/api/v1/translations/{es_id}/publish",
                          headers=token_for("pub@desk.test"))
    assert publish.status_code == 409
    assert publish.get_json()["error"] == "invalid_transition"
    editor_approves = client.post(f"/api/v1/translations/{es_id}/approve",
                                  headers=token_for("editor@desk.test"))
    assert editor_approves.status_code == 403
    assert client.get("/api/v1/translations/99999",
                      headers=fr_reviewer).get_json()["error"] == "not_found"
