"""NLLB-200 and M2M100 through the transformers engine: language tokens in and out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.multilingual_models import build_m2m100, build_nllb
from workers.engines.checkpoint import model_family
from workers.engines.ctranslate2_engine import CTranslate2Engine
from workers.engines.transformers_engine import TransformersEngine
from workflow.engine import UnsupportedPair

# family, builder, how the family spells English and Spanish
FAMILIES = [
    ("m2m100", build_m2m100, "__en__", "__es__", "__fr__"),
    ("nllb", build_nllb, "eng_Latn", "spa_Latn", "fra_Latn"),
]


def recording(engine: TransformersEngine,
              monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[tuple[list[int], list[int]]]]:
    """The engine's real model, with each generate call's first input and output tokens kept."""
    tokenizer, model, _ = engine._loaded()
    calls: list[tuple[list[int], list[int]]] = []
    real: Callable[..., Any] = model.generate

    def generate(*args: Any, **kwargs: Any) -> Any:
        out = real(*args, **kwargs)
        # Output position 0 is the decoder start; position 1 is the first generated token.
        calls.append((kwargs["input_ids"][:, 0].tolist(), out[:, 1].tolist()))
        return out

    monkeypatch.setattr(model, "generate", generate)
    return tokenizer, calls


@pytest.mark.parametrize("family, build, en, es, fr", FAMILIES, ids=[f[0] for f in FAMILIES])
def test_the_target_language_is_forced_as_the_first_token_and_the_source_is_tagged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, family: str,
        build: Callable[[Path], Path], en: str, es: str, fr: str) -> None:
    model_dir = build(tmp_path / f"tiny-{family}")
    assert model_family(model_dir) == family
    engine = TransformersEngine(model_dir, max_new_tokens=4)
    tokenizer, calls = recording(engine, monkeypatch)
    texts = ["The team won the final.", "Rain is expected tomorrow."]

    results = engine.translate(texts, "en", "es")
    engine.translate(texts, "en", "fr")

    ids = tokenizer.convert_tokens_to_ids
    assert calls[0] == ([ids(en)] * 2, [ids(es)] * 2)
    assert calls[1] == ([ids(en)] * 2, [ids(fr)] * 2)
    assert [(r.engine, r.model) for r in results] == [("transformers", f"tiny-{family}")] * 2


@pytest.mark.parametrize("family, build", [(f[0], f[1]) for f in FAMILIES],
                         ids=[f[0] for f in FAMILIES])
def test_a_language_the_model_lacks_is_an_unsupported_pair(
        tmp_path: Path, family: str, build: Callable[[Path], Path]) -> None:
    engine = TransformersEngine(build(tmp_path / f"tiny-{family}"), max_new_tokens=4)
    with pytest.raises(UnsupportedPair, match="no language token for xx"):
        engine.translate(["The team won the final."], "en", "xx")


def test_ctranslate2_also_calls_a_language_the_model_lacks_an_unsupported_pair(
        tmp_path: Path) -> None:
    # NLLB only: the tiny M2M100's padded vocabulary does not convert to CTranslate2.
    engine = CTranslate2Engine(build_nllb(tmp_path / "tiny-nllb"), tmp_path / "ct2",
                               device="cpu", max_decoding_length=4)
    assert len(engine.translate(["The team won the final."], "en", "es")) == 1
    with pytest.raises(UnsupportedPair, match="no language token for xx"):
        engine.translate(["The team won the final."], "en", "xx")
