"""Why a job stopped, in plain words, and whether another try could help."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from workflow.engine import EngineError


@dataclass(frozen=True)
class Failure:
    """What stopped a job: the reason people read, and whether retrying may help."""

    reason: str
    transient: bool
    salvage: bool = True  # whether translating the rest segment by segment is worth it


Explain = Callable[[BaseException], Failure]
"""Turns an exception into a :class:`Failure` (the workers add what they know of Celery)."""


def explain(exc: BaseException) -> Failure:
    """The failure an exception means for a translation job.

    Retrying helps only when the trouble lies outside the article: an engine out of
    memory or busy, the database unreachable. Anything else (a model that raises on this
    input, a tokenizer that refuses it, a bug) would fail the same way again.
    """
    if isinstance(exc, EngineError):
        return Failure(str(exc), exc.transient)
    if isinstance(exc, MemoryError):
        return Failure("The worker ran out of memory while translating.", True)
    if isinstance(exc, OperationalError | PoolTimeout) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return Failure(f"The database could not be reached ({type(exc).__name__}: "
                       f"{str(exc).splitlines()[0][:200]}).", True)
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return Failure(f"The translation pipeline failed ({detail}).", False)
