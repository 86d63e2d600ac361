"""The small interface through which the domain asks for machine translation."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar, runtime_checkable

T = TypeVar("T")


class EngineError(Exception):
    """Base of every machine-translation failure."""

    transient = False


class EngineUnavailable(EngineError):
    """The engine cannot serve right now (out of memory, a backend down); try again later."""

    transient = True


class ModelNotFound(EngineError):
    """The configured model is not where it should be."""


class UnsupportedPair(EngineError):
    """No engine can translate this language pair."""


class SegmentTooLong(EngineError):
    """A segment is longer than the engine can take, even after splitting."""


class EngineFailed(EngineError):
    """The engine ran but produced something unusable (a crash, a wrong number of outputs)."""


@dataclass(frozen=True)
class Flag:
    """Something about a machine translation the reviewer should check."""

    code: str
    message: str


@dataclass(frozen=True)
class MTResult:
    """One machine-translated segment with where it came from and what to check."""

    text: str
    engine: str
    model: str
    seconds: float = 0.0
    flags: tuple[Flag, ...] = field(default=())


class MTEngine(Protocol):
    """Anything that translates a batch of texts from one language to another."""

    name: str

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """Translate every text in ``texts``; the results come back in the same order."""
        ...


@runtime_checkable
class Measured(Protocol):
    """An engine that knows its input limit and can count tokens the way its model does."""

    model_id: str
    max_input_tokens: int

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """How many model tokens each text takes."""
        ...


EngineFor = Callable[[str, str], MTEngine]
"""Given ``(source, target)``, the engine that serves the pair, or raise UnsupportedPair."""


def model_id_of(engine: MTEngine) -> str:
    """The model an engine runs (for cache keys and provenance)."""
    return str(getattr(engine, "model_id", "") or engine.name)


class FallbackEngine:
    """Engines tried in order: the first that can serve the pair translates it."""

    name = "fallback"

    def __init__(self, engines: Sequence[MTEngine]) -> None:
        if not engines:
            raise UnsupportedPair("No engine is configured for this language pair.")
        self.engines = list(engines)

    @property
    def model_id(self) -> str:
        """The model of the first engine, which serves when it can."""
        return model_id_of(self.engines[0])

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """Translate with the first engine that does not refuse."""
        return first_that_serves(self.engines, lambda e: e.translate(texts, source, target),
                                 source, target)


def first_that_serves(engines: Sequence[MTEngine], attempt: Callable[[MTEngine], T],
                         source: str, target: str) -> T:
    """``attempt`` each engine in order; if none serves, say why each one could not."""
    reasons: list[str] = []
    transient = False
    for engine in engines:
        try:
            return attempt(engine)
        except (EngineUnavailable, ModelNotFound, UnsupportedPair, SegmentTooLong,
                EngineFailed) as exc:
            reasons.append(f"{engine.name} {model_id_of(engine)}: {exc}")
            transient = transient or exc.transient
    why = "; ".join(reasons) or "no engine is configured"
    message = f"No engine could translate {source}→{target} ({why})."
    if transient:
        raise EngineUnavailable(message)
    raise UnsupportedPair(message)


class PivotEngine:
    """Translates through a bridge language (English) when no direct model exists."""

    name = "pivot"

    def __init__(self, first: MTEngine, second: MTEngine, via: str = "en") -> None:
        self.first, self.second, self.via = first, second, via
        self.model_id = f"{model_id_of(first)}+{model_id_of(second)}"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """Source→bridge with the first engine, then bridge→target with the second."""
        started = time.perf_counter()
        middle = self.first.translate(texts, source, self.via)
        final = self.second.translate([m.text for m in middle], self.via, target)
        each = (time.perf_counter() - started) / max(len(texts), 1)
        name = f"pivot:{self.first.name}+{self.second.name}"
        return [replace(r, engine=name, model=self.model_id, seconds=each,
                        flags=(*m.flags, *r.flags)) for m, r in zip(middle, final, strict=True)]
