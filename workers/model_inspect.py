"""What a model directory's own files say about it: languages, target tokens, licence, size.

Used when a model arrives without a catalogue entry or a manifest (a hub id the catalogue
does not list, a directory copied by hand), and by ``linguadesk models list`` for
directories that predate manifests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from workers import model_manifest
from workers.engines.langcodes import APERTIUM, FLORES
from workers.model_manifest import Manifest

# Three-letter codes (ISO 639-2/3, as opus-mt and FLORES write them) → the desk's codes.
_THREE = {
    **{code.split("_")[0]: iso for iso, code in FLORES.items()},
    **{code: iso for iso, code in APERTIUM.items()},
    "ara": "ar", "cmn": "zh", "fas": "fa", "zho": "zh",
}
_OPUS_NAME = re.compile(r"opus-mt-(?:tc-(?:big|base)-)?([a-z]{2,3})-([a-z]{2,3})$")
_TARGET_TOKEN = re.compile(r">>[A-Za-z_]+<<")


def language_code(raw: object) -> str | None:
    """``en``, ``eng`` or ``eng_Latn`` → ``en``; None for what is not one language."""
    if not isinstance(raw, str):
        return None
    code = raw.strip().split("_")[0].lower()
    if re.fullmatch(r"[a-z]{2}", code):
        return code
    return _THREE.get(code)


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def infer_pairs(model_dir: Path, label: str) -> tuple[tuple[str, str], ...]:
    """A Marian model's pair, from its tokenizer config or an opus-mt style name."""
    config = _json(model_dir / "tokenizer_config.json")
    source, target = language_code(config.get("source_lang")), \
        language_code(config.get("target_lang"))
    if source and target and source != target:
        return ((source, target),)
    found = _OPUS_NAME.search(label.rsplit("/", 1)[-1].removeprefix("demo-"))
    if found:
        source, target = language_code(found.group(1)), language_code(found.group(2))
        if source and target and source != target:
            return ((source, target),)
    return ()


def _special_tokens(model_dir: Path) -> set[str]:
    tokens: set[str] = set()
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        data = _json(model_dir / name)
        for token in data.get("additional_special_tokens") or []:
            tokens.add(token.get("content", "") if isinstance(token, dict) else str(token))
        for token in dict(data.get("added_tokens_decoder") or {}).values():
            if isinstance(token, dict):
                tokens.add(str(token.get("content", "")))
    return tokens


def infer_languages(model_dir: Path, family: str) -> tuple[str, ...]:
    """The desk's languages a multilingual (NLLB-200, M2M100) model has language tokens for."""
    tokens = _special_tokens(model_dir)
    if family == "nllb":
        found = [iso for iso, code in FLORES.items() if code in tokens]
    else:
        found = sorted({m.group(1) for t in tokens if (m := re.fullmatch(r"__([a-z]{2})__", t))})
    # Both families cover every language the desk names; an old tokenizer may not list them.
    return tuple(found) if found else tuple(FLORES)


def target_tokens(model_dir: Path) -> list[str]:
    """The ``>>xxx<<`` target-language tokens of a multi-target opus-mt model (none for most)."""
    vocab = _json(model_dir / "vocab.json")
    return sorted(t for t in vocab if _TARGET_TOKEN.fullmatch(t))


def readme_license(model_dir: Path) -> str | None:
    """The ``license:`` a model card's front matter declares, if it has one."""
    try:
        text = (model_dir / "README.md").read_text(encoding="utf-8")
    except OSError:
        return None
    front = re.match(r"---\s*\n(.*?)\n---", text, re.S)
    found = re.search(r"^license:\s*(\S.*)$", front.group(1), re.M) if front else None
    return found.group(1).strip().strip("'\"") if found else None


def size_on_disk(path: Path) -> int:
    """Bytes in every file under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def describe(model_dir: Path) -> Manifest:
    """What a directory without a manifest serves, as its files (and name) say."""
    from workers.engines.checkpoint import model_family

    try:
        family = model_family(model_dir)
    except (OSError, ValueError):
        family = "unknown"
    marian = family == "marian"
    return Manifest(name=model_dir.name,
                    pairs=infer_pairs(model_dir, model_dir.name) if marian else (),
                    languages=() if marian else infer_languages(model_dir, family),
                    demo=model_manifest.is_demo(model_dir), family=family,
                    license=readme_license(model_dir))
