"""Signing in with a rate limit per address and per account, counted in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, func, select

from workflow.errors import DomainError
from workflow.models import User, utcnow
from workflow.review_models import LoginAttempt
from workflow.services.users import authenticate
from workflow.uow import UnitOfWork


class TooManyAttempts(DomainError):
    """Too many failed sign-ins lately from this address or for this account."""

    status = 429
    code = "too_many_attempts"


@dataclass(frozen=True)
class Limits:
    """How many failures are allowed within ``window``."""

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


def sign_in(uow: UnitOfWork, email: str, password: str, address: str,
            limits: Limits | None = None) -> User | None:
    """The user if the password is right and neither limit is reached; every try is kept."""
    limits = limits or Limits()
    email = email.strip().lower()[:255]
    since = utcnow() - limits.window

    def failures(where: ColumnElement[bool]) -> int:
        return uow.session.scalar(
            select(func.count()).select_from(LoginAttempt)
            .where(LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since, where)
        ) or 0

    minutes = int(limits.window.total_seconds() // 60)
    if failures(LoginAttempt.email == email) >= limits.per_account:
        raise TooManyAttempts(f"Too many failed sign-ins for this account; wait {minutes} "
                              "minutes and try again.")
    if failures(LoginAttempt.address == address) >= limits.per_address:
        raise TooManyAttempts(f"Too many failed sign-ins from your address; wait {minutes} "
                              "minutes and try again.")
    user = authenticate(uow, email, password)
    uow.session.add(LoginAttempt(address=address[:64], email=email, succeeded=user is not None))
    uow.commit()
    return user
