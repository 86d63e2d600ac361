"""The catalogue of default models, what a pull fetches, and what a model's files say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workers import model_catalogue
from workers.model_hub import HubError, files_to_fetch
from workers.model_inspect import infer_languages, infer_pairs, readme_license, target_tokens

NEWSROOM = ("zh", "ar", "ru", "fr", "es", "de", "pt", "it")


@pytest.mark.parametrize("language", NEWSROOM)
def test_every_newsroom_language_has_an_opus_mt_model_from_and_to_english(language: str) -> None:
    for source, target in (("en", language), (language, "en")):
        entry = model_catalogue.for_pair(source, target)
        assert entry is not None and entry.hub_id.startswith("Helsinki-NLP/opus-mt-")
        assert (source, target) in entry.pairs


def test_a_pair_without_opus_mt_falls_back_to_nllb_and_an_unknown_language_to_none() -> None:
    assert model_catalogue.for_pair("zh", "ar") is model_catalogue.NLLB
    assert model_catalogue.NLLB.hub_id == "facebook/nllb-200-distilled-600M"
    assert model_catalogue.for_pair("en", "tlh") is None
    assert model_catalogue.for_pair("en", "en") is None


def test_multi_target_models_carry_the_token_that_picks_their_output_language() -> None:
    assert model_catalogue.for_pair("en", "zh").target_token == ">>cmn_Hans<<"  # type: ignore[union-attr]
    assert model_catalogue.for_pair("en", "pt").target_token == ">>por<<"  # type: ignore[union-attr]
    assert model_catalogue.for_pair("en", "fr").target_token is None  # type: ignore[union-attr]


def test_a_spec_resolves_as_a_pair_an_alias_or_a_hub_id() -> None:
    assert model_catalogue.resolve("en-ZH").hub_id == "Helsinki-NLP/opus-mt-en-zh"  # type: ignore[union-attr]
    assert model_catalogue.resolve("nllb") is model_catalogue.NLLB
    listed = model_catalogue.resolve("Helsinki-NLP/opus-mt-de-en")
    assert listed is not None and listed.pairs == (("de", "en"),)
    unlisted = model_catalogue.resolve("someone/opus-mt-en-eo")
    assert unlisted is not None and unlisted.family == "" and unlisted.name == "opus-mt-en-eo"
    assert model_catalogue.resolve("english") is None


def test_a_pull_fetches_config_tokenizer_and_one_copy_of_the_weights() -> None:
    repo = ["config.json", "pytorch_model.bin", "model.safetensors", "tf_model.h5",
            "rust_model.ot", "source.spm", "target.spm", "vocab.json", "tokenizer_config.json",
            "README.md", "onnx/encoder_model.onnx", "benchmark_translations.zip"]
    assert files_to_fetch(repo) == ["README.md", "config.json", "model.safetensors",
                                    "source.spm", "target.spm", "tokenizer_config.json",
                                    "vocab.json"]
    assert "pytorch_model.bin" in files_to_fetch(["config.json", "pytorch_model.bin"])
    with pytest.raises(HubError, match="no PyTorch weights"):
        files_to_fetch(["config.json", "tf_model.h5"])


def test_a_marian_model_says_its_pair_in_its_tokenizer_config_or_its_name(tmp_path: Path) -> None:
    (tmp_path / "tokenizer_config.json").write_text(
        json.dumps({"source_lang": "eng", "target_lang": "zho"}), encoding="utf-8")
    assert infer_pairs(tmp_path, "anything") == (("en", "zh"),)
    bare = tmp_path / "bare"
    bare.mkdir()
    assert infer_pairs(bare, "Helsinki-NLP/opus-mt-tc-big-en-fr") == (("en", "fr"),)
    assert infer_pairs(bare, "Helsinki-NLP/opus-mt-ROMANCE-en") == ()


def test_multilingual_languages_and_target_tokens_come_from_the_tokenizer(tmp_path: Path) -> None:
    (tmp_path / "special_tokens_map.json").write_text(
        json.dumps({"additional_special_tokens": ["eng_Latn", "zho_Hans", "kin_Latn"]}),
        encoding="utf-8")
    assert infer_languages(tmp_path, "nllb") == ("en", "zh")
    (tmp_path / "vocab.json").write_text(
        json.dumps({">>por<<": 0, ">>pob<<": 1, "▁the": 2}), encoding="utf-8")
    assert target_tokens(tmp_path) == [">>pob<<", ">>por<<"]


def test_the_licence_is_read_from_the_model_cards_front_matter(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("---\nlanguage: en\nlicense: cc-by-4.0\n---\n# Model\n",
                                        encoding="utf-8")
    assert readme_license(tmp_path) == "cc-by-4.0"
    (tmp_path / "README.md").write_text("# No front matter\nlicense: mit\n", encoding="utf-8")
    assert readme_license(tmp_path) is None
