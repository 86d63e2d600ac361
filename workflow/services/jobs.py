"""Translation jobs: claimed with a lease, idempotent, and re-enqueued when stuck."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import and_, or_, select, update

from workflow import memory
from workflow.engine import EngineError, EngineFor, MTResult
from workflow.models import ArticleVersion as Version
from workflow.models import AuditEvent, SourceSegment, TranslatedSegment, Translation, User, utcnow
from workflow.mt_cache import DatabaseMTCache
from workflow.mt_pipeline import translate_segments
from workflow.queries import get_translation
from workflow.review_models import GlossaryTerm
from workflow.services.salvage import salvage
from workflow.states import Event, guard, transition
from workflow.uow import UnitOfWork

log = logging.getLogger(__name__)

UowFactory = Callable[[], UnitOfWork]


def _record(uow: UnitOfWork, t_id: int, article_id: int, event: Event, before: str,
            after: str, note: str | None = None) -> None:
    uow.session.add(AuditEvent(action=f"translation.{event.value}", translation_id=t_id,
                               article_id=article_id, from_state=before, to_state=after,
                               note=note))


def claim(uow: UnitOfWork, translation_id: int, worker: str, lease_seconds: int) -> bool:
    """Take the job's lease if it is queued or its lease ran out; False if someone has it."""
    now = utcnow()
    sources, target = guard(Event.START)
    before = uow.session.scalar(select(Translation.state).where(Translation.id == translation_id))
    result = uow.session.execute(
        update(Translation)
        .where(
            Translation.id == translation_id,
            Translation.state.in_([s.value for s in sources]),
            or_(Translation.state == "queued",
                Translation.lease_expires_at.is_(None),
                Translation.lease_expires_at < now),
        )
        .values(state=target.value, attempts=Translation.attempts + 1, lease_owner=worker,
                lease_expires_at=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        uow.rollback()
        return False
    t = uow.session.get(Translation, translation_id, populate_existing=True)
    assert t is not None and before is not None
    _record(uow, t.id, t.article_id, Event.START, before, target.value,
            f"attempt {t.attempts} by {worker}")
    uow.commit()
    return True


def translate(
    new_uow: UowFactory,
    translation_id: int,
    engine_for: EngineFor,
    worker: str,
    lease_seconds: int = 600,
    max_attempts: int = 5,
) -> str:
    """Machine-translate one job; running it again once it is done changes nothing.

    Returns ``"done"``, ``"skipped"`` (not ours to do) or ``"failed"``.
    """
    with new_uow() as uow:
        if not claim(uow, translation_id, worker, lease_seconds):
            return "skipped"
        t = uow.session.get(Translation, translation_id)
        assert t is not None
        if t.attempts > max_attempts:
            transition(t, Event.FAIL, None,
                       note=f"gave up after {max_attempts} attempts")
            t.error = (f"Gave up after {max_attempts} attempts; the last worker never "
                       "finished (it may have crashed on this article).")
            t.lease_owner = t.lease_expires_at = None
            uow.commit()
            return "failed"
        source_lang = t.article.source_language
        target_lang = t.language
        done = set(uow.session.scalars(
            select(TranslatedSegment.source_segment_id)
            .where(TranslatedSegment.translation_id == t.id)
        ))
        todo = [(s.id, s.position, s.kind, s.text) for s in uow.session.scalars(
            select(SourceSegment).join(Version)
            .where(Version.article_id == t.article_id, Version.number == t.version_number)
            .order_by(SourceSegment.position)
        ) if s.id not in done]
        # Translation memory first: exact hits fill their segments and skip the engine.
        remembered = memory.exact_hits(uow.session, source_lang, target_lang,
                                       [text for *_, text in todo])
        from_memory = [(*s, remembered[memory.source_key(s[3])]) for s in todo
                       if memory.source_key(s[3]) in remembered]
        todo = [s for s in todo if memory.source_key(s[3]) not in remembered]
        # The glossary's do-not-translate terms are masked so MT cannot change them.
        keep = list(uow.session.scalars(select(GlossaryTerm.term).where(
            GlossaryTerm.do_not_translate.is_(True), GlossaryTerm.language == target_lang)))

    engine = None
    try:
        results: list[MTResult] = []
        if todo:
            engine = engine_for(source_lang, target_lang)
            results = translate_segments([text for *_, text in todo], source_lang, target_lang,
                                         engine, cache=DatabaseMTCache(new_uow), terms=keep)
    except EngineError as exc:
        if engine is not None and not exc.transient and len(todo) > 1:
            return salvage(new_uow, translation_id, worker, engine, todo, source_lang,
                           target_lang, exc, terms=keep)
        return _engine_failed(new_uow, translation_id, worker, exc)

    with new_uow() as uow:
        sources, target = guard(Event.FINISH)
        finished = uow.session.execute(
            update(Translation)
            .where(Translation.id == translation_id, Translation.lease_owner == worker,
                   Translation.state.in_([s.value for s in sources]))
            .values(state=target.value, lease_owner=None, lease_expires_at=None, error=None)
            .execution_options(synchronize_session=False)
        )
        if finished.rowcount != 1:  # type: ignore[attr-defined]
            log.info("translation %s: lease lost before finishing; leaving it", translation_id)
            return "skipped"
        for (seg_id, position, kind, text), result in zip(todo, results, strict=True):
            uow.session.add(TranslatedSegment.from_mt(translation_id, seg_id, position, kind,
                                                      text, result))
        for seg_id, position, kind, text, target_text in from_memory:
            uow.session.add(TranslatedSegment(
                translation_id=translation_id, source_segment_id=seg_id, position=position,
                kind=kind, source_text=text, mt_text=None, engine=memory.ENGINE, model=None,
                text=target_text, state="tm",
            ))
        article_id = uow.session.scalar(
            select(Translation.article_id).where(Translation.id == translation_id))
        assert article_id is not None
        engines = sorted({f"{r.engine}:{r.model}" for r in results}
                         | ({memory.ENGINE} if from_memory else set()))
        count = len(results) + len(from_memory)
        _record(uow, translation_id, article_id, Event.FINISH, "translating", target.value,
                f"{count} segments by {', '.join(engines) or 'nothing new'}")
        uow.commit()
    return "done"


def _engine_failed(new_uow: UowFactory, translation_id: int, worker: str,
                   exc: EngineError) -> str:
    """Give the job back for a retry (transient) or fail it with the reason (permanent)."""
    event = Event.REQUEUE if exc.transient else Event.FAIL
    with new_uow() as uow:
        t = uow.session.scalars(
            select(Translation).where(Translation.id == translation_id,
                                      Translation.lease_owner == worker)
        ).one_or_none()
        if t is None:
            return "skipped"
        transition(t, event, None, note=str(exc))
        t.lease_owner = t.lease_expires_at = None
        t.error = str(exc)
        if exc.transient:
            t.enqueued_at = utcnow()
        uow.commit()
    if exc.transient:
        raise exc
    return "failed"


def requeue_stale(uow: UnitOfWork, requeue_after: int) -> list[int]:
    """Enqueue again the jobs queued too long and those whose lease ran out."""
    now = utcnow()
    stale = list(uow.session.scalars(
        select(Translation).where(or_(
            and_(Translation.state == "queued",
                 or_(Translation.enqueued_at.is_(None),
                     Translation.enqueued_at < now - timedelta(seconds=requeue_after))),
            and_(Translation.state == "translating", Translation.lease_expires_at < now),
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
    t.error = None
    t.enqueued_at = utcnow()
    uow.enqueue(t.id)
    uow.commit()
    return t
