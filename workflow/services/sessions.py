"""Server-side sessions: started at sign-in, checked on every request, ended for good."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from workflow.models import User, UserSession, utcnow
from workflow.uow import UnitOfWork

# A busy page should not write a row on every request: last_seen moves at most this often.
_TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class Timeouts:
    """How long a session lives: since its last request, and at most since sign-in."""

    idle: timedelta = timedelta(hours=8)
    absolute: timedelta = timedelta(days=7)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(uow: UnitOfWork, user: User, address: str = "", user_agent: str = "") -> str:
    """A new session for ``user``; the returned id goes into the cookie (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    uow.session.add(UserSession(token_hash=_hash(token), user_id=user.id,
                                address=address[:64], user_agent=user_agent[:200]))
    uow.commit()
    return token


def session_user(uow: UnitOfWork, token: str, timeouts: Timeouts) -> User | None:
    """The active user of a live session, or None once it ended, idled out or grew too old."""
    # One query for the session, its user and their preferences (the interface language every
    # desk page needs): this runs on every signed-in request.
    row = uow.session.scalar(select(UserSession)
                             .options(joinedload(UserSession.user).joinedload(User.preferences))
                             .where(UserSession.token_hash == _hash(token)))
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    if now - row.last_seen_at > timeouts.idle:
        _end(uow, [row.id], "idle timeout")
        return None
    if now - row.created_at > timeouts.absolute:
        _end(uow, [row.id], "absolute timeout")
        return None
    if not row.user.active:
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        uow.session.execute(update(UserSession).where(UserSession.id == row.id)
                            .values(last_seen_at=now))
        uow.commit()
    return row.user


def _end(uow: UnitOfWork, ids: list[int], why: str) -> None:
    if ids:
        uow.session.execute(update(UserSession)
                            .where(UserSession.id.in_(ids), UserSession.ended_at.is_(None))
                            .values(ended_at=utcnow(), ended_why=why))
    uow.commit()


def end_session(uow: UnitOfWork, token: str, why: str = "signed out") -> None:
    """End the session the cookie names (sign-out)."""
    ids = list(uow.session.scalars(select(UserSession.id)
                                   .where(UserSession.token_hash == _hash(token))))
    _end(uow, ids, why)


def end_sessions_of(uow: UnitOfWork, user_id: int, why: str, keep: str | None = None) -> int:
    """End every live session of a user, except the one ``keep`` names; how many ended."""
    query = select(UserSession.id).where(UserSession.user_id == user_id,
                                         UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.token_hash != _hash(keep))
    ids = list(uow.session.scalars(query))
    _end(uow, ids, why)
    return len(ids)
