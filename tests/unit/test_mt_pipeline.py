"""The MT pipeline: sentences, masks, cache, fallback and flags, with fake engines."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from workflow.engine import (
    ChainEngine,
    EngineFailed,
    EngineUnavailable,
    FallbackEngine,
    Hop,
    MTResult,
    UnsupportedPair,
)
from workflow.mt_pipeline import CachedOutput, translate_segments


class Upper:
    """Uppercases, and records every batch it is given."""

    name = "upper"
    model_id = "upper-1"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        self.calls.append(list(texts))
        return [MTResult(t.upper(), self.name, self.model_id) for t in texts]


class Dropper(Upper):
    """Loses every mask token, as a careless model would."""

    name = "dropper"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        import re

        self.calls.append(list(texts))
        return [MTResult(re.sub(r"⟦\d+⟧", "", t).upper(), self.name, "d") for t in texts]


class Refuses:
    name = "refuses"
    model_id = "none"

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        raise self.exc


class Cache:
    def __init__(self) -> None:
        self.data: dict[tuple[str, str, str, str, str], CachedOutput] = {}

    def get_many(self, engine: str, model: str, source: str, target: str,
                 texts: Sequence[str]) -> dict[str, CachedOutput]:
        return {t: self.data[(engine, model, source, target, t)] for t in texts
                if (engine, model, source, target, t) in self.data}

    def put_many(self, engine: str, model: str, source: str, target: str,
                 outputs: dict[str, CachedOutput]) -> None:
        for t, o in outputs.items():
            self.data[(engine, model, source, target, t)] = o


def test_a_whole_article_goes_to_the_engine_in_one_batch_of_masked_sentences() -> None:
    engine = Upper()
    out = translate_segments(["Title 1", "One cost 3,200 euros.  Two is <g1>here</g1>."],
                             "en", "es", engine)
    assert engine.calls == [["Title ⟦1⟧", "One cost ⟦1⟧ euros.", "Two is ⟦1⟧here⟦2⟧."]]
    assert [r.text for r in out] == ["TITLE 1", "ONE COST 3,200 EUROS.  TWO IS <g1>HERE</g1>."]
    assert all(r.flags == () for r in out)
    assert out[0].engine == "upper" and out[0].model == "upper-1"


def test_a_sentence_of_only_numbers_and_urls_is_not_sent_to_the_engine() -> None:
    engine = Upper()
    out = translate_segments(["3,200 — https://example.org/x."], "en", "es", engine)
    assert engine.calls == []
    assert out[0].text == "3,200 — https://example.org/x."


def test_a_lost_mask_is_kept_by_translating_around_it_and_flagged() -> None:
    out = translate_segments(["It cost 3,200 euros, see https://e.org/p."], "en", "es", Dropper())
    assert "3,200" in out[0].text and "https://e.org/p" in out[0].text
    assert out[0].text == "IT COST 3,200 EUROS, SEE https://e.org/p."
    assert [f.code for f in out[0].flags] == ["mask_lost"]
    assert "3,200" in out[0].flags[0].message


def test_a_cache_hit_never_calls_the_engine() -> None:
    cache, engine = Cache(), Upper()
    first = translate_segments(["Prices rose 5 percent."], "en", "es", engine, cache=cache)
    again = Upper()
    second = translate_segments(["Prices rose 7 percent."], "en", "es", again, cache=cache)
    assert len(engine.calls) == 1 and again.calls == []
    assert first[0].text == "PRICES ROSE 5 PERCENT." and second[0].text == "PRICES ROSE 7 PERCENT."


def test_the_cache_is_kept_apart_per_language_pair() -> None:
    cache = Cache()
    translate_segments(["Hello there."], "en", "es", Upper(), cache=cache)
    other = Upper()
    translate_segments(["Hello there."], "en", "fr", other, cache=cache)
    assert other.calls == [["Hello there."]]


def test_fallback_uses_the_next_engine_when_the_first_cannot_serve() -> None:
    second = Upper()
    route = FallbackEngine([Refuses(EngineUnavailable("out of memory")), second])
    out = translate_segments(["Hello."], "en", "es", route)
    assert out[0].text == "HELLO." and out[0].engine == "upper"


def test_when_no_engine_serves_the_reason_says_why_for_each() -> None:
    route = FallbackEngine([Refuses(UnsupportedPair("no model opus-mt-de-es")),
                            Refuses(UnsupportedPair("no Apertium pair deu-spa"))])
    with pytest.raises(UnsupportedPair, match=r"no model opus-mt-de-es.*no Apertium pair"):
        translate_segments(["Hallo."], "de", "es", route)


def test_a_transient_failure_of_every_engine_is_retried_later() -> None:
    route = FallbackEngine([Refuses(EngineUnavailable("busy"))])
    with pytest.raises(EngineUnavailable):
        translate_segments(["Hallo."], "de", "es", route)


def test_an_output_much_shorter_than_its_source_is_flagged() -> None:
    class Short(Upper):
        def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
            return [MTResult("Sí.", "short", "s") for _ in texts]

    out = translate_segments(["The council met on Monday to debate the budget."], "en", "es",
                             Short())
    assert [f.code for f in out[0].flags] == ["short_output"]


class Tag(Upper):
    """Appends the target language, and names the pair it translated in its model."""

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        return [MTResult(f"{t}>{target}", "tag", f"tag-{source}-{target}") for t in texts]


def test_a_chain_translates_hop_by_hop_and_says_so_in_provenance_and_flags() -> None:
    chain = ChainEngine([Hop(Tag(), "en", "es"), Hop(Tag(), "es", "pt")])
    out = translate_segments(["Rain is expected."], "en", "pt", chain)[0]
    assert out.text == "Rain is expected.>es>pt"
    assert out.engine == "pivot:tag+tag"
    assert out.model == "tag-en-es → tag-es-pt"
    assert [f.code for f in out.flags] == ["pivot"]
    assert "through Spanish (en→es→pt)" in out.flags[0].message


def test_an_engine_that_raises_anything_fails_in_plain_words_naming_the_sentence() -> None:
    class Crashes(Upper):
        def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
            raise IndexError("index out of range in self")

    with pytest.raises(EngineFailed) as caught:
        translate_segments(["The council met on Monday."], "en", "es", Crashes())
    assert str(caught.value) == ("upper upper-1 failed on “The council met on Monday.”: "
                                 "IndexError: index out of range in self.")


def test_an_engine_out_of_memory_is_worth_another_try() -> None:
    class Full(Upper):
        def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")

    with pytest.raises(EngineUnavailable, match="out of memory"):
        translate_segments(["The council met on Monday."], "en", "es", Full())


def test_when_the_first_engine_crashes_the_next_one_translates() -> None:
    class Crashes(Upper):
        def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
            raise ValueError("tokenizer refused the input")

    out = translate_segments(["hola"], "es", "en", FallbackEngine([Crashes(), Upper()]))
    assert out[0].text == "HOLA"


def test_a_sentence_too_long_for_the_model_is_split_and_flagged() -> None:
    class Measured(Upper):
        max_input_tokens = 6

        def count_tokens(self, texts: Sequence[str]) -> list[int]:
            return [len(t.split()) + 1 for t in texts]

    engine = Measured()
    text = "The council met on Monday, and the mayor spoke about the new budget for schools."
    out = translate_segments([text], "en", "es", engine)
    assert out[0].text == text.upper()
    assert all(len(t.split()) + 1 <= 6 for t in engine.calls[0])
    assert [f.code for f in out[0].flags] == ["split_long"]


def _word(i: int) -> str:
    return chr(97 + i % 26) + chr(97 + i // 26) + "x"  # no digits: numbers are masked


def test_a_watched_article_is_translated_in_batches_and_its_progress_told_after_each() -> None:
    engine = Upper()
    told: list[tuple[int, int]] = []
    texts = [f"The word {_word(i)} is here{'!' * (i % 7)}." for i in range(150)]
    out = translate_segments(texts, "en", "es", engine, progress=lambda d, t: told.append((d, t)))
    assert [r.text for r in out] == [t.upper() for t in texts]
    assert [len(batch) for batch in engine.calls] == [64, 64, 22]
    assert told == [(0, 150), (64, 150), (128, 150), (150, 150)]
    # Cut from the length-sorted sentences: no batch pads short sentences to long ones.
    sizes = [len(s) for batch in engine.calls for s in batch]
    assert sizes == sorted(sizes)


def test_an_unwatched_article_goes_to_the_engine_in_one_call() -> None:
    engine = Upper()
    translate_segments([f"The word {_word(i)} is here." for i in range(40)], "en", "es", engine)
    assert [len(batch) for batch in engine.calls] == [40]
