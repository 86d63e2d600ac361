"""What a model directory says about itself: ``linguadesk-model.json`` beside its weights.

One file for every model the desk runs: the demo models the desk trains (``demo: true``,
so routing ranks them after every real engine) and the models ``linguadesk models pull``
or ``import`` install (hub id, revision, licence, size on disk, pairs served). A directory
without the file is treated as a real model whose pairs come from its name.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

FILENAME = "linguadesk-model.json"


@dataclass(frozen=True)
class Manifest:
    """One model directory's description of itself."""

    name: str
    pairs: tuple[tuple[str, str], ...] = ()  # what a bilingual model (opus-mt) serves
    languages: tuple[str, ...] = ()  # a multilingual model serves any pair among these
    demo: bool = False
    family: str = "marian"  # marian, nllb or m2m100
    hub_id: str | None = None
    revision: str | None = None
    license: str | None = None
    size_bytes: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        """The manifest as the JSON kept in the model directory."""
        data = asdict(self)
        data["pairs"] = [list(p) for p in self.pairs]
        data["languages"] = list(self.languages)
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(model_dir: Path, manifest: Manifest) -> Path:
    """Save ``manifest`` into ``model_dir``; returns the file's path."""
    path = model_dir / FILENAME
    path.write_text(manifest.to_json(), encoding="utf-8")
    return path


def read(model_dir: Path) -> Manifest | None:
    """The directory's manifest, or None when it has none (or an unreadable one)."""
    path = model_dir / FILENAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    pairs = tuple((str(p[0]), str(p[1])) for p in data.get("pairs") or ()
                  if isinstance(p, list | tuple) and len(p) == 2)
    return Manifest(
        name=data["name"], pairs=pairs,
        languages=tuple(str(code) for code in data.get("languages") or ()),
        demo=bool(data.get("demo", False)),
        family=str(data.get("family") or "marian"), hub_id=data.get("hub_id"),
        revision=data.get("revision"), license=data.get("license"),
        size_bytes=int(data.get("size_bytes") or 0),
        extra={str(k): str(v) for k, v in dict(data.get("extra") or {}).items()},
    )


def serves(manifest: Manifest, source: str, target: str) -> bool:
    """Whether the described model translates ``source``→``target``."""
    if (source, target) in manifest.pairs:
        return True
    return source != target and {source, target} <= set(manifest.languages)


def is_demo(model_dir: Path) -> bool:
    """Whether the directory holds one of the desk's own tiny demo models."""
    manifest = read(model_dir)
    return manifest.demo if manifest else model_dir.name.startswith("demo-")
