"""Translation jobs: claimed with a lease, idempotent, and re-enqueued when stuck."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select

from workflow import audit, failures, memory, preconfirm, timing
from workflow.engine import EngineFor, Flag, MTResult, UnsupportedPair
from workflow.errors import N_, Said, Worded, dumped, loaded
from workflow.failures import Explain, Failure
from workflow.leases import held_job
from workflow.models import (
    Article,
    GlossaryTerm,
    OutdatedSegment,
    ReviewPolicy,
    SourceSegment,
    TranslatedSegment,
    Translation,
    User,
    utcnow,
)
from workflow.models import ArticleVersion as Version
from workflow.mt_cache import DatabaseMTCache
from workflow.mt_pipeline import translate_segments
from workflow.quality import ROUTED
from workflow.queries import get_translation
from workflow.services.progress import recorder
from workflow.services.salvage import Todo, salvage
from workflow.services.updates import changed_sources
from workflow.states import (
    TRANSITIONS,
    Event,
    SegmentState,
    State,
    conditional,
    recorded,
    transition,
)
from workflow.uow import UnitOfWork

log = logging.getLogger(__name__)

UowFactory = Callable[[], UnitOfWork]


def retrying(reason: Worded) -> Said:
    """``reason``, saying the job was given back for another try."""
    return Said(N_("%(reason)s Trying again shortly."), values={"reason": reason})


def said(t: Translation, why: Worded | None) -> None:
    """Keep why the job stopped on it: its English, and its template and values for each
    reader's language (None clears both)."""
    t.error = why.message if why is not None else None
    t.error_detail = dumped(why) if why is not None else None


def last_reason(t: Translation) -> Worded | str | None:
    """Why the job last stopped, without the retry it was given back for: the kept message,
    or the English stored before messages kept their template."""
    if t.error_detail:
        last = loaded(t.error_detail)
        inner = last.values.get("reason") if last.template == retrying(last).template else last
        return inner if isinstance(inner, Worded) else str(inner)
    return t.error.removesuffix(" Trying again shortly.") if t.error else None


STARTABLE = frozenset(s.value for s in TRANSITIONS[Event.START].sources)
"""The states a job can be claimed from; a message for a job in any other has nothing to do."""


def _never(owner: str) -> bool:
    return False


@dataclass(frozen=True)
class Claimed:
    """A job just claimed, as the claiming UPDATE returned it (no ORM object loaded)."""

    translation_id: int
    article_id: int
    language: str
    version_number: int
    attempts: int
    enqueued_at: datetime | None


_CLAIMED = (Translation.id, Translation.article_id, Translation.language,
            Translation.version_number, Translation.attempts, Translation.enqueued_at)


def claim(uow: UnitOfWork, translation_id: int, worker: str, lease_seconds: int,
          gone: Callable[[str], bool] = _never, commit: bool = True) -> bool:
    """Take the job's lease if it is queued or its lease ran out; False if someone has it.

    The lease is also taken over at once from a holder that ``gone`` says has died (a
    worker process killed on this machine) and by its own holder retrying. With
    ``commit`` False the caller commits (several claims in one transaction).
    """
    claimed = _claim(uow, translation_id, worker, lease_seconds, gone)
    if commit:
        if claimed is None:
            uow.rollback()
        else:
            uow.commit()
    return claimed is not None


def _claim(uow: UnitOfWork, translation_id: int, worker: str, lease_seconds: int,
           gone: Callable[[str], bool]) -> Claimed | None:
    """:func:`claim` in the caller's transaction: one read, one UPDATE … RETURNING."""
    now = utcnow()
    row = uow.session.execute(select(Translation.state, Translation.lease_owner)
                              .where(Translation.id == translation_id)).one_or_none()
    if row is None or row[0] not in TRANSITIONS[Event.START].sources:
        return None  # gone, or done already (a message for a job a shared batch did)
    before, owner = row
    free = [Translation.state == State.QUEUED, Translation.lease_expires_at.is_(None),
            Translation.lease_expires_at < now]
    dead = owner is not None and owner != worker and gone(owner)
    if owner and (owner == worker or dead):
        free.append(Translation.lease_owner == owner)
    values: dict[str, object] = {}
    if dead:
        why = retrying(Said(N_("The worker process translating this died (killed, or out "
                               "of memory).")))
        values.update(error=why.message, error_detail=dumped(why))
    returned = uow.session.execute(conditional(
        Event.START, translation_id, None, or_(*free), attempts=Translation.attempts + 1,
        lease_owner=worker, lease_expires_at=now + timedelta(seconds=lease_seconds), **values,
    ).returning(*_CLAIMED)).one_or_none()
    if returned is None:
        return None
    claimed = Claimed(*returned)
    _forget(uow, [translation_id])
    note = f"attempt {claimed.attempts} by {worker}"
    if dead:
        note += f"; the previous worker process ({owner}) died while translating"
    recorded(uow.session, Event.START, translation_id, claimed.article_id, before, note=note)
    return claimed


def claim_many(uow: UnitOfWork, ids: list[int], worker: str,
               lease_seconds: int) -> list[Claimed]:
    """Claim those of ``ids`` still queued for their first attempt, in one UPDATE … RETURNING.

    Each claimed job gets its own attempt, lease and audit event, as with :func:`claim`;
    one another worker took meanwhile is left out. The caller commits.
    """
    if not ids:
        return []
    rows = uow.session.execute(conditional(
        Event.START, ids, None, Translation.state == State.QUEUED, Translation.attempts == 0,
        attempts=Translation.attempts + 1, lease_owner=worker,
        lease_expires_at=utcnow() + timedelta(seconds=lease_seconds),
    ).returning(*_CLAIMED)).all()
    claimed = sorted((Claimed(*r) for r in rows), key=lambda c: c.translation_id)
    _forget(uow, [c.translation_id for c in claimed])
    for c in claimed:
        recorded(uow.session, Event.START, c.translation_id, c.article_id, State.QUEUED,
                 note=f"attempt {c.attempts} by {worker}")
    return claimed


def _forget(uow: UnitOfWork, ids: list[int]) -> None:
    """Expire the jobs this session had loaded: the claiming UPDATE changed them behind it."""
    for tid in ids:
        loaded = uow.session.identity_map.get(uow.session.identity_key(Translation, tid))
        if loaded is not None:
            uow.session.expire(loaded)


@dataclass
class Job:
    """What a claimed job has to do: the segments left, and what memory already gave."""

    translation_id: int
    source: str
    target: str
    todo: list[Todo]
    from_memory: list[tuple[int, int, str, str, str]]
    keep: list[str]
    attempts: int = 1
    waited: float = 0.0  # seconds from being queued to being claimed
    article_id: int = 0
    routed: str | None = None  # learned routing's decision, when it made one

    @property
    def chars(self) -> int:
        """How much text the engine still has to see."""
        return sum(len(text) for *_, text in self.todo)


def take(new_uow: UowFactory, translation_id: int, worker: str, lease_seconds: int,
         max_attempts: int, gone: Callable[[str], bool] = _never) -> Job | str:
    """Claim a job and read what it has to do; ``"skipped"`` or ``"failed"`` if not to do."""
    with new_uow() as uow:
        with timing.stage("claim"):
            claimed = claim_and_read(uow, translation_id, worker, lease_seconds, gone)
        if claimed is None:
            return "skipped"
        if claimed.attempts > max_attempts:
            t = uow.session.get(Translation, translation_id)
            assert t is not None
            transition(t, Event.FAIL, None,
                       note=f"gave up after {max_attempts} attempts")
            last = last_reason(t)
            said(t, Said(N_("Gave up after %(n)s attempts. Last reason: %(reason)s"),
                         values={"n": max_attempts, "reason": last}) if last else
                 Said(N_("Gave up after %(n)s attempts; the last worker never finished (it may "
                         "have crashed on this article)."), values={"n": max_attempts}))
            t.lease_owner = t.lease_expires_at = None
            uow.commit()
            return State.FAILED
        with timing.stage("lookups"):
            return gather(uow, [claimed])[0]


def claim_and_read(uow: UnitOfWork, translation_id: int, worker: str, lease_seconds: int,
                   gone: Callable[[str], bool] = _never) -> Claimed | None:
    """:func:`claim`, committed, returning what the claim read (None: not ours to do)."""
    claimed = _claim(uow, translation_id, worker, lease_seconds, gone)
    if claimed is None:
        uow.rollback()
    else:
        uow.commit()
    return claimed


def translate(
    new_uow: UowFactory,
    translation_id: int,
    engine_for: EngineFor,
    worker: str,
    lease_seconds: int = 600,
    max_attempts: int = 5,
    explain: Explain = failures.explain,
    gone: Callable[[str], bool] = _never,
) -> str:
    """Machine-translate one job; running it again once it is done changes nothing.

    Returns ``"done"``, ``"skipped"`` (not ours to do) or ``"failed"``. Whatever stops
    the work is recorded on the job at once, in the words ``explain`` gives it: a
    transient trouble gives the job back (and raises, so the caller retries later), any
    other fails it, keeping the segments that translate on their own. A pair no engine
    serves is not a failure: the job becomes a draft with empty targets for people.
    """
    job = take(new_uow, translation_id, worker, lease_seconds, max_attempts, gone)
    if isinstance(job, str):
        return job
    return work(new_uow, job, worker, engine_for, explain)


def work(new_uow: UowFactory, job: Job, worker: str, engine_for: EngineFor,
         explain: Explain = failures.explain) -> str:
    """Translate one claimed job and finish it; whatever stops it is recorded on the job."""
    try:
        return _work(new_uow, job.translation_id, worker, job, engine_for, explain)
    except Exception as exc:
        failure = explain(exc)
        log.warning("translation %s stopped: %s", job.translation_id, failure.reason,
                    exc_info=not failure.transient)
        outcome = stopped(new_uow, job.translation_id, worker, failure)
        if failure.transient:
            raise
        return outcome


def gather(uow: UnitOfWork, claimed: list[Claimed]) -> list[Job]:
    """What claimed jobs have to do: their segments left, memory's hits, protected terms.

    A fixed number of queries however many jobs there are (a shared batch reads all of
    its companions at once); jobs come back in the order given.
    """
    if not claimed:
        return []
    session = uow.session
    ids = [c.translation_id for c in claimed]
    done = set(session.execute(
        select(TranslatedSegment.translation_id, TranslatedSegment.source_segment_id)
        .where(TranslatedSegment.translation_id.in_(ids))).tuples())
    by_version: dict[tuple[int, int], list[int]] = {}
    for c in claimed:
        by_version.setdefault((c.article_id, c.version_number), []).append(c.translation_id)
    todo: dict[int, list[Todo]] = {tid: [] for tid in ids}
    rows = session.execute(
        select(Version.article_id, Version.number, SourceSegment.id, SourceSegment.position,
               SourceSegment.kind, SourceSegment.text)
        .join(Version, Version.id == SourceSegment.version_id)
        .where(or_(*(and_(Version.article_id == a, Version.number == n)
                     for a, n in by_version)))
        .order_by(SourceSegment.position, SourceSegment.id))
    for article_id, number, seg_id, position, kind, text in rows:
        for tid in by_version[(article_id, number)]:
            if (tid, seg_id) not in done:
                todo[tid].append((seg_id, position, kind, text))
    sources = dict(session.execute(
        select(Article.id, Article.source_language)
        .where(Article.id.in_(sorted({c.article_id for c in claimed})))).tuples().all())
    jobs: list[Job] = []
    now = utcnow()
    # Translation memory first (one lookup per language pair): exact hits skip the engine.
    pairs = {(sources[c.article_id], c.language) for c in claimed}
    remembered = {pair: memory.exact_hits(
        session, *pair, [text for c in claimed if (sources[c.article_id], c.language) == pair
                         for *_, text in todo[c.translation_id]]) for pair in pairs}
    # The glossary's do-not-translate terms are masked so MT cannot change them.
    keep: dict[str, list[str]] = {}
    for target in sorted({c.language for c in claimed}):
        keep[target] = list(session.scalars(select(GlossaryTerm.term).where(
            GlossaryTerm.do_not_translate.is_(True), GlossaryTerm.language == target)))
    for c in claimed:
        source = sources[c.article_id]
        hits = remembered[(source, c.language)]
        mine = [(s, memory.source_key(s[3])) for s in todo[c.translation_id]]
        from_memory = [(*s, hits[key]) for s, key in mine if key in hits]
        left = [s for s, key in mine if key not in hits]
        waited = (now - c.enqueued_at).total_seconds() if c.enqueued_at else 0.0
        jobs.append(Job(c.translation_id, source, c.language, left, from_memory,
                        keep[c.language], c.attempts, max(waited, 0.0), c.article_id))
    return jobs


def _work(new_uow: UowFactory, translation_id: int, worker: str, job: Job,
          engine_for: EngineFor, explain: Explain) -> str:
    if not job.todo:
        return finish(new_uow, translation_id, worker, job, [])
    try:
        engine = engine_for(job.source, job.target)
    except UnsupportedPair as exc:  # nothing here translates the pair: people will
        log.info("translation %s: no engine (%s); drafting empty targets", translation_id, exc)
        return finish(new_uow, translation_id, worker, job, [], no_engine=str(exc))
    job.routed = getattr(engine, "routed", None)
    try:
        results = translate_segments([text for *_, text in job.todo], job.source, job.target,
                                     engine, cache=DatabaseMTCache(new_uow), terms=job.keep,
                                     progress=recorder(new_uow, translation_id))
    except Exception as exc:
        failure = explain(exc)
        if failure.transient or not failure.salvage:
            raise
        return salvage(new_uow, translation_id, worker, engine, job.todo, job.source,
                       job.target, failure.reason, terms=job.keep, explain=explain)
    return finish(new_uow, translation_id, worker, job, results)


def finish(new_uow: UowFactory, translation_id: int, worker: str, job: Job,
           results: list[MTResult], no_engine: str | None = None) -> str:
    """Store a job's segments and make it a draft, if its lease is still ours."""
    with timing.stage("saving"):
        return _finish(new_uow, translation_id, worker, job, results, no_engine)


def finish_all(new_uow: UowFactory, worker: str,
               done: list[tuple[Job, list[MTResult]]]) -> dict[int, str]:
    """Store the segments of a shared batch's jobs and make each a draft, in one commit.

    Each job is still finished on its own terms (only while its lease is ours; one whose
    lease was lost is left alone). Should the transaction fail, each job is finished in
    a transaction of its own, so one job's trouble cannot keep the others from their drafts.
    """
    with timing.stage("saving"):
        try:
            with new_uow() as uow:
                outcomes = _store_all(uow, worker, done)
                uow.commit()
            return outcomes
        except Exception:
            log.warning("the %s jobs of a shared batch could not be saved together; saving "
                        "them one by one", len(done), exc_info=True)
    return {job.translation_id: finish(new_uow, job.translation_id, worker, job, results)
            for job, results in done}


def _finish(new_uow: UowFactory, translation_id: int, worker: str, job: Job,
            results: list[MTResult], no_engine: str | None = None) -> str:
    with new_uow() as uow:
        outcome = _store(uow, translation_id, worker, job, results, no_engine)
        if outcome == "done":
            uow.commit()
    return outcome


def _store(uow: UnitOfWork, translation_id: int, worker: str, job: Job,
           results: list[MTResult], no_engine: str | None = None) -> str:
    """:func:`finish` in the caller's transaction; the caller commits when it says "done"."""
    finished = uow.session.execute(conditional(
        Event.FINISH, translation_id, None, Translation.lease_owner == worker,
        lease_owner=None, lease_expires_at=None, error=None, error_detail=None))
    if finished.rowcount != 1:  # type: ignore[attr-defined]
        log.info("translation %s: lease lost before finishing; leaving it", translation_id)
        return "skipped"
    _write(uow, job, results, changed_sources(uow.session, translation_id), no_engine)
    return "done"


def _store_all(uow: UnitOfWork, worker: str,
               done: list[tuple[Job, list[MTResult]]]) -> dict[int, str]:
    """:func:`_store` for several jobs in a fixed number of statements: one UPDATE finishes
    those whose lease is still ours, one read finds their changed sources, one flush
    writes every segment and event."""
    ids = [job.translation_id for job, _ in done]
    ours = set(uow.session.scalars(conditional(
        Event.FINISH, ids, None, Translation.lease_owner == worker,
        lease_owner=None, lease_expires_at=None, error=None,
        error_detail=None).returning(Translation.id)))
    changed: dict[int, set[int]] = {tid: set() for tid in ours}
    for tid, seg_id in uow.session.execute(
            select(OutdatedSegment.translation_id, OutdatedSegment.replaced_by_id)
            .where(OutdatedSegment.translation_id.in_(sorted(ours)),
                   OutdatedSegment.replaced_by_id.is_not(None))) if ours else ():
        if seg_id is not None:
            changed[tid].add(seg_id)
    policies = {job.target: uow.session.get(ReviewPolicy, job.target) for job, _ in done}
    outcomes: dict[int, str] = {}
    with uow.session.no_autoflush:
        for job, results in done:
            if job.translation_id not in ours:
                log.info("translation %s: lease lost before finishing; leaving it",
                         job.translation_id)
                outcomes[job.translation_id] = "skipped"
                continue
            _write(uow, job, results, changed[job.translation_id],
                   review=policies[job.target] is not None)
            outcomes[job.translation_id] = "done"
    return outcomes


def _write(uow: UnitOfWork, job: Job, results: list[MTResult], changed: set[int],
           no_engine: str | None = None, review: bool = True) -> None:
    """Add a finished job's segments and events to the session (``review``: a review
    policy may pre-confirm some)."""
    translation_id = job.translation_id
    if no_engine is not None:
        why = Flag("no_engine", N_("No engine on this desk translates %(pair)s: translate "
                                   "this segment from the source."),
                   values={"pair": f"{job.source}\u2192{job.target}"})
        for seg_id, position, kind, text in job.todo:
            uow.session.add(TranslatedSegment.for_people(translation_id, seg_id, position,
                                                         kind, text, why))
    drafts = [TranslatedSegment.from_mt(translation_id, seg_id, position, kind, text, result,
                                        seg_id in changed)
              for (seg_id, position, kind, text), result in zip(job.todo, results,
                                                                 strict=False)]
    uow.session.add_all(drafts)
    for seg_id, position, kind, text, target_text in job.from_memory:
        uow.session.add(TranslatedSegment(
            translation_id=translation_id, source_segment_id=seg_id, position=position,
            kind=kind, source_text=text, mt_text=None, engine=memory.ENGINE, model=None,
            text=target_text, state=SegmentState.TM,
        ))
    article_id = job.article_id or uow.session.scalar(
        select(Translation.article_id).where(Translation.id == translation_id))
    assert article_id is not None
    if review:
        preconfirm.apply(uow.session, drafts, job.source, job.target, translation_id,
                         article_id)
    engines = sorted({f"{r.engine}:{r.model}" for r in results}
                     | ({memory.ENGINE} if job.from_memory else set()))
    count = len(results) + len(job.from_memory)
    note = f"{count} segments by {', '.join(engines) or 'nothing new'}"
    if no_engine is not None:
        note = (f"no engine translates {job.source}\u2192{job.target} here: "
                f"{len(job.todo)} segments left empty for a reviewer; {note}")
    if job.routed and results:
        audit.record(uow.session, ROUTED, translation_id=translation_id,
                     article_id=article_id, note=job.routed)
    recorded(uow.session, Event.FINISH, translation_id, article_id, State.TRANSLATING,
             note=note)


def stopped(new_uow: UowFactory, translation_id: int, worker: str | None,
            failure: Failure, resend: bool = False) -> str:
    """Record why the job stopped: give it back for a retry (transient) or fail it.

    ``worker`` None means whoever holds the lease (a worker's parent process speaking
    for a child that was killed). ``resend`` enqueues a job given back again after the
    commit: one that rode in another job's batch may have no message left.
    """
    event = Event.REQUEUE if failure.transient else Event.FAIL
    with new_uow() as uow:
        t = held_job(uow.session, translation_id, worker)
        if t is None:
            return "skipped"
        why: Worded = retrying(failure) if failure.transient else failure
        transition(t, event, None, note=why.message)
        t.lease_owner = t.lease_expires_at = None
        said(t, why)
        if failure.transient:
            t.enqueued_at = utcnow()
            if resend:
                uow.enqueue(t.id)
        uow.commit()
    return State.QUEUED if failure.transient else State.FAILED


def requeue_stale(uow: UnitOfWork, requeue_after: int) -> list[int]:
    """Enqueue again the jobs queued too long and those whose lease ran out."""
    now = utcnow()
    stale = list(uow.session.scalars(
        select(Translation).where(or_(
            and_(Translation.state == State.QUEUED,
                 or_(Translation.enqueued_at.is_(None),
                     Translation.enqueued_at < now - timedelta(seconds=requeue_after))),
            and_(Translation.state == State.TRANSLATING, Translation.lease_expires_at < now),
        )).order_by(Translation.id)
    ))
    for t in stale:
        t.enqueued_at = now
        uow.enqueue(t.id)
    uow.commit()
    return [t.id for t in stale]


def retry(uow: UnitOfWork, translation_id: int, actor: User) -> Translation:
    """Queue a failed translation again, with a fresh attempt count."""
    t = get_translation(uow.session, translation_id, actor)
    transition(t, Event.RETRY, actor)
    t.attempts = 0
    said(t, None)
    t.enqueued_at = utcnow()
    uow.enqueue(t.id)
    uow.commit()
    return t
