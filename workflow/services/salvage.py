"""When a batch fails, keep every segment that translates on its own and fail the rest."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from workflow import failures
from workflow.engine import MTEngine, MTResult
from workflow.errors import N_, Said, Worded, dumped
from workflow.failures import Explain
from workflow.leases import held_job
from workflow.models import TranslatedSegment
from workflow.mt_pipeline import translate_segments
from workflow.services.updates import changed_sources
from workflow.states import Event, State, transition
from workflow.uow import UnitOfWork

Todo = tuple[int, int, str, str]  # source segment id, position, kind, text


def _snippet(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def salvage(new_uow: Callable[[], UnitOfWork], translation_id: int, worker: str,
            engine: MTEngine, todo: list[Todo], source: str, target: str,
            batch_error: str, terms: Sequence[str] = (),
            explain: Explain = failures.explain) -> str:
    """Translate ``todo`` one segment at a time, store what works, fail with the rest named.

    The stored segments stay visible to the reviewer; Retry translates only the missing
    ones. A transient trouble on the way (out of memory, the database) is raised: the
    whole job is then given back rather than failed.
    """
    done: list[tuple[Todo, MTResult]] = []
    failed: list[tuple[Todo, Worded]] = []
    for item in todo:
        try:
            # Through the same pipeline as a whole article: masks, splitting, flags.
            done.append((item, translate_segments([item[3]], source, target, engine,
                                                  terms=terms)[0]))
        except Exception as exc:
            failure = explain(exc)
            if failure.transient or not failure.salvage:  # out of memory, out of time…
                raise
            failed.append((item, failure))
    if not failed:  # the batch failed, every segment alone worked: no reason to give up
        failed_note: Said | None = None
    else:
        positions = ", ".join(str(pos) for (_, pos, _, _), _ in failed)
        (_, first_pos, _, first_text), reason = failed[0]
        failed_note = Said(N_("%(failed)s of %(total)s segments could not be translated "
                              "(positions %(positions)s). Segment %(position)s "
                              "(\u201c%(text)s\u201d): %(reason)s The others are kept; Retry "
                              "translates only the missing ones."),
                           values={"failed": len(failed), "total": len(todo),
                                   "positions": positions, "position": first_pos,
                                   "text": _snippet(first_text), "reason": reason})
    with new_uow() as uow:
        t = held_job(uow.session, translation_id, worker)
        if t is None:
            return "skipped"
        changed = changed_sources(uow.session, t.id)
        for (seg_id, position, kind, text), result in done:
            uow.session.add(TranslatedSegment.from_mt(t.id, seg_id, position, kind, text,
                                                      result, seg_id in changed))
        event = Event.FAIL if failed_note else Event.FINISH
        transition(t, event, None, note=failed_note.message if failed_note else
                   f"batch failed ({batch_error}); {len(done)} segments translated one by one")
        t.error = failed_note.message if failed_note else None
        t.error_detail = dumped(failed_note) if failed_note else None
        t.lease_owner = t.lease_expires_at = None
        uow.commit()
    return State.FAILED if failed_note else "done"
