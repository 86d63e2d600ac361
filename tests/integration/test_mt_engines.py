"""Every engine for real: the demo model through transformers and CTranslate2, and Apertium."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from workers.demo_corpus import EN_ES
from workers.engines.apertium import ApertiumEngine, installed_pairs
from workers.engines.ctranslate2_engine import CTranslate2Engine
from workers.engines.pool import ModelPool
from workers.engines.transformers_engine import TransformersEngine
from workflow.engine import ChainEngine, FallbackEngine, Hop, MTEngine, UnsupportedPair
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


# A magazine sentence of 66 words: about 200 of the demo model's tokens, which has 128.
LONG = ("The government said on Tuesday that inflation fell to 2.1 percent in October, the "
        "lowest level in three years, as energy prices eased and the central bank, which "
        "raised interest rates eleven times since 2022, signalled that it could begin cutting "
        "them early next year if wages and services prices keep cooling across the country, "
        "where 95,000 households still struggle to pay their bills every month.")


class Widths:
    """The sizes the real model was given and gave back, call by call."""

    def __init__(self) -> None:
        self.inputs: list[int] = []
        self.outputs: list[int] = []


def watch_transformers(engine: TransformersEngine, monkeypatch: pytest.MonkeyPatch) -> Widths:
    seen = Widths()
    model = engine._loaded()[1]
    real = model.generate

    def generate(*args: Any, **kwargs: Any) -> Any:
        seen.inputs.extend(int(n) for n in kwargs["attention_mask"].sum(dim=1))  # per row
        out = real(*args, **kwargs)
        seen.outputs.append(int(out.shape[1]))  # the decoder start token included
        return out

    monkeypatch.setattr(model, "generate", generate)
    return seen


class WatchedTranslator:
    """CTranslate2's translator, with each batch's source and output lengths kept."""

    def __init__(self, inner: Any, seen: Widths) -> None:
        self.inner, self.seen = inner, seen

    def translate_batch(self, tokens: list[list[str]], **kwargs: Any) -> Any:
        self.seen.inputs.extend(len(t) for t in tokens)
        results = self.inner.translate_batch(tokens, **kwargs)
        self.seen.outputs.extend(len(r.hypotheses[0]) for r in results)
        return results


def watch_ctranslate2(engine: CTranslate2Engine, monkeypatch: pytest.MonkeyPatch) -> Widths:
    seen = Widths()
    tokenizer, translator = engine._loaded()
    watched = (tokenizer, WatchedTranslator(translator, seen))
    monkeypatch.setattr(engine, "_loaded", lambda: watched)
    return seen


def test_the_demo_model_itself_cannot_take_the_long_sentence(es_model: Path) -> None:
    # What the issue saw: fed whole, the sentence overruns the position embeddings.
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(es_model))
    model = AutoModelForSeq2SeqLM.from_pretrained(str(es_model))
    assert len(tokenizer(LONG)["input_ids"]) > model.config.max_position_embeddings
    with pytest.raises(IndexError, match="index out of range in self"):
        model.generate(**tokenizer([LONG], return_tensors="pt"), max_new_tokens=4)


@pytest.mark.parametrize("kind", ["transformers", "ctranslate2"])
def test_a_sixty_word_sentence_reaches_the_model_within_its_positions_and_comes_back_whole(
        es_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    engine: TransformersEngine | CTranslate2Engine
    if kind == "transformers":
        engine = TransformersEngine(es_model, pool=ModelPool(1))
        seen = watch_transformers(engine, monkeypatch)
    else:
        engine = CTranslate2Engine(es_model, tmp_path, pool=ModelPool(1))
        seen = watch_ctranslate2(engine, monkeypatch)
    assert engine.count_tokens([LONG])[0] > engine.positions == 128

    direct = engine.translate([LONG, "Schools will reopen next week."], "en", "es")
    assert direct[1].text == "Las escuelas reabrirán la próxima semana."
    assert direct[0].text and "split_long" in [f.code for f in direct[0].flags]
    assert max(seen.inputs) <= 128 and max(seen.outputs) <= 128

    # The whole pipeline, with figures masked and put back, through the fallback chain.
    out = translate_segments([LONG], "en", "es", FallbackEngine([engine]))[0]
    for figure in ("2.1", "2022", "95,000"):
        assert figure in out.text
    assert max(seen.inputs) <= 128 and max(seen.outputs) <= 128


def test_an_output_that_would_run_past_the_decoder_stops_at_its_positions_and_is_flagged(
        es_model: Path) -> None:
    # A decoder forced to keep going (as a confused model would) stops at 127 new tokens.
    engine = TransformersEngine(es_model, pool=ModelPool(1),
                                generate_kwargs={"min_new_tokens": 400, "max_new_tokens": 400})
    result = engine.translate(["The minister announced a new budget."], "en", "es")[0]
    assert [f.code for f in result.flags] == ["output_limit"]
    assert "output limit of 127 tokens" in result.flags[0].message


@pytest.mark.parametrize("kind", ["transformers", "ctranslate2"])
def test_one_unbroken_run_longer_than_the_model_is_cut_where_its_tokens_end(
        es_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    engine: TransformersEngine | CTranslate2Engine
    if kind == "transformers":
        engine = TransformersEngine(es_model, pool=ModelPool(1))
        seen = watch_transformers(engine, monkeypatch)
    else:
        engine = CTranslate2Engine(es_model, tmp_path, pool=ModelPool(1))
        seen = watch_ctranslate2(engine, monkeypatch)
    run = "budget" * 80  # no space, no clause: only the tokenizer says where to cut
    assert engine.count_tokens([run])[0] > 128
    result = engine.translate([run], "en", "es")[0]
    assert len(seen.inputs) >= 2 and max(seen.inputs) <= 128
    assert "split_long" in [f.code for f in result.flags]


@pytest.mark.skipif("spa-eng" not in installed_pairs(), reason="apertium-eng-spa missing")
def test_each_hop_of_a_chain_stays_within_its_own_model(
        demo_models: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Apertium's long English output becomes the demo en→fr model's input.
    french = TransformersEngine(demo_models / "demo-opus-mt-en-fr", pool=ModelPool(1))
    seen = watch_transformers(french, monkeypatch)
    chain = ChainEngine([Hop(ApertiumEngine(), "es", "en"), Hop(french, "en", "fr")])
    spanish = ("El gobierno dijo el martes que la inflación cayó al 2,1 por ciento en octubre, "
               "el nivel más bajo en tres años, mientras los precios de la energía bajaban y el "
               "banco central, que subió los tipos once veces desde 2022, indicó que podría "
               "empezar a recortarlos a principios del año próximo si los salarios y los "
               "precios de los servicios siguen enfriándose en todo el país.")
    out = translate_segments([spanish], "es", "fr", chain)[0]
    assert out.text and out.engine == "pivot:apertium+transformers"
    assert max(seen.inputs) <= 128 and max(seen.outputs) <= 128


@pytest.mark.parametrize("beams", [1, 4])
def test_transformers_confidence_is_what_transformers_own_scores_say_without_keeping_them(
        es_model: Path, beams: int) -> None:
    """The cheap path (no ``output_scores``) gives each sentence the confidence the full
    per-step scores give: exp of the mean log-probability of its tokens, end token included."""
    import math

    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    texts = ["The minister announced a new budget.",
             "Purple elephants negotiate quantum bananas.", "Hello",
             "City council approves a budget nobody had ever seen before in the region"]
    engine = TransformersEngine(es_model, pool=ModelPool(1), num_beams=beams, device="cpu")
    got = [r.confidence for r in engine.translate(texts, "en", "es")]

    tok = AutoTokenizer.from_pretrained(str(es_model))
    model = AutoModelForSeq2SeqLM.from_pretrained(str(es_model)).eval()
    expected = []
    for text in texts:  # one at a time: no padding, so no doubt about what counts
        with torch.inference_mode():
            out = model.generate(**tok([text], return_tensors="pt"), num_beams=beams,
                                 max_new_tokens=256, return_dict_in_generate=True,
                                 output_scores=True, length_penalty=1.0)
        if beams > 1:
            mean = float(out.sequences_scores[0])
        else:
            steps = model.compute_transition_scores(out.sequences, out.scores,
                                                    normalize_logits=True)[0]
            mean = float(steps.mean())
        expected.append(math.exp(mean))
    assert all(c is not None for c in got)
    assert got == pytest.approx(expected, abs=1e-4)
    assert min(got) < 0.9 < max(got)  # the nonsense sentence is the doubtful one


@pytest.mark.parametrize("model", ["demo-opus-mt-en-es", "demo-opus-mt-en-ar"])
def test_token_counts_are_what_the_model_receives(demo_models: Path, model: str) -> None:
    # Marian's tokenizer is a slow (Python) one: the count skips turning tokens into ids,
    # and must still be the length of the ids the model is given, end token included.
    engine = TransformersEngine(demo_models / model, pool=ModelPool(1))
    texts = [*SOURCES, LONG, mask(ARTICLE[2]).text, "", " ", "budget" * 80, "<unk> </s>",
             "東京で会議が開かれた。", "café naïve — «quoted» 😀", ">>fra<< Hello"]
    tokenizer = engine._tokenizer()
    assert not tokenizer.is_fast
    given = [len(ids) for ids in tokenizer([engine._prefix() + t for t in texts])["input_ids"]]
    assert engine.count_tokens(texts) == given
    assert engine.count_tokens([""]) == [1]
