"""Cheap per-job timers: where a worker's wall time goes, stage by stage.

A job opens a :func:`recording`; code on its way marks its stages with :func:`stage`
(a no-op when nothing records). Stages nest: each keeps only its own time, so an engine
call made while unmasking counts as ``engine``, not twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

_current: ContextVar[Timings | None] = ContextVar("linguadesk_timings", default=None)


@dataclass
class Timings:
    """Seconds spent per stage (exclusive of nested stages), and counts (sentences…)."""

    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)
    _stack: list[list[float]] = field(default_factory=list)

    def add(self, name: str, seconds: float) -> None:
        """Count ``seconds`` against ``name``."""
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def count(self, name: str, n: int) -> None:
        """Add ``n`` to the counter ``name``."""
        self.counts[name] = self.counts.get(name, 0) + n

    def record(self) -> dict[str, object]:
        """A JSON-ready summary: wall time, each stage, the counters."""
        wall = time.perf_counter() - self.started
        return {"wall": round(wall, 6),
                "stages": {k: round(v, 6) for k, v in sorted(self.seconds.items())},
                **self.counts, **self.notes}


@contextmanager
def recording() -> Iterator[Timings]:
    """Record the stages run inside this block (in this thread)."""
    timings = Timings()
    token = _current.set(timings)
    try:
        yield timings
    finally:
        _current.reset(token)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time this block as ``name`` when a recording is open; nested stages are subtracted."""
    timings = _current.get()
    if timings is None:
        yield
        return
    frame = [time.perf_counter(), 0.0]  # started, time spent in nested stages
    timings._stack.append(frame)
    try:
        yield
    finally:
        timings._stack.pop()
        elapsed = time.perf_counter() - frame[0]
        timings.add(name, elapsed - frame[1])
        if timings._stack:
            timings._stack[-1][1] += elapsed


def count(name: str, n: int) -> None:
    """Add ``n`` to a counter of the open recording, if any."""
    timings = _current.get()
    if timings is not None:
        timings.count(name, n)


def note(name: str, value: object) -> None:
    """Keep ``value`` under ``name`` in the open recording, if any (job ids, waits…)."""
    timings = _current.get()
    if timings is not None:
        timings.notes[name] = value
