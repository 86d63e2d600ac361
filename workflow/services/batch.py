"""Jobs translated together: waiting jobs for the same pair share the engine's batches.

A worker that claims a job also claims other queued jobs for the same language pair
(hence the same engine and model), up to a budget of characters and after a short wait
for more to arrive, sends all their sentences through one call (length-sorted,
token-budgeted batches), and then finishes each job on its own: each keeps its lease,
its attempt count and its idempotent finish. Only first attempts share a batch, so a job
that crashed a worker once is retried alone and cannot take healthy jobs down with it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from workflow import failures, timing
from workflow.engine import EngineFor, MTResult, UnsupportedPair
from workflow.failures import Explain
from workflow.models import Article, SourceSegment, Translation
from workflow.models import ArticleVersion as Version
from workflow.mt_cache import DatabaseMTCache
from workflow.mt_pipeline import translate_segments
from workflow.services.jobs import (
    Job,
    UowFactory,
    _never,
    claim_many,
    finish,
    finish_all,
    gather,
    stopped,
    take,
    work,
)
from workflow.states import State
from workflow.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sharing:
    """How much a worker takes at once: characters of source text, and how long it waits."""

    budget_chars: int = 16000
    wait_seconds: float = 0.05
    max_jobs: int = 64

    @property
    def enabled(self) -> bool:
        """Whether jobs are batched together at all (a budget of 0 turns it off)."""
        return self.budget_chars > 0 and self.max_jobs > 1


def _waiting(uow: UnitOfWork, job: Job, exclude: set[int], limit: int) -> list[tuple[int, int]]:
    """Queued first attempts for the job's pair, oldest first, with their source size.

    The oldest ``limit`` are picked first and only they are measured, so the cost does
    not grow with the backlog.
    """
    oldest = (select(Translation.id, Translation.article_id, Translation.version_number)
              .join(Article, Article.id == Translation.article_id)
              .where(Translation.state == State.QUEUED, Translation.attempts == 0,
                     Translation.language == job.target,
                     Article.source_language == job.source,
                     Translation.id.not_in(exclude or {0}))
              .order_by(Translation.id).limit(limit).subquery())
    size = func.coalesce(func.sum(func.length(SourceSegment.text)), 0)
    rows = uow.session.execute(
        select(oldest.c.id, size)
        .join(Version, (Version.article_id == oldest.c.article_id)
              & (Version.number == oldest.c.version_number))
        .outerjoin(SourceSegment, SourceSegment.version_id == Version.id)
        .group_by(oldest.c.id).order_by(oldest.c.id))
    return [(tid, int(chars)) for tid, chars in rows]


def _companions(new_uow: UowFactory, lead: Job, worker: str, lease_seconds: int,
                gone: Callable[[str], bool], sharing: Sharing,
                sleep: Callable[[float], None]) -> list[Job]:
    """Claim waiting jobs for the lead's pair until the budget is full or the wait is over.

    Only a burst is waited for: when nothing else is queued, the lead goes alone at once,
    and the wait ends as soon as a look finds nothing new (the burst is in), the budget is
    full or a look finds a job that does not fit it (a backlog: the worker has more than a
    batch queued and waiting would only delay this one), never later than
    ``sharing.wait_seconds``. The looks only read; what they
    picked is claimed at the end in one UPDATE … RETURNING, read in a fixed number of
    queries and committed once. A job another worker took meanwhile is simply left out.
    """
    picked: list[int] = []
    seen = {lead.translation_id}
    room = sharing.budget_chars - lead.chars
    deadline = time.monotonic() + sharing.wait_seconds
    while room > 0 and len(picked) + 1 < sharing.max_jobs:
        with timing.stage("claim"), new_uow() as uow:
            waiting = _waiting(uow, lead, seen, sharing.max_jobs - len(picked) - 1)
        backlog = False  # a queued job that does not fit: the queue holds more than the budget
        for tid, chars in waiting:
            seen.add(tid)
            if chars <= room:
                picked.append(tid)
                room -= chars
            else:
                backlog = True
        if not picked or not waiting or backlog or time.monotonic() >= deadline:
            break
        with timing.stage("batch wait"):
            sleep(min(0.01, max(deadline - time.monotonic(), 0.0)))
    if not picked:
        return []
    with timing.stage("claim"), new_uow() as uow:
        claimed = claim_many(uow, picked, worker, lease_seconds)
        with timing.stage("lookups"):
            taken = gather(uow, claimed)
        uow.commit()
    return taken


def translate_together(
    new_uow: UowFactory,
    translation_id: int,
    engine_for: EngineFor,
    worker: str,
    lease_seconds: int = 600,
    max_attempts: int = 5,
    explain: Explain = failures.explain,
    gone: Callable[[str], bool] = _never,
    sharing: Sharing = Sharing(),
    sleep: Callable[[float], None] = time.sleep,
) -> dict[int, str]:
    """Translate one job, and the waiting jobs that can share its batches; outcome per job.

    A failure of the shared call sends each job through on its own (where one bad
    article fails alone and the others finish); a transient trouble gives every job
    back and raises.
    """
    lead = take(new_uow, translation_id, worker, lease_seconds, max_attempts, gone)
    if isinstance(lead, str):
        return {translation_id: lead}
    jobs = [lead]
    if sharing.enabled and lead.attempts == 1 and lead.todo:
        jobs += _companions(new_uow, lead, worker, lease_seconds, gone, sharing, sleep)
    timing.note("jobs", [j.translation_id for j in jobs])
    timing.note("waited", [round(j.waited, 4) for j in jobs])
    timing.note("chars", sum(j.chars for j in jobs))
    if len(jobs) == 1:
        return {translation_id: work(new_uow, lead, worker, engine_for, explain)}
    return _shared(new_uow, jobs, worker, engine_for, explain)


def _shared(new_uow: UowFactory, jobs: list[Job], worker: str, engine_for: EngineFor,
            explain: Explain) -> dict[int, str]:
    busy = [j for j in jobs if j.todo]
    outcomes = {j.translation_id: finish(new_uow, j.translation_id, worker, j, [])
                for j in jobs if not j.todo}
    lead = busy[0]
    try:
        engine = engine_for(lead.source, lead.target)
        for j in busy:  # one learned-routing decision serves the whole shared batch
            j.routed = getattr(engine, "routed", None)
        texts = [text for j in busy for *_, text in j.todo]
        terms = sorted({term for j in busy for term in j.keep})
        results = translate_segments(texts, lead.source, lead.target, engine,
                                     cache=DatabaseMTCache(new_uow), terms=terms)
    except UnsupportedPair:
        return {**outcomes, **{j.translation_id: work(new_uow, j, worker, engine_for, explain)
                               for j in busy}}
    except Exception as exc:
        failure = explain(exc)
        if failure.transient:  # the lead's task retries it; the others are sent again
            for j in busy:
                stopped(new_uow, j.translation_id, worker, failure, resend=j is not lead)
            raise
        # One article spoiled the shared call: each job on its own, where it fails alone.
        log.warning("shared batch of %s jobs stopped (%s); translating them one by one",
                    len(busy), failure.reason)
        return {**outcomes, **{j.translation_id: work(new_uow, j, worker, engine_for, explain)
                               for j in busy}}
    done: list[tuple[Job, list[MTResult]]] = []
    start = 0
    for j in busy:
        done.append((j, results[start:start + len(j.todo)]))
        start += len(j.todo)
    return {**outcomes, **finish_all(new_uow, worker, done)}
