"""The small interface through which the domain asks for machine translation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol


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


@dataclass(frozen=True)
class MTResult:
    """One machine-translated segment with where it came from."""

    text: str
    engine: str
    model: str
    seconds: float = 0.0


class MTEngine(Protocol):
    """Anything that translates a batch of texts from one language to another."""

    name: str

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """Translate every text in ``texts``; the results come back in the same order."""
        ...


EngineFor = Callable[[str, str], MTEngine]
"""Given ``(source, target)``, the engine that serves the pair, or raise UnsupportedPair."""
