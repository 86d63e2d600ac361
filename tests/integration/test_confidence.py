"""Confidence through the desk: the real demo model scores its drafts, the API shows it,
and approval keeps it beside each segment's post-edit distance."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Dispatched
from tests.helpers import login
from workflow.db import Database
from workflow.models import AuditEvent, PostEditScore, User

ARTICLE = {
    "source_language": "en",
    "target_languages": ["es"],
    "title": "City council approves new budget",
    "body": ("The minister announced a new budget.\n\n"
             "Purple elephants negotiate quantum bananas."),
}


def test_drafts_carry_the_engines_confidence_and_approval_keeps_it(
        client: FlaskClient, people: dict[str, User], dispatched: Dispatched,
        sqlite_db: Database, token_for: Callable[[str], dict[str, str]],
        translate_now: Callable[[int], str]) -> None:
    editor = token_for("editor@desk.test")
    created = client.post("/api/v1/articles", json=ARTICLE, headers=editor).get_json()
    tid = created["translations"][0]["id"]
    assert translate_now(tid) == "done"
    reviewer = token_for("rev-es@desk.test")
    draft = client.get(f"/api/v1/translations/{tid}", headers=reviewer).get_json()
    title, known, unknown = (s["confidence"] for s in draft["segments"])
    # the demo model learned the first two by heart; the third is nonsense to it
    assert 0.95 < known <= 1.0 and 0.95 < title <= 1.0
    assert 0.0 < unknown < known

    seg = draft["segments"][2]
    client.put(f"/api/v1/translations/{tid}/segments/{seg['id']}",
               json={"text": "Elefantes morados negocian plátanos cuánticos.",
                     "revision": seg["revision"], "confirm": True}, headers=reviewer)
    assert client.post(f"/api/v1/translations/{tid}/approve",
                       headers=reviewer).get_json()["state"] == "approved"
    with sqlite_db.session() as session:
        scores = {s.segment_id: s for s in session.scalars(
            select(PostEditScore).where(PostEditScore.segment_id.is_not(None)))}
    edited = scores[seg["id"]]
    assert edited.confidence == unknown and edited.ter > 0
    assert edited.model == "demo-opus-mt-en-es"
    untouched = scores[draft["segments"][1]["id"]]
    assert untouched.confidence == known and untouched.ter == 0

    quality = client.get("/api/v1/quality", headers=editor).get_json()
    (pair,) = quality["pairs"]
    assert (pair["source"], pair["target"]) == ("en", "es")
    (engine,) = pair["engines"]
    assert engine["engine"] == "transformers:demo-opus-mt-en-es" and engine["samples"] == 3
    assert engine["ter"]["low"] <= engine["ter"]["mean"] <= engine["ter"]["high"]
    assert engine["ter"]["mean"] > 0
    assert engine["confidence"]["edited_least_confident"] == 1.0  # the nonsense one
    assert engine["confidence"]["edited_rest"] == 0.0
    assert engine["confidence"]["note"] == "not calibrated yet: 3 scored segment(s), 200 needed"
    assert pair["choice"]["engine"] == "transformers:demo-opus-mt-en-es"
    assert "only engine" in pair["choice"]["why"]

    login(client, "editor@desk.test")
    page = client.get("/quality").get_data(as_text=True)
    assert "en→es" in page and "transformers:demo-opus-mt-en-es" in page
    assert "not calibrated yet: 3 scored segment(s), 200 needed" in page
    assert '<td class="edited-least">100%</td>' in page


def test_a_language_policy_preconfirms_confident_drafts_that_pass_qa(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]],
        translate_now: Callable[[int], str]) -> None:
    publisher, reviewer = token_for("pub@desk.test"), token_for("rev-es@desk.test")
    for bad in ({"min_confidence": 1.5}, {"min_confidence": "high"}, {}):
        answer = client.put("/api/v1/policies/es", json=bad, headers=publisher)
        assert answer.status_code == 400 and "min_confidence" in answer.get_json()["message"]
    assert client.put("/api/v1/policies/xx", json={"min_confidence": 0.9},
                      headers=publisher).status_code == 404  # not a desk language
    assert client.put("/api/v1/policies/es", json={"min_confidence": 0.9},
                      headers=reviewer).status_code == 403
    assert client.put("/api/v1/policies/es", json={"min_confidence": 0.9},
                      headers=publisher).get_json() == {"language": "es", "min_confidence": 0.9}

    editor = token_for("editor@desk.test")
    tid = client.post("/api/v1/articles", json=ARTICLE, headers=editor).get_json()[
        "translations"][0]["id"]
    assert translate_now(tid) == "done"
    segs = client.get(f"/api/v1/translations/{tid}", headers=reviewer).get_json()["segments"]
    assert [s["preconfirmed"] is not None for s in segs] == [True, True, False]
    assert "QA passes" in segs[1]["preconfirmed"] and segs[1]["state"] == "mt"
    with sqlite_db.session() as session:
        notes = list(session.scalars(select(AuditEvent.note).where(
            AuditEvent.action == "segment.preconfirmed", AuditEvent.translation_id == tid)))
    assert [n.split(":")[0] for n in notes] == ["segment 0", "segment 1"]

    login(client, "rev-es@desk.test")
    page = client.get(f"/translations/{tid}").get_data(as_text=True)
    assert page.count('class="seg preconfirmed"') == 2
    assert "Pre-confirmed by the es review policy: confidence" in page
