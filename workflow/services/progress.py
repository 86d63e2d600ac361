"""How far each translation job has got, for the live progress on the dashboard."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.models import Translation, TranslationProgress, User, utcnow
from workflow.queries import translation_filter
from workflow.states import LABELS, PROGRESS, State
from workflow.uow import UnitOfWork

log = logging.getLogger(__name__)


def recorder(new_uow: Callable[[], UnitOfWork], translation_id: int) -> Callable[[int, int], None]:
    """A progress callback for the pipeline that writes (done, total) to the job's row.

    A failed write is logged and forgotten: progress is a courtesy, never a reason to fail.
    """

    def record(done: int, total: int) -> None:
        try:
            with new_uow() as uow:
                row = uow.session.get(TranslationProgress, translation_id)
                if row is None:
                    row = TranslationProgress(translation_id=translation_id)
                    uow.session.add(row)
                row.done, row.total, row.updated_at = done, total, utcnow()
                uow.commit()
        except Exception:
            log.warning("could not record the progress of translation %s", translation_id,
                        exc_info=True)

    return record


@dataclass(frozen=True)
class Status:
    """One job as the dashboard shows it."""

    id: int
    state: str
    label: str
    percent: int
    done: int | None
    total: int | None

    def as_json(self) -> dict[str, object]:
        """The JSON the page script reads."""
        return {"id": self.id, "state": self.state, "label": self.label,
                "percent": self.percent, "done": self.done, "total": self.total}


def statuses(session: Session, actor: User, ids: Iterable[int]) -> list[Status]:
    """The state and sentence progress of the translations among ``ids`` the actor may see."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    rows = session.execute(
        select(Translation.id, Translation.state, TranslationProgress.done,
               TranslationProgress.total)
        .outerjoin(TranslationProgress, TranslationProgress.translation_id == Translation.id)
        .where(Translation.id.in_(wanted), translation_filter(actor))
        .order_by(Translation.id)).all()
    out = []
    for tid, state, done, total in rows:
        translating = state == State.TRANSLATING.value and total
        out.append(Status(tid, state, LABELS[State(state)], PROGRESS[State(state)],
                          done if translating else None, total if translating else None))
    return out
