"""The one lookup of a job by its lease: who holds it, and whether a worker still does."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.models import Translation
from workflow.states import State


def held_job(session: Session, translation_id: int, worker: str | None) -> Translation | None:
    """The job being translated under ``worker``'s lease (None: under anyone's), else None.

    A worker that lost its lease (taken over after it expired, or the job was sent round
    again by a source update) finds nothing here and must leave the job alone.
    """
    query = select(Translation).where(Translation.id == translation_id,
                                      Translation.state == State.TRANSLATING)
    if worker is not None:
        query = query.where(Translation.lease_owner == worker)
    return session.scalars(query).one_or_none()


def held_by(session: Session, worker: str) -> list[int]:
    """Every job being translated under ``worker``'s lease (a shared batch holds several)."""
    return list(session.scalars(select(Translation.id).where(
        Translation.lease_owner == worker, Translation.state == State.TRANSLATING)
        .order_by(Translation.id)))
