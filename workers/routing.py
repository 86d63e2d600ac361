"""Which engine serves which language pair on this worker; engines load once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from workers.engines.marian import MarianEngine
from workers.settings import Settings, load
from workflow.engine import MTEngine, UnsupportedPair


def model_dir_for(models_dir: Path, source: str, target: str) -> Path | None:
    """The local MarianMT directory for the pair, if one is installed."""
    for name in (f"opus-mt-{source}-{target}", f"demo-opus-mt-{source}-{target}"):
        candidate = models_dir / name
        if (candidate / "config.json").exists():
            return candidate
    return None


@cache
def _engine(model_dir: Path, batch_tokens: int, max_new_tokens: int, num_beams: int) -> MTEngine:
    return MarianEngine(model_dir, batch_tokens=batch_tokens, max_new_tokens=max_new_tokens,
                        num_beams=num_beams)


def engine_for(source: str, target: str, settings: Settings | None = None) -> MTEngine:
    """The engine for ``source``→``target``, or UnsupportedPair saying what is missing."""
    settings = settings or load()
    model_dir = model_dir_for(settings.models_dir, source, target)
    if model_dir is None:
        raise UnsupportedPair(
            f"No machine translation model for {source}→{target} is installed in "
            f"{settings.models_dir} (looked for opus-mt-{source}-{target})."
        )
    return _engine(model_dir, settings.batch_tokens, settings.max_new_tokens, settings.num_beams)
