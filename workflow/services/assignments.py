"""Routing drafts to reviewers: claims, assignments by editors, due dates and inboxes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from workflow import messages
from workflow.errors import N_, Conflict, Forbidden, InvalidInput
from workflow.models import Assignment, Translation, User
from workflow.permissions import Action, can, inbox_filter, reviews
from workflow.queries import get_translation, visible_translations
from workflow.services.notifications import notify
from workflow.states import State, audit, state_word
from workflow.uow import UnitOfWork

OPEN = (State.DRAFT, State.IN_REVIEW)


def assignment_of(uow: UnitOfWork, translation_id: int) -> Assignment | None:
    """Who holds the translation, if anyone."""
    return uow.session.get(Assignment, translation_id)


def take(uow: UnitOfWork, t: Translation, reviewer: User) -> Assignment:
    """Give ``t`` to ``reviewer`` if nobody holds it yet (part of the caller's transaction)."""
    held = uow.session.get(Assignment, t.id)
    if held is None:
        held = Assignment(translation_id=t.id, reviewer_id=reviewer.id)
        uow.session.add(held)
        audit(reviewer, "translation.claim", t, note=f"claimed by {reviewer.email}")
    return held


def claim(uow: UnitOfWork, translation_id: int, actor: User) -> Assignment:
    """The reviewer takes a draft of one of their languages for themselves."""
    t = get_translation(uow.session, translation_id, actor)
    if not can(actor, Action.CLAIM, t):
        raise Forbidden(N_("Only reviewers of %(language)s can claim this translation."),
                        values={"language": t.language})
    if t.state not in OPEN:
        raise Conflict(N_("This translation is %(state)s; only drafts can be claimed."),
                       values={"state": state_word(t.state)})
    held = uow.session.get(Assignment, t.id)
    if held is not None and held.reviewer_id != actor.id:
        raise Conflict(N_("Someone else has already claimed this translation."))
    held = take(uow, t, actor)
    uow.commit()
    return held


@dataclass(frozen=True)
class ReviewerLoad:
    """A reviewer of a language, with what they hold now (for the assign control)."""

    user: User
    open: int
    next_due: datetime | None


def reviewers_for(uow: UnitOfWork, language: str) -> list[ReviewerLoad]:
    """The active reviewers of ``language``, least loaded first, with their nearest due date."""
    load = (select(Assignment.reviewer_id, func.count().label("n"),
                   func.min(Assignment.due_at).label("due"))
            .join(Translation, Translation.id == Assignment.translation_id)
            .where(Translation.state.in_(OPEN)).group_by(Assignment.reviewer_id).subquery())
    rows = uow.session.execute(
        select(User, func.coalesce(load.c.n, 0), load.c.due)
        .outerjoin(load, load.c.reviewer_id == User.id)
        .where(User.active.is_(True)).order_by(User.id)).all()
    found = [ReviewerLoad(u, int(n), due) for u, n, due in rows
             if reviews(u, language)]
    return sorted(found, key=lambda r: (r.open, r.user.display_name.lower()))


def least_loaded_reviewer(uow: UnitOfWork, language: str) -> User | None:
    """The active reviewer of ``language`` holding the fewest open translations."""
    load = (select(Assignment.reviewer_id, func.count().label("n"))
            .join(Translation, Translation.id == Assignment.translation_id)
            .where(Translation.state.in_(OPEN)).group_by(Assignment.reviewer_id).subquery())
    candidates = uow.session.execute(
        select(User, func.coalesce(load.c.n, 0)).outerjoin(load, load.c.reviewer_id == User.id)
        .where(User.active.is_(True)).order_by(User.id)
    ).all()
    holders = [(n, u.id, u) for u, n in candidates
               if reviews(u, language)]
    return min(holders, key=lambda h: (h[0], h[1]))[2] if holders else None


def assign(uow: UnitOfWork, translation_id: int, actor: User, reviewer_id: int | None = None,
           due_at: datetime | None = None) -> Assignment:
    """An editor gives the translation to a reviewer (the least loaded one by default)."""
    if not can(actor, Action.ASSIGN):
        raise Forbidden(N_("Only editors assign translations."))
    t = get_translation(uow.session, translation_id, actor)
    if t.state not in OPEN:
        raise Conflict(N_("This translation is %(state)s; only drafts and translations in review "
                          "can be assigned."), values={"state": state_word(t.state)})
    if reviewer_id is None:
        reviewer = least_loaded_reviewer(uow, t.language)
        if reviewer is None:
            raise InvalidInput(N_("No active reviewer holds %(language)s."),
                               values={"language": t.language}, field="reviewer_id")
    else:
        found = uow.session.get(User, reviewer_id)
        if found is None or not found.active or not reviews(found, t.language):
            raise InvalidInput(N_("User %(reviewer_id)s is not an active reviewer of "
                                  "%(language)s."),
                               values={"reviewer_id": reviewer_id, "language": t.language},
                               field="reviewer_id")
        reviewer = found
    held = uow.session.get(Assignment, t.id)
    if held is None:
        held = Assignment(translation_id=t.id, reviewer_id=reviewer.id)
        uow.session.add(held)
    held.reviewer_id, held.assigned_by_id, held.due_at = reviewer.id, actor.id, due_at
    due = f", due {due_at:%Y-%m-%d}" if due_at else ""
    audit(actor, "translation.assign", t, note=f"assigned to {reviewer.email}{due}")
    if reviewer.id != actor.id:
        title, who = t.article.latest.title, actor.display_name
        notify(uow, reviewer, "assigned",
               lambda r: messages.assigned(r, who, t.language, title, due_at),
               f"/translations/{t.id}", translation_id=t.id)
    uow.commit()
    return held


@dataclass
class Inbox:
    """What a reviewer holds and what waits for someone in their languages."""

    mine: list[tuple[Translation, Assignment]]
    waiting: list[Translation]


def inbox(uow: UnitOfWork, actor: User) -> Inbox:
    """The reviewer's translations (with due dates) and the unclaimed drafts they may take."""
    mine = list(uow.session.execute(
        select(Translation, Assignment)
        .join(Assignment, Assignment.translation_id == Translation.id)
        .where(Assignment.reviewer_id == actor.id, Translation.state.in_(OPEN))
        .order_by(Assignment.due_at.is_(None), Assignment.due_at, Translation.id)
    ).tuples())
    unclaimed = ~select(Assignment.translation_id).where(
        Assignment.translation_id == Translation.id).exists()
    query = visible_translations(actor).where(Translation.state.in_(OPEN), unclaimed,
                                              inbox_filter(actor))
    waiting = list(uow.session.scalars(query.order_by(Translation.id)))
    return Inbox(mine=mine, waiting=waiting)
