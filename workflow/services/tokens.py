"""Personal API tokens: created with a name, an optional expiry and scope, listed, revoked."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from workflow.errors import N_, InvalidInput, NotFound
from workflow.models import ApiToken, User, utcnow
from workflow.uow import UnitOfWork

_DURATION = re.compile(r"^\s*(\d{1,5})\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1),
          "w": timedelta(weeks=1)}
# A token used constantly should not write a row per request: last_used moves this often.
_TOUCH_EVERY = timedelta(seconds=60)


def parse_duration(text: str) -> timedelta:
    """``90d``, ``12h``, ``30m`` or ``2w`` as a timedelta; anything else is refused with an
    example."""
    m = _DURATION.match(text or "")
    if m is None or int(m.group(1)) == 0:
        raise InvalidInput(N_("%(text)r is not a duration: write a number and m, h, d or w "
                              "(minutes, hours, days, weeks), e.g. 90d."),
                           values={"text": text}, field="expires_in")
    return int(m.group(1)) * _UNITS[m.group(2).lower()]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _user(uow: UnitOfWork, email: str) -> User:
    user = uow.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise InvalidInput(N_("No user with e-mail %(email)s."),
                           values={"email": email}, field="email")
    return user


def issue_token(uow: UnitOfWork, user: User, name: str = "",
                expires_in: timedelta | None = None, read_only: bool = False
                ) -> tuple[ApiToken, str]:
    """A new token for ``user``: the row, and the token itself (shown once, only its hash kept)."""
    name = (name or "").strip()
    if len(name) > 100:
        raise InvalidInput(N_("A token's name has at most 100 characters."), field="name")
    token = "ld_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=_hash(token), name=name, read_only=read_only,
                   expires_at=utcnow() + expires_in if expires_in else None)
    uow.session.add(row)
    uow.commit()
    return row, token


def create_token(uow: UnitOfWork, email: str, name: str = "",
                 expires_in: timedelta | None = None, read_only: bool = False) -> str:
    """Create a personal API token for the user with ``email``; only its hash is stored."""
    return issue_token(uow, _user(uow, email), name, expires_in, read_only)[1]


def tokens_of(uow: UnitOfWork, user: User) -> list[ApiToken]:
    """The user's tokens, newest first, revoked and expired ones included (the record)."""
    return list(uow.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                    .order_by(ApiToken.id.desc())))


def tokens_for_email(uow: UnitOfWork, email: str) -> list[ApiToken]:
    """The tokens of the user with ``email`` (for the command line)."""
    return tokens_of(uow, _user(uow, email))


def revoke_token(uow: UnitOfWork, token_id: int, owner: User | None = None) -> ApiToken:
    """Revoke a token at once; ``owner`` limits it to that user's own tokens."""
    query = select(ApiToken).where(ApiToken.id == token_id)
    if owner is not None:
        query = query.where(ApiToken.user_id == owner.id)
    row = uow.session.scalar(query)
    if row is None:
        if owner is not None:
            raise NotFound(N_("No token %(id)s of yours."), values={"id": token_id})
        raise NotFound(N_("No token %(id)s."), values={"id": token_id})
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    uow.commit()
    return row


def token_in_use(uow: UnitOfWork, token: str) -> ApiToken | None:
    """The live token (not revoked, not expired, its owner active), its last use recorded."""
    row = uow.session.scalar(select(ApiToken).options(joinedload(ApiToken.user))
                             .where(ApiToken.token_hash == _hash(token)))
    now = utcnow()
    if row is None or not row.usable(now) or not row.user.active:
        return None
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        uow.session.execute(update(ApiToken).where(ApiToken.id == row.id)
                            .values(last_used_at=now))
        uow.commit()
    return row


def user_for_token(uow: UnitOfWork, token: str) -> User | None:
    """The active user who owns a live ``token``, or None."""
    row = token_in_use(uow, token)
    return row.user if row is not None else None
