"""The small interface through which the domain asks for machine translation."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol, TypeVar, runtime_checkable

from workflow.confidence import least_confident
from workflow.errors import N_, Said, Worded

T = TypeVar("T")


class EngineError(Exception, Worded):
    """Base of every machine-translation failure: its message an ``N_``-marked English
    template and its ``values`` (one built from text no catalogue has is shown as it is)."""

    transient = False

    def __init__(self, message: str, /, *, values: Mapping[str, object] | None = None) -> None:
        self.template = message
        self.values = dict(values or {})
        super().__init__(self.message)


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
class Flag(Worded):
    """Something about a machine translation the reviewer should check: an ``N_``-marked
    English ``template`` and its ``values`` (plain text and numbers, kept with the segment so
    the desk shows the note in each reader's language)."""

    code: str
    template: str
    values: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class MTResult:
    """One machine-translated segment with where it came from and what to check."""

    text: str
    engine: str
    model: str
    seconds: float = 0.0
    flags: tuple[Flag, ...] = field(default=())
    # 0–1: exp of the model's mean log-probability per token; None when the engine has no
    # scores (Apertium, the translation memory, people).
    confidence: float | None = None


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


def engine_error(engine: MTEngine, exc: BaseException, texts: Sequence[str] = ()) -> EngineError:
    """``exc`` from ``engine`` as an EngineError in plain words: what failed, on which text.

    Out of memory is transient (another try, or another worker, may have room); anything
    else an engine raises (an IndexError from a model, a ValueError from a tokenizer) will
    happen again on the same input, so it is permanent.
    """
    if isinstance(exc, EngineError):
        return exc
    named = f"{engine.name} {model_id_of(engine)}"
    what = Said(N_("%(engine)s failed"), values={"engine": named})
    if len(texts) == 1:
        what = Said(N_("%(engine)s failed on “%(text)s”"),
                    values={"engine": named, "text": _snippet(texts[0])})
    elif texts:
        what = Said(N_("%(engine)s failed on a batch of %(count)s sentences"),
                    values={"engine": named, "count": len(texts)})
    reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, MemoryError) or "out of memory" in str(exc).lower():
        return EngineUnavailable(N_("%(what)s: out of memory (%(error)s)."),
                                 values={"what": what, "error": reason})
    return EngineFailed(N_("%(what)s: %(error)s."), values={"what": what, "error": reason})


def _snippet(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "\u2026"


def call(engine: MTEngine, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
    """``engine.translate``, with whatever it raises turned into an EngineError in plain words."""
    try:
        results = engine.translate(texts, source, target)
    except Exception as exc:  # an engine is foreign code: any exception is its failure
        raise engine_error(engine, exc, texts) from exc
    if len(results) != len(texts):
        raise EngineFailed(N_("%(engine)s returned %(count)s translations for %(sentences)s "
                              "sentences."), values={"engine": f"{engine.name} "
                                                               f"{model_id_of(engine)}",
                                                     "count": len(results),
                                                     "sentences": len(texts)})
    return results


class FallbackEngine:
    """Engines tried in order: the first that can serve the pair translates it."""

    name = "fallback"

    def __init__(self, engines: Sequence[MTEngine], routed: str | None = None) -> None:
        if not engines:
            raise UnsupportedPair(N_("No engine is configured for this language pair."))
        self.engines = list(engines)
        self.routed = routed  # why the first engine leads, when learned routing chose it

    @property
    def model_id(self) -> str:
        """The model of the first engine, which serves when it can."""
        return model_id_of(self.engines[0])

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """Translate with the first engine that does not refuse or fail."""
        return first_that_serves(self.engines, lambda e: call(e, texts, source, target),
                                 source, target)


def first_that_serves(engines: Sequence[MTEngine], attempt: Callable[[MTEngine], T],
                      source: str, target: str) -> T:
    """``attempt`` each engine in order; if none serves, say why each one could not.

    The error raised is transient when one engine may serve later, a failure when one
    tried and failed, and an unsupported pair only when every engine refused the pair.
    """
    reasons: list[Worded] = []
    errors: list[EngineError] = []
    for engine in engines:
        try:
            return attempt(engine)
        except EngineError as exc:
            reasons.append(exc if str(exc).startswith(engine.name)
                           else Said(N_("%(engine)s: %(reason)s"),
                                     values={"engine": f"{engine.name} {model_id_of(engine)}",
                                             "reason": exc}))
            errors.append(exc)
    if len(reasons) == 1:
        raise errors[0]
    why: object = tuple(reasons) if reasons else Said(N_("no engine is configured"))
    kind: type[EngineError] = (
        EngineUnavailable if any(e.transient for e in errors) else
        UnsupportedPair if all(isinstance(e, UnsupportedPair) for e in errors) else EngineFailed)
    raise kind(N_("No engine could translate %(pair)s (%(why)s)."),
               values={"pair": f"{source}\u2192{target}", "why": why})


@dataclass(frozen=True)
class Hop:
    """One step of a chain: an engine and the pair it translates on that step."""

    engine: MTEngine
    source: str
    target: str


class ChainEngine:
    """Translates along a chain of engines through bridge languages (en\u2192es\u2192fr)."""

    name = "pivot"

    def __init__(self, hops: Sequence[Hop]) -> None:
        if len(hops) < 2:
            raise ValueError("a chain needs at least two hops")
        self.hops = list(hops)
        self.languages = [hops[0].source, *(h.target for h in hops)]
        self.model_id = " \u2192 ".join(model_id_of(h.engine) for h in hops)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """Each hop translates the previous hop's output; every result says the chain."""
        started = time.perf_counter()
        steps: list[list[MTResult]] = []
        current = list(texts)
        for hop in self.hops:
            step = call(hop.engine, current, hop.source, hop.target)
            steps.append(step)
            current = [r.text for r in step]
        each = (time.perf_counter() - started) / max(len(texts), 1)
        out = []
        for i, final in enumerate(steps[-1]):
            used = [step[i] for step in steps]
            model = " \u2192 ".join(r.model for r in used)
            out.append(replace(
                final, engine="pivot:" + "+".join(r.engine for r in used), model=model,
                seconds=each, confidence=least_confident(r.confidence for r in used),
                flags=(*(f for r in used for f in r.flags), self.pivot_flag(model))))
        return out

    def pivot_flag(self, models: str) -> Flag:
        """The reviewer's note on a segment that went through bridge languages."""
        from workflow.languages import Languages

        path = "\u2192".join(self.languages)
        return Flag("pivot", N_(
            "Machine-translated through %(bridges)s (%(path)s) by %(models)s, not directly: "
            "check the meaning against the source."),
            values={"bridges": Languages(self.languages[1:-1]), "path": path, "models": models})
