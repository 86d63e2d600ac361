"""A model directory describes itself in one JSON file that routing and the CLI read."""

from __future__ import annotations

from pathlib import Path

from workers import model_manifest
from workers.model_manifest import Manifest


def test_a_manifest_written_into_a_directory_reads_back_the_same(tmp_path: Path) -> None:
    written = Manifest(name="opus-mt-en-zh", pairs=(("en", "zh"),),
                       hub_id="Helsinki-NLP/opus-mt-en-zh", revision="abc123",
                       license="cc-by-4.0", size_bytes=1234)
    model_manifest.write(tmp_path, written)
    assert model_manifest.read(tmp_path) == written
    assert not model_manifest.is_demo(tmp_path)


def test_a_directory_without_a_manifest_is_a_demo_only_by_its_name(tmp_path: Path) -> None:
    real, demo = tmp_path / "opus-mt-en-es", tmp_path / "demo-opus-mt-en-es"
    real.mkdir()
    demo.mkdir()
    assert model_manifest.read(real) is None
    assert not model_manifest.is_demo(real)
    assert model_manifest.is_demo(demo)


def test_an_unreadable_manifest_counts_as_none(tmp_path: Path) -> None:
    (tmp_path / model_manifest.FILENAME).write_text("{not json", encoding="utf-8")
    assert model_manifest.read(tmp_path) is None


def test_a_multilingual_model_serves_any_pair_among_its_languages() -> None:
    nllb = Manifest(name="nllb-200-distilled-600M", family="nllb", languages=("en", "zh", "ar"))
    marian = Manifest(name="opus-mt-en-es", pairs=(("en", "es"),))
    assert model_manifest.serves(nllb, "zh", "ar") and model_manifest.serves(nllb, "en", "zh")
    assert not model_manifest.serves(nllb, "en", "de")
    assert not model_manifest.serves(nllb, "en", "en")
    assert model_manifest.serves(marian, "en", "es")
    assert not model_manifest.serves(marian, "es", "en")
