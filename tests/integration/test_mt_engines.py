"""Every engine for real: the demo model through transformers and CTranslate2, and Apertium."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from workers.demo_corpus import EN_ES
from workers.engines.apertium import ApertiumEngine, installed_pairs
from workers.engines.ctranslate2_engine import CTranslate2Engine
from workers.engines.pool import ModelPool
from workers.engines.transformers_engine import TransformersEngine
from workflow.engine import MTEngine, UnsupportedPair
from workflow.masking import mask
from workflow.mt_pipeline import translate_segments

SOURCES = [s for s, _ in EN_ES]
EXPECTED = [t for _, t in EN_ES]

# Sentences the demo model knows, with numbers, URLs, e-mails and placeholders around them.
ARTICLE = [
    "City council approves new budget",
    "The minister announced a new budget. Details: https://gov.example/budget-2026?p=3.",
    "<g1>Prices rose sharply this year.</g1> 3.5% in 2026, 12,400 euros.",
    "Schools will reopen next week.<x2/> Write to press@city.example or call 555-0100.",
    "The river flooded the old town. The storm damaged many homes.",
]
KEPT = ["https://gov.example/budget-2026?p=3", "<g1>", "</g1>", "3.5", "2026", "12,400",
        "<x2/>", "press@city.example", "555-0100"]


@pytest.fixture(scope="module")
def es_model(demo_models: Path) -> Path:
    return demo_models / "demo-opus-mt-en-es"


def protected(text: str) -> Counter[str]:
    return Counter(mask(text).originals)


def assert_keeps_everything(engine: MTEngine) -> list[str]:
    results = translate_segments(ARTICLE, "en", "es", engine)
    out = [r.text for r in results]
    for source, result in zip(ARTICLE, results, strict=True):
        assert protected(result.text) == protected(source), (source, result.text)
    joined = "\n".join(out)
    for value in KEPT:
        assert value in joined
    return out


def test_transformers_reproduces_the_demo_corpus(es_model: Path) -> None:
    engine = TransformersEngine(es_model, pool=ModelPool(1), batch_tokens=256)
    results = engine.translate(SOURCES, "en", "es")
    assert [r.text for r in results] == EXPECTED
    assert {(r.engine, r.model) for r in results} == {("transformers", "demo-opus-mt-en-es")}
    assert all(r.seconds > 0 for r in results)


def test_ctranslate2_converts_once_to_int8_and_reproduces_the_demo_corpus(es_model: Path,
                                                                   tmp_path: Path) -> None:
    engine = CTranslate2Engine(es_model, tmp_path / "ct2", pool=ModelPool(1))
    results = engine.translate(SOURCES, "en", "es")
    assert [r.text for r in results] == EXPECTED
    assert {(r.engine, r.model) for r in results} == {("ctranslate2", "demo-opus-mt-en-es")}
    converted = list((tmp_path / "ct2").iterdir())
    assert len(converted) == 1 and (converted[0] / "model.bin").exists()
    assert converted[0].name.startswith("demo-opus-mt-en-es-ct2-int8-")  # int8 on CPU
    stamp = (converted[0] / "model.bin").stat().st_mtime_ns
    again = CTranslate2Engine(es_model, tmp_path / "ct2", pool=ModelPool(1))
    assert again.translate(SOURCES[:2], "en", "es")[1].text == EXPECTED[1]
    assert (converted[0] / "model.bin").stat().st_mtime_ns == stamp
    assert list((tmp_path / "ct2").iterdir()) == converted


@pytest.mark.skipif("eng-spa" not in installed_pairs(), reason="apertium-eng-spa missing")
def test_apertium_translates_english_to_spanish_for_real() -> None:
    results = ApertiumEngine().translate(
        ["The city council met on Monday.", "Schools will reopen next week."], "en", "es")
    assert [r.text for r in results] == ["El ayuntamiento cumplió el lunes.",
                                         "Las escuelas reabrirán la semana que viene."]
    assert results[0].engine == "apertium" and results[0].model == "apertium-eng-spa"


def test_apertium_refuses_a_pair_it_does_not_have_in_plain_words() -> None:
    with pytest.raises(UnsupportedPair, match="Apertium has no eng-ja pair on this machine"):
        ApertiumEngine().translate(["Hello."], "en", "ja")


def test_a_whole_article_through_transformers_keeps_every_number_url_and_placeholder(
        es_model: Path) -> None:
    out = assert_keeps_everything(TransformersEngine(es_model, pool=ModelPool(1)))
    assert out[0] == "El ayuntamiento aprueba un nuevo presupuesto"
    assert out[1].startswith("El ministro anunció un nuevo presupuesto. ")
    assert out[2].startswith("<g1>Los precios subieron mucho este año.</g1> ")
    assert out[4] == "El río inundó el casco antiguo. La tormenta dañó muchas casas."


def test_a_whole_article_through_ctranslate2_keeps_every_number_url_and_placeholder(
        es_model: Path, tmp_path: Path) -> None:
    out = assert_keeps_everything(CTranslate2Engine(es_model, tmp_path, pool=ModelPool(1)))
    assert out[4] == "El río inundó el casco antiguo. La tormenta dañó muchas casas."


@pytest.mark.skipif("eng-spa" not in installed_pairs(), reason="apertium-eng-spa missing")
def test_a_whole_article_through_apertium_keeps_every_number_url_and_placeholder() -> None:
    out = assert_keeps_everything(ApertiumEngine())
    assert "ayuntamiento" in out[0] and "presupuesto" in out[1]


def test_a_sentence_longer_than_the_model_takes_is_split_not_truncated(es_model: Path) -> None:
    engine = TransformersEngine(es_model, pool=ModelPool(1), max_input_tokens=24)
    sentence = ("The minister announced a new budget, the city council met on Monday, "
                "prices rose sharply this year, and the river flooded the old town.")
    sent: list[str] = []
    original = engine.translate

    def spy(texts: list[str], source: str, target: str) -> list:  # type: ignore[type-arg]
        sent.extend(texts)
        return original(texts, source, target)

    engine.translate = spy  # type: ignore[method-assign]
    result = translate_segments([sentence], "en", "es", engine)[0]
    assert len(sent) >= 3
    assert all(n <= 24 for n in engine.count_tokens(sent))
    assert re.sub(r"\s+", " ", " ".join(sent)) == sentence
    assert [f.code for f in result.flags] == ["split_long"]
    assert result.text.count(" ") >= len(sent) - 1
