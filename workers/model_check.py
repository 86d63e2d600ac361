"""Proving a model works before it is installed, and finding its CTranslate2 copies.

The check translates one sentence with the desk's own engines, first transformers, then
CTranslate2. The second one converts the checkpoint to int8 (int8_float16 on a GPU) into
``LINGUADESK_CT2_CACHE`` under the name the workers look for, so no worker converts again.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from workers.engines.ctranslate2_engine import CTranslate2Engine, converted_path, resolve_device
from workers.engines.pool import ModelPool
from workers.engines.transformers_engine import TransformersEngine
from workers.model_catalogue import CHECK_SENTENCES
from workers.model_manifest import Manifest
from workflow.engine import MTEngine
from workflow.settings import Settings


class CheckFailed(Exception):
    """The model did not load or did not translate; the message says which and why."""


def check_pair(manifest: Manifest) -> tuple[str, str]:
    """The pair the check translates: the model's first pair, or English→Spanish-ish."""
    if manifest.pairs:
        return manifest.pairs[0]
    languages = list(manifest.languages)
    source = "en" if "en" in languages else languages[0]
    others = [code for code in languages if code != source]
    return source, ("es" if "es" in others else others[0])


def check(model_dir: Path, manifest: Manifest, settings: Settings) -> list[str]:
    """Translate one sentence with each engine; lines saying what came out, or CheckFailed."""
    source, target = check_pair(manifest)
    sentence = CHECK_SENTENCES.get(source, CHECK_SENTENCES["en"])
    pool = ModelPool(1)  # the check's own: nothing stays loaded in this process after it
    engines: list[MTEngine] = [
        TransformersEngine(model_dir, device=settings.device, pool=pool, max_new_tokens=64),
        CTranslate2Engine(model_dir, settings.ct2_cache_dir, device=settings.device, pool=pool,
                          max_decoding_length=64, threads=settings.torch_threads),
    ]
    lines = []
    try:
        for engine in engines:
            try:
                text = engine.translate([sentence], source, target)[0].text
            except Exception as exc:  # whatever breaks, the model is not installed
                reason = (str(exc) or type(exc).__name__).strip().splitlines()[0]
                raise CheckFailed(f"{manifest.name} does not work with the {engine.name} "
                                  f"engine: {reason}") from exc
            if not text.strip():
                raise CheckFailed(f"{manifest.name} translated the check sentence to nothing "
                                  f"with the {engine.name} engine.")
            lines.append(f"checked {source}→{target} with {engine.name}: {sentence} → {text}")
    finally:
        pool.clear()
    return lines


def converted(model_dir: Path, settings: Settings) -> Path | None:
    """The CTranslate2 copy the workers of this machine would use, if it is there."""
    _, compute = resolve_device(settings.device, "auto")
    path = converted_path(model_dir, settings.ct2_cache_dir, compute)
    return path if (path / "model.bin").exists() else None


def ct2_copies(name: str, cache_dir: Path) -> list[Path]:
    """Every CTranslate2 copy of the model called ``name``, whatever its type or version."""
    if not cache_dir.is_dir():
        return []
    pattern = re.compile(rf"{re.escape(name)}-ct2-[A-Za-z0-9_]+-[0-9a-f]{{12}}")
    return sorted(p for p in cache_dir.iterdir() if pattern.fullmatch(p.name))


def discard(staged: Path, settings: Settings) -> None:
    """Remove a model that failed on its way in, with any CTranslate2 copy made of it."""
    for path in ct2_copies(staged.name, settings.ct2_cache_dir):
        shutil.rmtree(path, ignore_errors=True)
    shutil.rmtree(staged, ignore_errors=True)
