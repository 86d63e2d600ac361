"""Routing per pair from configuration, fallback, the English pivot, the cache and the flags."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import Dispatched
from workers import model_manifest
from workers.engines.apertium import installed_pairs
from workers.routing import engine_for
from workflow.db import Database
from workflow.engine import ChainEngine, FallbackEngine, MTEngine, MTResult, UnsupportedPair
from workflow.models import MTCacheEntry, User
from workflow.mt_pipeline import translate_segments
from workflow.services import jobs
from workflow.settings import Settings, load
from workflow.uow import UnitOfWork

needs_apertium = pytest.mark.skipif("eng-spa" not in installed_pairs(),
                                    reason="apertium-eng-spa missing")


def settings_for(models: Path, routes: str = "", **more: object) -> Settings:
    return dataclasses.replace(load(), models_dir=models, routes=routes,
                               ct2_cache_dir=models / ".ct2", **more)  # type: ignore[arg-type]


def served_by(engine: MTEngine) -> list[str]:
    assert isinstance(engine, FallbackEngine)
    return [f"{e.name}:{getattr(e, 'model_id', '')}" for e in engine.engines]


@needs_apertium
def test_each_pair_gets_its_configured_engines_in_order(demo_models: Path) -> None:
    settings = settings_for(demo_models, "en-es=ctranslate2,apertium; *=transformers")
    assert served_by(engine_for("en", "es", settings)) == [
        "ctranslate2:demo-opus-mt-en-es", "apertium:apertium"]
    assert served_by(engine_for("en", "fr", settings)) == ["transformers:demo-opus-mt-en-fr"]


@needs_apertium
def test_an_engine_without_its_model_falls_back_to_apertium_for_real(demo_models: Path) -> None:
    settings = settings_for(demo_models, "en-es=transformers:opus-mt-en-es-big,apertium")
    engine = engine_for("en", "es", settings)
    assert served_by(engine) == ["apertium:apertium"]
    out = translate_segments(["The city council met on Monday."], "en", "es", engine)
    assert out[0].text == "El ayuntamiento cumplió el lunes." and out[0].engine == "apertium"


def test_a_failing_first_engine_hands_the_article_to_the_next(demo_models: Path,
                                                              tmp_path: Path) -> None:
    broken = tmp_path / "opus-mt-en-es"
    broken.mkdir()
    (broken / "config.json").write_text('{"model_type": "marian"}')  # weights missing
    settings = settings_for(tmp_path, f"en-es=transformers:opus-mt-en-es,"
                                      f"transformers:{demo_models / 'demo-opus-mt-en-es'}")
    out = translate_segments(["Rain is expected tomorrow."], "en", "es",
                                  engine_for("en", "es", settings))
    assert out[0].text == "Se espera lluvia mañana."


needs_chains = pytest.mark.skipif(
    not {"eng-spa", "es-fr", "es-pt", "spa-ita", "eng-cat"} <= installed_pairs(),
    reason="the Apertium pairs scripts/setup.sh installs are missing")


@needs_apertium
def test_demo_models_rank_after_every_real_engine_under_default_routing(
        demo_models: Path) -> None:
    assert served_by(engine_for("en", "es", settings_for(demo_models))) == [
        "apertium:apertium", "ctranslate2:demo-opus-mt-en-es", "transformers:demo-opus-mt-en-es"]


@needs_chains
@pytest.mark.parametrize("target, second", [
    ("fr", "apertium-es-fr"), ("pt", "apertium-es-pt"), ("it", "apertium-spa-ita")])
def test_without_a_real_direct_engine_the_pair_chains_real_engines_for_real(
        demo_models: Path, target: str, second: str) -> None:
    engine = engine_for("en", target, settings_for(demo_models))
    assert isinstance(engine, FallbackEngine) and isinstance(engine.engines[0], ChainEngine)
    assert engine.engines[0].languages == ["en", "es", target]
    out = translate_segments(["The government said on Tuesday that inflation fell to 2.1 "
                              "percent in October."], "en", target, engine)[0]
    assert out.engine == "pivot:apertium+apertium"
    assert out.model == f"apertium-eng-spa → {second}"
    assert "2.1" in out.text and "government" not in out.text
    assert [f.code for f in out.flags] == ["pivot"]
    assert f"through Spanish (en→es→{target})" in out.flags[0].message


@needs_chains
def test_english_to_catalan_is_direct(tmp_path: Path) -> None:
    out = translate_segments(["The city council met on Monday."], "en", "ca",
                             engine_for("en", "ca", settings_for(tmp_path)))[0]
    assert (out.engine, out.model, out.flags) == ("apertium", "apertium-eng-cat", ())


@needs_chains
def test_a_model_found_by_its_manifest_outranks_the_apertium_chain(demo_models: Path,
                                                                  tmp_path: Path) -> None:
    pulled = tmp_path / "newsroom-en-fr"  # a name no convention recognises
    shutil.copytree(demo_models / "demo-opus-mt-en-fr", pulled)
    model_manifest.write(pulled, model_manifest.Manifest(
        name=pulled.name, pairs=(("en", "fr"),), hub_id="example/newsroom-en-fr"))
    engine = engine_for("en", "fr", settings_for(tmp_path))
    assert served_by(engine)[:2] == ["ctranslate2:newsroom-en-fr",
                                     "transformers:newsroom-en-fr"]
    assert isinstance(engine, FallbackEngine) and isinstance(engine.engines[2], ChainEngine)
    out = translate_segments(["Schools will reopen next week."], "en", "fr", engine)[0]
    assert (out.text, out.engine, out.model) == (
        "Les écoles rouvriront la semaine prochaine.", "ctranslate2", "newsroom-en-fr")


def test_a_pair_nothing_can_serve_fails_with_the_reason_in_plain_words(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedPair) as caught:
        engine_for("de", "ja", settings_for(tmp_path))
    message = str(caught.value)
    assert "Nothing on this machine can translate de→ja" in message
    assert f"no model for de→ja in {tmp_path}" in message
    assert "no Apertium pair for de→ja" in message
    assert "No chain of engines through other languages connects them either" in message


@needs_chains
def test_the_engines_command_says_which_engine_serves_each_pair_and_why(
        demo_models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from web.cli import main

    monkeypatch.setenv("LINGUADESK_MODELS_DIR", str(demo_models))
    monkeypatch.setenv("LINGUADESK_ROUTES", "")
    out = CliRunner().invoke(main, ["engines"]).output
    assert "  en→es  direct  Apertium eng-spa\n" in out
    assert "  en→fr  chain   en→es→fr: Apertium eng-spa, then Apertium es-fr\n" in out
    assert "  en→ar  direct  demo-opus-mt-en-ar (ctranslate2, demo model)\n" in out
    assert "en→de" not in out and "Every other pair: no engine" in out

    per_language = CliRunner().invoke(main, ["engines", "--from", "en"]).output
    assert "  de  German      no engine: a reviewer translates from the source\n" in per_language
    assert "  ca  Catalan     Apertium eng-cat\n" in per_language

    monkeypatch.setenv("LINGUADESK_ROUTES", "en-es=ctranslate2,apertium; de-ja=transformers")
    asked = CliRunner().invoke(main, ["engines", "--pair", "en-es", "--pair", "de-ja"]).output
    assert "en→es\n  → ctranslate2: model demo-opus-mt-en-es found in" in asked
    assert "  ↳ apertium: Apertium pair eng-spa is installed" in asked
    assert "de→ja\n  ✗ transformers: no model for de→ja" in asked
    assert "nothing can serve this pair" in asked
    bad = CliRunner().invoke(main, ["engines", "--pair", "en-es", "--pair", "enes"])
    assert bad.exit_code == 2 and "enes: write a pair as SRC-TGT" in bad.output


class Counting:
    """The real demo engine, counting the sentences it is asked to translate."""

    def __init__(self, inner: MTEngine) -> None:
        self.inner, self.name = inner, inner.name
        self.model_id = getattr(inner, "model_id", "")
        self.sentences: list[str] = []

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        self.sentences.extend(texts)
        return self.inner.translate(texts, source, target)


def submit(client: FlaskClient, headers: dict[str, str], title: str, body: str) -> int:
    created = client.post("/api/v1/articles", headers=headers, json={
        "source_language": "en", "target_languages": ["es"], "title": title, "body": body})
    assert created.status_code == 201, created.get_json()
    return int(created.get_json()["translations"][0]["id"])


def test_unchanged_text_is_served_from_the_cache_without_calling_the_engine(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]],
        real_engine_for: Callable[[str, str], MTEngine]) -> None:
    editor = token_for("editor@desk.test")
    first = Counting(real_engine_for("en", "es"))
    tid = submit(client, editor, "City council approves new budget",
                 "The minister announced a new budget. It will cost 40 million.")
    assert jobs.translate(lambda: UnitOfWork(sqlite_db), tid, lambda s, t: first, "w") == "done"
    assert "The minister announced a new budget." in first.sentences

    second = Counting(real_engine_for("en", "es"))
    tid2 = submit(client, editor, "City council approves new budget",
                  "The minister announced a new budget. It will cost 75 million.")
    assert jobs.translate(lambda: UnitOfWork(sqlite_db), tid2, lambda s, t: second, "w") == "done"
    assert second.sentences == []
    draft = client.get(f"/api/v1/translations/{tid2}",
                       headers=token_for("rev-es@desk.test")).get_json()
    assert draft["segments"][0]["mt"] == "El ayuntamiento aprueba un nuevo presupuesto"
    assert draft["segments"][1]["mt"].startswith("El ministro anunció un nuevo presupuesto. ")
    assert "75" in draft["segments"][1]["mt"]
    with UnitOfWork(sqlite_db) as uow:
        assert uow.session.scalar(select(func.count()).select_from(MTCacheEntry)) >= 3


def test_a_sentence_served_from_the_cache_keeps_the_engines_confidence(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]],
        real_engine_for: Callable[[str, str], MTEngine]) -> None:
    editor, reviewer = token_for("editor@desk.test"), token_for("rev-es@desk.test")
    body = "The minister announced a new budget.\n\nPurple elephants negotiate quantum bananas."
    confidences, engines = [], []
    for _ in range(2):
        engines.append(Counting(real_engine_for("en", "es")))
        tid = submit(client, editor, "City council approves new budget", body)
        assert jobs.translate(lambda: UnitOfWork(sqlite_db), tid, lambda s, t: engines[-1],
                              "w") == "done"
        draft = client.get(f"/api/v1/translations/{tid}", headers=reviewer).get_json()
        confidences.append([seg["confidence"] for seg in draft["segments"]])
    # the second time, every sentence came from the cache
    assert engines[0].sentences and engines[1].sentences == []
    first, second = confidences
    assert all(c is not None for c in first) and min(first) < 0.95  # the nonsense one
    assert second == first


def test_flags_reach_the_reviewer_in_the_api_and_on_the_review_page(
        client: FlaskClient, people: dict[str, User], dispatched: Dispatched,
        token_for: Callable[[str], dict[str, str]], translate_now: Callable[[int], str]) -> None:
    from tests.helpers import login

    tid = submit(client, token_for("editor@desk.test"), "City council approves new budget",
                 "Schools will reopen next week. See https://schools.example/plan-2026 now.")
    assert translate_now(tid) == "done"
    seg = client.get(f"/api/v1/translations/{tid}",
                     headers=token_for("rev-es@desk.test")).get_json()["segments"][1]
    assert "https://schools.example/plan-2026" in seg["mt"]
    assert seg["mt"].startswith("Las escuelas reabrirán la próxima semana. ")
    assert [f["code"] for f in seg["mt_flags"]] == ["mask_lost"]
    assert "https://schools.example/plan-2026" in seg["mt_flags"][0]["message"]

    login(client, "rev-es@desk.test")
    page = client.get(f"/translations/{tid}").get_data(as_text=True)
    assert 'data-flag="mask_lost"' in page
    assert "The engine dropped https://schools.example/plan-2026" in page
