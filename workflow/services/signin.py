"""Signing in, slowed by a progressive delay per account and per client, never locked.

Each key (``account:<e-mail>``, ``client:<address>``) counts its recent failed tries. Up
to ``free`` of them cost nothing; from then on the next try must wait 1 s, then 2, 4, …
up to a cap. A try made during the wait is refused without being counted, and the right
password is accepted as soon as the wait is over: an attacker slows an account down, but
cannot lock its owner out. Counting is one conditional UPDATE per key, so concurrent tries
cannot all slip through before the count moves (on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from workflow.errors import N_, DomainError
from workflow.models import LoginAttempt, LoginThrottle, User, UTCDateTime, utcnow
from workflow.services.users import authenticate
from workflow.uow import UnitOfWork


class TooManyAttempts(DomainError):
    """Too many failed sign-ins lately from this client or for this account: wait a little."""

    code = "too_many_attempts"


@dataclass(frozen=True)
class Limits:
    """Free failures before the delay starts, the longest delay, and how long failures count."""

    per_account: int = 5
    per_client: int = 20
    max_account_delay: timedelta = timedelta(seconds=60)
    max_client_delay: timedelta = timedelta(minutes=15)
    window: timedelta = timedelta(minutes=15)


def delay_after(failures: int, free: int, cap: timedelta) -> timedelta:
    """The wait before the next try once ``failures`` tries failed: 0, then 1 s doubling."""
    if failures < free:
        return timedelta(0)
    return min(cap, timedelta(seconds=2 ** min(failures - free, 30)))


def _ensure_rows(uow: UnitOfWork, keys: list[str]) -> None:
    dialect = uow.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    uow.session.execute(insert(LoginThrottle).values(
        [{"key": k, "failures": 0} for k in keys]).on_conflict_do_nothing())
    uow.commit()


def _count_try(uow: UnitOfWork, key: str, free: int, cap: timedelta, window: timedelta,
               now: datetime) -> bool:
    """Count one try for ``key`` unless it is still waiting; True when the try may go on."""
    stale = or_(LoginThrottle.last_failure_at.is_(None),
                LoginThrottle.last_failure_at < now - window)
    count = case((stale, 0), else_=LoginThrottle.failures) + 1
    steps = max(0, math.ceil(math.log2(max(cap.total_seconds(), 1)))) + 1
    at = [(count == free + i, literal(now + delay_after(free + i, free, cap), UTCDateTime()))
          for i in range(steps)]
    next_allowed = case((count < free, literal(None, UTCDateTime())), *at,
                        else_=literal(now + cap, UTCDateTime()))
    counted = uow.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key,
               or_(LoginThrottle.next_allowed_at.is_(None), LoginThrottle.next_allowed_at <= now))
        .values(failures=count, last_failure_at=now, next_allowed_at=next_allowed)
        .returning(LoginThrottle.failures)).first()
    uow.commit()
    return counted is not None


def _refund(uow: UnitOfWork, key: str, free: int) -> None:
    """Take back a try that was not a failure (it succeeded, or another key refused it)."""
    remaining = LoginThrottle.failures - 1
    uow.session.execute(
        update(LoginThrottle).where(LoginThrottle.key == key, LoginThrottle.failures > 0)
        .values(failures=remaining,
                next_allowed_at=case((remaining < free, literal(None, UTCDateTime())),
                                     else_=LoginThrottle.next_allowed_at)))
    uow.commit()


def _wait(uow: UnitOfWork, key: str, now: datetime) -> int:
    until = uow.session.scalar(select(LoginThrottle.next_allowed_at)
                               .where(LoginThrottle.key == key))
    return max(1, math.ceil((until - now).total_seconds())) if until else 1


def sign_in(uow: UnitOfWork, email: str, password: str, address: str,
            limits: Limits | None = None) -> User | None:
    """The user if the password is right and neither key is waiting; each checked try is kept.

    Raises ``TooManyAttempts`` (with ``retry_after`` seconds) while a delay runs.
    """
    limits = limits or Limits()
    email = email.strip().lower()[:255]
    account, client = f"account:{email}", f"client:{address[:64]}"
    now = utcnow()
    _ensure_rows(uow, [account, client])
    if not _count_try(uow, client, limits.per_client, limits.max_client_delay, limits.window,
                      now):
        wait = _wait(uow, client, now)
        raise TooManyAttempts(N_("Too many failed sign-ins from your address; wait %(wait)s "
                                 "seconds and try again."), values={"wait": wait}, retry_after=wait)
    if not _count_try(uow, account, limits.per_account, limits.max_account_delay, limits.window,
                      now):
        _refund(uow, client, limits.per_client)
        wait = _wait(uow, account, now)
        raise TooManyAttempts(N_("Too many failed sign-ins for this account; wait %(wait)s "
                                 "seconds and try again."), values={"wait": wait}, retry_after=wait)
    user = authenticate(uow, email, password)
    uow.session.add(LoginAttempt(address=address[:64], email=email, succeeded=user is not None))
    uow.commit()
    if user is not None:
        # The owner proved who they are: the account starts afresh, the client gets its try back.
        uow.session.execute(update(LoginThrottle).where(LoginThrottle.key == account)
                            .values(failures=0, next_allowed_at=None))
        uow.commit()
        _refund(uow, client, limits.per_client)
    return user
