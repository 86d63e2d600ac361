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
    process_broken: bool = False  # the process itself cannot work any more: let it end


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
    if _missing_library(exc):
        return Failure(f"A library this model needs is not installed on the worker "
                       f"({type(exc).__name__}: {str(exc)[:200]}).", False, salvage=False)
    if isinstance(exc, ImportError | SystemError):
        # An installed library fails to import only in a damaged process (an import
        # interrupted half-way leaves it so for good): a fresh process will manage.
        return Failure(f"This worker process could not load its translation libraries "
                       f"({type(exc).__name__}: {str(exc)[:200]}); it stops and a fresh "
                       "process takes the job over.", True, salvage=False,
                       process_broken=True)
    if isinstance(exc, MemoryError):
        return Failure("The worker ran out of memory while translating.", True)
    if isinstance(exc, OperationalError | PoolTimeout) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return Failure(f"The database could not be reached ({type(exc).__name__}: "
                       f"{str(exc).splitlines()[0][:200]}).", True)
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return Failure(f"The translation pipeline failed ({detail}).", False)


def _missing_library(exc: BaseException) -> bool:
    """Whether ``exc`` says a package is absent (not that this process is damaged)."""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        return True  # "No module named 'fugashi'"
    return isinstance(exc, ImportError) and "but it was not found in your environment" in str(exc)
