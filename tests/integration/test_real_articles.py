"""Real-length articles through real worker processes and real engines, as `make run` serves.

Default routing on the demo models and the Apertium pairs `scripts/setup.sh` installs:
Spanish by Apertium, French through the Apertium chain en→es→fr, Arabic by the demo
model, German by people; and an engine that raises ends its job within seconds.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import create_test_app, make_user
from tests.helpers import csrf_from, login
from tests.processes import Desk, wait_until
from workers import model_manifest
from workers.engines.apertium import installed_pairs
from workflow.db import Database
from workflow.models import EngineCapability, Translation
from workflow.services.users import create_token
from workflow.uow import UnitOfWork

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not {"eng-spa", "es-fr"} <= installed_pairs(),
                       reason="the Apertium pairs scripts/setup.sh installs are missing"),
]

# Sentences of 40 to 70 words with figures, as a magazine's copy has them.
ARTICLE = [
    "The government said on Tuesday that inflation fell to 2.1 percent in October, the "
    "lowest level in three years, as energy prices eased and the central bank, which has "
    "raised interest rates eleven times since 2022, signalled that it could begin cutting "
    "them early next year if wages keep cooling.",
    "More than 95,000 people marched through the capital on Saturday to protest against "
    "the plan, which would raise the retirement age from 62 to 64 by 2030, according to "
    "police estimates, while the unions that organised the march put the number of "
    "demonstrators at 250,000 and promised further strikes in the coming weeks.",
    "The museum, which opened in 1948 in a former railway station near the river, will "
    "close for 18 months from next spring while engineers replace its roof, and the city "
    "council has set aside 4.5 million euros for the work, twice the sum it spent on the "
    "last renovation in 1997.",
]
TITLE = "Inflation falls to its lowest level in three years"
FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def figures(text: str) -> list[str]:
    """The numbers a text carries, in order."""
    return FIGURE.findall(text)


@pytest.fixture
def desk(db: Database, demo_models: Path, tmp_path: Path) -> Iterator[Desk]:
    d = Desk(db.url, demo_models, tmp_path)  # default routing, as `make run` has it
    yield d
    d.close()


def recorded(db: Database) -> bool:
    with db.session() as s:
        return s.scalar(select(EngineCapability.id).limit(1)) is not None


def token(db: Database, email: str) -> dict[str, str]:
    with UnitOfWork(db) as uow:
        return {"Authorization": f"Bearer {create_token(uow, email)}"}


def states(db: Database) -> dict[str, str]:
    with db.session() as s:
        return {t.language: t.state for t in s.scalars(select(Translation))}


def start(db: Database, desk: Desk, monkeypatch: pytest.MonkeyPatch) -> Flask:
    make_user(db, "ed@desk.test", ["editor"])
    make_user(db, "rev@desk.test", ["reviewer"], ["es", "fr", "ar", "de"])
    desk.apply_env(monkeypatch)
    app = create_test_app(db.url)  # the real dispatch: messages go to Redis
    desk.start_worker()
    wait_until(lambda: recorded(db), 60, "the worker to record what it can translate",
               desk.logs)
    return app


def submit(client: FlaskClient, headers: dict[str, str], targets: list[str],
           body: list[str] = ARTICLE) -> dict[str, Any]:
    created = client.post("/api/v1/articles", headers=headers, json={
        "source_language": "en", "target_languages": targets, "title": TITLE,
        "body": "\n\n".join(body)})
    assert created.status_code == 201, created.get_json()
    return dict(created.get_json())


def translation(client: FlaskClient, headers: dict[str, str], created: dict[str, Any],
                language: str) -> dict[str, Any]:
    tid = next(t["id"] for t in created["translations"] if t["language"] == language)
    return dict(client.get(f"/api/v1/translations/{tid}", headers=headers).get_json())


@pytest.mark.timeout(400)
def test_a_real_article_reaches_spanish_french_arabic_and_a_draft_for_people(
        db: Database, desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    app = start(db, desk, monkeypatch)
    client = app.test_client()
    editor, reviewer = token(db, "ed@desk.test"), token(db, "rev@desk.test")

    created = submit(client, editor, ["es", "fr", "ar", "de"])
    assert created["translated_by"] == {
        "es": "Apertium eng-spa",
        "fr": "en→es→fr: Apertium eng-spa, then Apertium es-fr",
        "ar": "demo-opus-mt-en-ar (ctranslate2, demo model)",
        "de": "no engine: a reviewer translates from the source",
    }
    wait_until(lambda: states(db) == dict.fromkeys(("es", "fr", "ar", "de"), "draft"), 300,
               "every language to reach a draft", desk.logs)

    sources = [TITLE, *ARTICLE]
    es = translation(client, reviewer, created, "es")
    assert {(s["engine"], s["model"]) for s in es["segments"]} == {
        ("apertium", "apertium-eng-spa")}
    for seg, source in zip(es["segments"], sources, strict=True):
        assert sorted(figures(seg["mt"])) == sorted(figures(source)), seg["mt"]
    assert "El gobierno dijo" in es["segments"][1]["mt"]

    fr = translation(client, reviewer, created, "fr")
    assert {(s["engine"], s["model"]) for s in fr["segments"]} == {
        ("pivot:apertium+apertium", "apertium-eng-spa → apertium-es-fr")}
    for seg, source in zip(fr["segments"], sources, strict=True):
        assert sorted(figures(seg["mt"])) == sorted(figures(source)), seg["mt"]
        assert "pivot" in [f["code"] for f in seg["mt_flags"]]
    assert "Le gouvernement" in fr["segments"][1]["mt"]

    ar = translation(client, reviewer, created, "ar")
    assert {(s["engine"], s["model"]) for s in ar["segments"]} == {
        ("ctranslate2", "demo-opus-mt-en-ar")}
    for seg, source in zip(ar["segments"], sources, strict=True):
        assert seg["mt"].strip() and set(figures(source)) <= set(figures(seg["mt"]))
    assert any("split_long" in [f["code"] for f in s["mt_flags"]] for s in ar["segments"])

    de = translation(client, reviewer, created, "de")
    assert (de["state"], de["error"]) == ("draft", None)
    assert [(s["mt"], s["text"], s["engine"], s["state"]) for s in de["segments"]] == [
        (None, "", None, "untranslated")] * len(sources)
    assert {f["code"] for s in de["segments"] for f in s["mt_flags"]} == {"no_engine"}

    page = app.test_client()
    login(page, "rev@desk.test")
    workspace = page.get(f"/translations/{de['id']}").get_data(as_text=True)
    assert 'id="no-engine"' in workspace and "No engine on this desk translates English" \
        " into German" in workspace


def test_the_submit_form_says_what_will_translate_each_language_before_submitting(
        db: Database, desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    app = start(db, desk, monkeypatch)
    client = app.test_client()
    login(client, "ed@desk.test")
    page = client.get("/").get_data(as_text=True)
    note = '<span class="muted engine-note" data-language="{}">{}</span>'
    assert note.format("es", "Apertium eng-spa") in page
    assert note.format("fr", "en→es→fr: Apertium eng-spa, then Apertium es-fr") in page
    assert note.format("de", "no engine: a reviewer translates from the source") in page
    notes = re.search(r'data-notes="([^"]*)"', page)
    assert notes is not None
    every = json.loads(notes.group(1).replace("&#34;", '"').replace("&amp;", "&"))
    assert every["es"]["en"] == "Apertium spa-eng" and every["fr"]["es"] == "Apertium fr-es"


def poisoned_model(demo_models: Path, into: Path) -> Path:
    """A real-looking en→de model whose tokenizer gives "budget" an id past its embeddings.

    It loads, and translates every sentence without that word; the one with it makes the
    real Marian encoder raise ``IndexError('index out of range in self')``.
    """
    model = into / "opus-mt-en-de"
    shutil.copytree(demo_models / "demo-opus-mt-en-es", model)
    # As `linguadesk models import DIR --pair en-de` would describe it: a real model.
    model_manifest.write(model, model_manifest.Manifest(name=model.name, pairs=(("en", "de"),)))
    vocab = json.loads((model / "vocab.json").read_text(encoding="utf-8"))
    vocab["▁budget"] = 5000
    (model / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    return model


@pytest.mark.timeout(240)
def test_an_engine_that_raises_fails_its_job_in_seconds_with_the_reason_and_a_one_click_retry(
        db: Database, demo_models: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    models = tmp_path / "models"
    poisoned_model(demo_models, models)
    desk = Desk(db.url, models, tmp_path)
    try:
        app = start(db, desk, monkeypatch)
        client = app.test_client()
        editor = token(db, "ed@desk.test")
        created = submit(client, editor, ["de"], body=[
            "The minister announced a new budget.", "Schools will reopen next week."])
        started = time.monotonic()
        wait_until(lambda: states(db) == {"de": "failed"}, 120, "the job to fail", desk.logs)
        assert time.monotonic() - started < 60

        job = translation(client, token(db, "rev@desk.test"), created, "de")
        assert job["state"] == "failed" and job["attempts"] == 1
        reason = job["error"]
        assert reason.startswith("1 of 3 segments could not be translated (positions 1). "
                                 "Segment 1 (“The minister announced a new budget.”)")
        assert "IndexError: index out of range in self" in reason
        assert "Retry translates only the missing ones." in reason
        assert [s["position"] for s in job["segments"]] == [0, 2]  # the others are kept

        dashboard = app.test_client()
        login(dashboard, "ed@desk.test")
        listing = dashboard.get("/").get_data(as_text=True)
        assert "IndexError: index out of range in self" in listing
        assert 'class="inline-retry"' in listing
        tid = job["id"]
        workspace = dashboard.get(f"/translations/{tid}").get_data(as_text=True)
        assert 'id="translation-error"' in workspace and 'id="retry"' in workspace
        assert "IndexError: index out of range in self" in workspace
        retried = dashboard.post(f"/translations/{tid}/retry",
                                 data={"csrf_token": csrf_from(dashboard, "/")})
        assert retried.status_code == 302
        wait_until(lambda: _attempts(db, tid) == ("failed", 1) and _events(db, tid) >= 2, 60,
                   "the retried job to run again and fail again", desk.logs)
    finally:
        desk.close()


def _tag(n: int) -> str:
    """A made-up word for ``n`` ("qa", "qb", …): figures are masked before the engine and the
    cache, so only words make a clause unique."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    word = ""
    while True:
        n, digit = divmod(n, 26)
        word = letters[digit] + word
        if not n:
            return "q" + word


def unique_paragraphs(parts: int) -> list[str]:
    """``parts`` × the article, each clause of each copy carrying its own word, so that no
    sentence or split piece is served from the MT cache (where a stopped attempt leaves what it
    finished): every attempt has the whole of this work left to do."""
    body = []
    for i in range(parts):
        for j, paragraph in enumerate(ARTICLE):
            clauses = paragraph.split(", ")
            body.append(", ".join(f"{c} {_tag(i * 100 + j * 10 + k)}"
                                  for k, c in enumerate(clauses)))
    return body


def _jobs(db: Database) -> list[tuple[str, str, int, str | None]]:
    with db.session() as s:
        return [(t.language, t.state, t.attempts, t.error) for t in s.scalars(select(Translation))]


def _attempts(db: Database, tid: int) -> tuple[str, int]:
    with db.session() as s:
        t = s.get(Translation, tid)
        assert t is not None
        return t.state, t.attempts


def _events(db: Database, tid: int) -> int:
    from workflow.models import AuditEvent

    with db.session() as s:
        return len(list(s.scalars(select(AuditEvent).where(
            AuditEvent.translation_id == tid, AuditEvent.action == "translation.fail"))))


@pytest.mark.timeout(240)
def test_a_job_past_its_time_limit_is_tried_again_then_fails_with_the_reason(
        db: Database, demo_models: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    desk = Desk(db.url, demo_models, tmp_path, LINGUADESK_TASK_TIME_LIMIT="2",
                LINGUADESK_MAX_ATTEMPTS="2", LINGUADESK_ROUTES="*=transformers")
    try:
        app = start(db, desk, monkeypatch)
        created = submit(app.test_client(), token(db, "ed@desk.test"), ["ar"],
                         body=unique_paragraphs(150))
        wait_until(lambda: states(db) == {"ar": "failed"}, 120, "the job to fail",
                   lambda: f"{_jobs(db)}\n{desk.logs()}")
        job = translation(app.test_client(), token(db, "rev@desk.test"), created, "ar")
        assert job["error"].startswith("Gave up after 2 attempts"), (_jobs(db), desk.logs())
        # Tried again (the first run may have been loading the model), then given up.
        assert job["error"].startswith("Gave up after 2 attempts. Last reason: The "
                                       "translation took longer than the time limit of 2 s "
                                       "(LINGUADESK_TASK_TIME_LIMIT) and was stopped")
        with db.session() as s:
            t = s.get(Translation, job["id"])
            assert t is not None and t.lease_owner is None
    finally:
        desk.close()

