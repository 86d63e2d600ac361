"""One article's segments through MT without losing anything on the way.

Sentences (sentencex) → mask → split what is too long → cache → engine (one batched call
for the whole article) → unmask → rejoin with the original spacing → flags.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from workflow import timing
from workflow.confidence import least_confident
from workflow.engine import (
    ChainEngine,
    FallbackEngine,
    Flag,
    Measured,
    MTEngine,
    MTResult,
    call,
    first_that_serves,
    model_id_of,
)
from workflow.errors import N_
from workflow.fitting import split_flag
from workflow.masking import CLOSE, OPEN, Masked, mask, pieces, unmask
from workflow.sentences import Sentence, join_sentences, split_long, split_sentences

SHORT_RATIO = {"zh": 0.12, "ja": 0.15, "ko": 0.2}
DEFAULT_SHORT_RATIO = 0.4


@dataclass(frozen=True)
class CachedOutput:
    """An engine's output as the cache keeps it: the text and the engine's confidence."""

    text: str
    confidence: float | None = None


class MTCache(Protocol):
    """Earlier engine outputs, keyed by engine, model, languages and input text."""

    def get_many(self, engine: str, model: str, source: str, target: str,
                 texts: Sequence[str]) -> dict[str, CachedOutput]:
        """The cached outputs for those of ``texts`` that have one."""
        ...

    def put_many(self, engine: str, model: str, source: str, target: str,
                 outputs: dict[str, CachedOutput]) -> None:
        """Remember ``outputs`` (input text → engine output)."""
        ...


@dataclass
class _Sentence:
    """One masked sentence, cut into pieces that fit the model."""

    masked: Masked
    parts: list[tuple[str, str]]
    outputs: list[MTResult] = field(default_factory=list)


@dataclass
class _Segment:
    source: str
    sentences: list[Sentence]
    work: list[_Sentence]


Progress = Callable[[int, int], None]
"""Told (sentences done, sentences in all) as the engine works through an article."""
PROGRESS_EVERY = 64  # at least this many sentences per engine call when progress is watched
PROGRESS_STEPS = 10  # and at most this many calls per article


def translate_segments(
    texts: Sequence[str], source: str, target: str, engine: MTEngine,
    cache: MTCache | None = None, terms: Iterable[str] = (), progress: Progress | None = None,
) -> list[MTResult]:
    """Translate whole segments (titles, paragraphs); one result per text, in order.

    With a :class:`FallbackEngine`, the first engine that can serve the pair does all of it.
    ``progress`` hears how many sentences are done after each batch.
    """
    terms = tuple(terms)
    candidates = engine.engines if isinstance(engine, FallbackEngine) else [engine]
    return first_that_serves(
        candidates,
        lambda e: _translate_with(e, texts, source, target, cache, terms, progress),
        source, target)


def _translate_with(engine: MTEngine, texts: Sequence[str], source: str, target: str,
                    cache: MTCache | None, terms: tuple[str, ...],
                    progress: Progress | None = None) -> list[MTResult]:
    started = time.perf_counter()
    with timing.stage("segmentation"):
        segments = _prepare(texts, source, terms, engine)
    units = [part for seg in segments for s in seg.work if s.masked.translatable()
             for part, _ in s.parts]
    timing.count("sentences", len(units))
    provenance: list[tuple[str, str]] = []
    outputs = _run(engine, units, source, target, cache, provenance, progress)
    for seg in segments:
        for s in seg.work:
            if s.masked.translatable():
                s.outputs = [outputs[part] for part, _ in s.parts]
    name, model = provenance[0] if provenance else (engine.name, model_id_of(engine))
    each = (time.perf_counter() - started) / max(len(texts), 1)
    results = []
    for seg in segments:
        with timing.stage("segmentation"):
            text, flags = _finish(seg, engine, source, target, cache)
        flags += _length_flags(seg.source, text, target)
        if isinstance(engine, ChainEngine) and text.strip():
            flags.append(engine.pivot_flag(model))
        confidence = least_confident(o.confidence for s in seg.work for o in s.outputs)
        results.append(MTResult(text=text, engine=name, model=model, seconds=each,
                                flags=tuple(dict.fromkeys(flags)), confidence=confidence))
    return results


def _prepare(texts: Sequence[str], source: str, terms: tuple[str, ...],
             engine: MTEngine) -> list[_Segment]:
    """Every text's sentences, masked, cut where one is longer than the model takes.

    A measured engine counts the tokens of all the sentences in one call (a tokenizer
    call costs about as much for one sentence as for a hundred); only those over the
    limit are counted again, piece by piece, as they are split.
    """
    split = [split_sentences(text, source) if text.strip() else [] for text in texts]
    masked = [[mask(s.text, terms) for s in sentences] for sentences in split]
    if isinstance(engine, Measured):
        flat = [m.text for ms in masked for m in ms]
        counts = iter(engine.count_tokens(flat) if flat else [])
        limit = engine.max_input_tokens
        count = lambda t, e=engine: e.count_tokens([t])[0]  # noqa: E731
        parts = [[[(m.text, "")] if next(counts) <= limit else split_long(m.text, count, limit)
                  for m in ms] for ms in masked]
    else:
        parts = [[[(m.text, "")] for m in ms] for ms in masked]
    return [_Segment(text, sentences, [_Sentence(m, p) for m, p in zip(ms, ps, strict=True)])
            for text, sentences, ms, ps in zip(texts, split, masked, parts, strict=True)]


def _run(engine: MTEngine, units: list[str], source: str, target: str,
         cache: MTCache | None, provenance: list[tuple[str, str]] | None = None,
         progress: Progress | None = None) -> dict[str, MTResult]:
    """Outputs for every distinct unit: from the cache, the rest in one engine call (a few
    calls of PROGRESS_EVERY sentences when ``progress`` watches).

    ``provenance`` receives the engine and model the engine itself reported. Outputs the
    engine flagged (cut at its output limit, split) are not cached: they are kept for
    this article, with their flags, and asked again next time.
    """
    distinct = list(dict.fromkeys(units))
    model = model_id_of(engine)
    with timing.stage("cache"):
        cached = cache.get_many(engine.name, model, source, target, distinct) if cache else {}
    found = {u: MTResult(c.text, engine.name, model, confidence=c.confidence)
             for u, c in cached.items()}
    todo = [u for u in distinct if u not in found]
    if todo:
        # Watched, the engine gets the work in a few batches, so progress can be told; the
        # batches are cut from the length-sorted sentences, so they pad no more than one call.
        if progress is not None:
            todo.sort(key=len)
        step = (max(PROGRESS_EVERY, -(-len(todo) // PROGRESS_STEPS)) if progress is not None
                else len(todo))
        results: list[MTResult] = []
        for start in range(0, len(todo), step):
            if progress is not None:
                progress(len(found) + len(results), len(distinct))
            with timing.stage("engine"):
                results += call(engine, todo[start:start + step], source, target)
        fresh = dict(zip(todo, results, strict=True))
        if provenance is not None and results:
            provenance.append((results[0].engine, results[0].model))
        if cache:
            with timing.stage("cache"):
                cache.put_many(engine.name, model, source, target,
                               {u: CachedOutput(r.text, r.confidence)
                                for u, r in fresh.items()
                                if all(f.code == "pivot" for f in r.flags)})
        found = {**found, **fresh}
    if progress is not None:
        progress(len(found), len(distinct))
    return found


def _finish(seg: _Segment, engine: MTEngine, source: str, target: str,
            cache: MTCache | None) -> tuple[str, list[Flag]]:
    flags: list[Flag] = []
    out: list[str] = []
    for s in seg.work:
        if not s.masked.translatable():
            out.append(unmask(s.masked.text, s.masked).text)
            continue
        joined = "".join(o.text + gap for o, (_, gap) in zip(s.outputs, s.parts, strict=True))
        flags.extend(f for o in s.outputs for f in o.flags if f.code != "pivot")
        back = unmask(joined, s.masked)
        if back.missing:
            flags.append(Flag("mask_lost", N_(
                "The engine dropped %(spans)s; the sentence was translated again around them "
                "so they are kept, but check the word order."),
                values={"spans": ", ".join(back.missing)}))
            out.append(_around_masks(s.masked, engine, source, target, cache))
        else:
            out.append(back.text)
        if back.repeated:
            flags.append(Flag("mask_repeated", N_("The engine repeated %(spans)s; check it."),
                              values={"spans": ", ".join(back.repeated)}))
        if len(s.parts) > 1:
            flags.append(split_flag(len(s.parts)))
    return join_sentences(seg.sentences, out), flags


def _around_masks(masked: Masked, engine: MTEngine, source: str, target: str,
                  cache: MTCache | None) -> str:
    """Translate the runs between protected spans on their own and keep the spans verbatim."""
    runs = pieces(masked)
    texts = [t for t, original in runs if original is None and any(c.isalpha() for c in t)]
    done = _run(engine, [t.strip() for t in texts], source, target, cache) if texts else {}
    out = []
    token = 0
    for t, original in runs:
        if original is not None:  # its token, put back with the rest below
            token += 1
            out.append(f"{OPEN}{token}{CLOSE}")
        elif t.strip() in done and any(c.isalpha() for c in t):
            lead, trail = t[:len(t) - len(t.lstrip())], t[len(t.rstrip()):]
            out.append(lead + unmask(done[t.strip()].text, masked).text + trail)
        else:
            out.append(t)
    return unmask("".join(out), masked).text


def _length_flags(source: str, text: str, target: str) -> list[Flag]:
    ratio = SHORT_RATIO.get(target.split("-")[0], DEFAULT_SHORT_RATIO)
    if len(source.strip()) >= 20 and len(text.strip()) < ratio * len(source.strip()):
        return [Flag("short_output", N_(
            "The translation has %(target)s characters for %(source)s in the source; "
            "something may be missing."),
            values={"target": len(text.strip()), "source": len(source.strip())})]
    return []
