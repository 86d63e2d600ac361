"""What the beat reminds people of: due soon, overdue, and a daily digest of waiting drafts.

Each reminder carries a key naming what it is about (the job, the person, the due date or
the day), so it arrives once however often the beat runs; a new due date reminds again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select

from workflow import messages
from workflow.models import Assignment, Translation, User, utcnow
from workflow.permissions import reviews
from workflow.services.assignments import OPEN
from workflow.services.notifications import notify
from workflow.uow import UnitOfWork

DUE_SOON = timedelta(hours=24)


def _title(t: Translation) -> str:
    return t.article.latest.title


def due_dates(uow: UnitOfWork, now: datetime | None = None) -> int:
    """Remind assignees of drafts due within 24 hours, and of those overdue; how many sent."""
    now = now or utcnow()
    sent = 0
    rows = uow.session.execute(
        select(Assignment, Translation).join(Translation,
                                             Translation.id == Assignment.translation_id)
        .where(Assignment.due_at.is_not(None), Assignment.due_at <= now + DUE_SOON,
               Translation.state.in_(OPEN)).order_by(Assignment.translation_id)).tuples()
    for held, t in rows:
        assert held.due_at is not None
        overdue = held.due_at <= now
        kind = "overdue" if overdue else "due_soon"
        say = messages.overdue if overdue else messages.due_soon
        key = f"{kind}:{t.id}:{held.reviewer_id}:{held.due_at.isoformat()}"
        if notify(uow, held.reviewer, kind,
                  partial(say, language=t.language, title=_title(t), when=held.due_at),
                  f"/translations/{t.id}",
                  translation_id=t.id, once_key=key) is not None:
            sent += 1
    uow.commit()
    return sent


def waiting_digest(uow: UnitOfWork, now: datetime | None = None) -> int:
    """Once a day, tell each reviewer how many unclaimed drafts wait in their languages."""
    now = now or utcnow()
    unclaimed = ~select(Assignment.translation_id).where(
        Assignment.translation_id == Translation.id).exists()
    waiting = list(uow.session.scalars(select(Translation).where(
        Translation.state.in_(OPEN), unclaimed).order_by(Translation.id)))
    if not waiting:
        return 0
    sent = 0
    for user in uow.session.scalars(select(User).where(User.active.is_(True))
                                    .order_by(User.id)):
        mine = [t for t in waiting if reviews(user, t.language)]
        if not mine:
            continue
        drafts = [(t.language, _title(t)) for t in mine[:50]]
        if notify(uow, user, "waiting", partial(messages.waiting, count=len(mine)), "/inbox",
                  details=partial(messages.waiting_lines, drafts=drafts),
                  once_key=f"waiting:{user.id}:{now:%Y-%m-%d}") is not None:
            sent += 1
    uow.commit()
    return sent
