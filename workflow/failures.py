"""Why a job stopped, in plain words, and whether another try could help."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from workflow.engine import EngineError
from workflow.errors import N_, Worded


@dataclass(frozen=True)
class Failure(Worded):
    """What stopped a job: the reason people read (an ``N_``-marked English ``template`` and
    its ``values``), and whether retrying may help."""

    template: str
    transient: bool
    salvage: bool = True  # whether translating the rest segment by segment is worth it
    process_broken: bool = False  # the process itself cannot work any more: let it end
    values: Mapping[str, object] = field(default_factory=dict, hash=False)

    @property
    def reason(self) -> str:
        """The reason in English (logs, the job's ``error``)."""
        return self.message

    @classmethod
    def of(cls, message: Worded, transient: bool) -> Failure:
        """A failure whose reason is a message already worded (an engine's error)."""
        return cls(message.template, transient, values=message.values)


Explain = Callable[[BaseException], Failure]
"""Turns an exception into a :class:`Failure` (the workers add what they know of Celery)."""


def explain(exc: BaseException) -> Failure:
    """The failure an exception means for a translation job.

    Retrying helps only when the trouble lies outside the article: an engine out of
    memory or busy, the database unreachable. Anything else (a model that raises on this
    input, a tokenizer that refuses it, a bug) would fail the same way again.
    """
    if isinstance(exc, EngineError):
        return Failure.of(exc, exc.transient)
    if _missing_library(exc):
        return Failure(N_("A library this model needs is not installed on the worker "
                          "(%(error)s)."), False, salvage=False, values={"error": _raw(exc)})
    if isinstance(exc, ImportError | SystemError):
        # An installed library fails to import only in a damaged process (an import
        # interrupted half-way leaves it so for good): a fresh process will manage.
        return Failure(N_("This worker process could not load its translation libraries "
                          "(%(error)s); it stops and a fresh process takes the job over."),
                       True, salvage=False, process_broken=True, values={"error": _raw(exc)})
    if isinstance(exc, MemoryError):
        return Failure(N_("The worker ran out of memory while translating."), True)
    if isinstance(exc, OperationalError | PoolTimeout) or (
            isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return Failure(N_("The database could not be reached (%(error)s)."), True,
                       values={"error": f"{type(exc).__name__}: "
                                        f"{str(exc).splitlines()[0][:200]}"})
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return Failure(N_("The translation pipeline failed (%(error)s)."), False,
                   values={"error": detail})


def _raw(exc: BaseException) -> str:
    """A library's own words about ``exc``, kept as they are (no catalogue has them)."""
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _missing_library(exc: BaseException) -> bool:
    """Whether ``exc`` says a package is absent (not that this process is damaged)."""
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        return True  # "No module named 'fugashi'"
    return isinstance(exc, ImportError) and "but it was not found in your environment" in str(exc)
