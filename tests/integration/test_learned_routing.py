"""Learned routing with real engines: each engine is learned in turn, then the one whose
drafts reviewers changed least translates, and each decision is audited and shown."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import Dispatched
from workers import learned
from workers.routing import engine_for
from workflow.db import Database
from workflow.engine import MTEngine
from workflow.learned_routing import EngineRecord
from workflow.models import AuditEvent, User
from workflow.quality import ROUTED, records_for
from workflow.services import jobs
from workflow.settings import load
from workflow.uow import UnitOfWork

ROUTES = "en-es=learned,transformers,ctranslate2"
HF, CT2 = "transformers:demo-opus-mt-en-es", "ctranslate2:demo-opus-mt-en-es"


@pytest.fixture
def learning(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LINGUADESK_LEARNED_MIN_SAMPLES", "2")
    monkeypatch.setenv("LINGUADESK_LEARNED_EXPLORE", "0")
    monkeypatch.setenv("LINGUADESK_ROUTES", ROUTES)
    learned.policy.cache_clear()
    learned.rng.cache_clear()
    yield
    learned.policy.cache_clear()
    learned.rng.cache_clear()


def test_the_engine_reviewers_change_least_takes_over(
        learning: None, client: FlaskClient, people: dict[str, User], dispatched: Dispatched,
        sqlite_db: Database, demo_models: Path,
        token_for: Callable[[str], dict[str, str]]) -> None:
    settings = dataclasses.replace(load(), models_dir=demo_models, routes=ROUTES,
                                   ct2_cache_dir=demo_models / ".ct2")

    def records_of(src: str, tgt: str, keys: Sequence[str], window: int) -> list[EngineRecord]:
        with sqlite_db.session() as session:
            return records_for(session, src, tgt, keys, window)

    def route(src: str, tgt: str) -> MTEngine:
        return engine_for(src, tgt, settings, records_of)

    editor, reviewer = token_for("editor@desk.test"), token_for("rev-es@desk.test")

    def article(title: str, body: str, rewrite: bool) -> str:
        created = client.post("/api/v1/articles", headers=editor, json={
            "source_language": "en", "target_languages": ["es"], "title": title,
            "body": body}).get_json()
        tid = created["translations"][0]["id"]
        assert jobs.translate(lambda: UnitOfWork(sqlite_db), tid, route, worker="t") == "done"
        draft = client.get(f"/api/v1/translations/{tid}", headers=reviewer).get_json()
        for seg in draft["segments"]:
            text = "Texto reescrito por completo." if rewrite else seg["text"]
            client.put(f"/api/v1/translations/{tid}/segments/{seg['id']}", headers=reviewer,
                       json={"text": text, "revision": seg["revision"]})
        assert client.post(f"/api/v1/translations/{tid}/approve",
                           headers=reviewer).get_json()["state"] == "approved"
        return str({s["engine"] for s in draft["segments"]})

    # nothing known: the first configured engine is learned first, then the other one
    assert article("Rain is expected tomorrow", "The team won the final.", True) == \
        "{'transformers'}"
    assert article("Students returned to class", "The court rejected the appeal.", False) == \
        "{'ctranslate2'}"
    # both learned (2 segments each): the untouched one wins
    assert article("The museum opened a new exhibition", "The park will get more trees.",
                   False) == "{'ctranslate2'}"
    with sqlite_db.session() as session:
        notes = list(session.scalars(select(AuditEvent.note).where(AuditEvent.action == ROUTED)
                                     .order_by(AuditEvent.id)))
    assert notes[0].startswith(f"{HF}: still learning: {HF} has 0 scored segment(s)")
    assert notes[1].startswith(f"{CT2}: still learning")
    assert notes[2].startswith(f"{CT2}: best recent post-edit chrF: {CT2} 100.0")

    pair = client.get("/api/v1/quality", headers=editor).get_json()["pairs"][0]
    assert {e["engine"]: e["samples"] for e in pair["engines"]} == {HF: 2, CT2: 4}
    assert pair["choice"]["engine"] == CT2
    assert pair["last_decision"] == notes[2]

    from web.cli import main
    out = CliRunner().invoke(main, ["engines", "--pair", "en-es"],
                             env={"DATABASE_URL": sqlite_db.url,
                                  "LINGUADESK_MODELS_DIR": str(demo_models),
                                  "LINGUADESK_CT2_CACHE": str(demo_models / ".ct2")})
    assert out.exit_code == 0, out.output
    assert f"    {CT2}: 4 segment(s), chrF 100.0 ± 0.0" in out.output
    assert f"  ⇒ {CT2}: best recent post-edit chrF" in out.output
