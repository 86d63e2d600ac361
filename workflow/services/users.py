"""People on the desk: accounts, passwords and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from sqlalchemy import select

from workflow.errors import InvalidInput
from workflow.languages import get_language
from workflow.models import ROLES, ApiToken, User
from workflow.uow import UnitOfWork

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    """Hash ``password`` with scrypt and a random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def check_password(stored: str, password: str) -> bool:
    """True when ``password`` matches the stored hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), dklen=32,
                         n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(got.hex(), digest)


def create_user(
    uow: UnitOfWork,
    email: str,
    password: str,
    roles: list[str],
    languages: list[str] | None = None,
    name: str = "",
) -> User:
    """Create a user with ``roles`` (and, for reviewers, the languages they review)."""
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise InvalidInput(f"{email!r} is not an e-mail address.", field="email")
    if len(password) < 8:
        raise InvalidInput("The password must have at least 8 characters.", field="password")
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise InvalidInput(f"Roles must be among {', '.join(ROLES)}.", field="roles")
    codes = [get_language(code).code for code in (languages or []) if code.strip()]
    if "reviewer" in roles and not codes and "admin" not in roles:
        raise InvalidInput("A reviewer needs at least one language.", field="languages")
    if uow.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidInput(f"A user with e-mail {email} already exists.", field="email")
    user = User(email=email, name=name, password_hash=hash_password(password),
                roles_csv=",".join(sorted(set(roles))), languages_csv=",".join(sorted(set(codes))))
    uow.session.add(user)
    uow.commit()
    return user


def authenticate(uow: UnitOfWork, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None."""
    user = uow.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active or not check_password(user.password_hash, password):
        return None
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(uow: UnitOfWork, email: str) -> str:
    """Create a personal API token for the user; only its hash is stored."""
    user = uow.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise InvalidInput(f"No user with e-mail {email}.", field="email")
    token = "ld_" + secrets.token_urlsafe(32)
    uow.session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token)))
    uow.commit()
    return token


def user_for_token(uow: UnitOfWork, token: str) -> User | None:
    """The active user who owns ``token``, or None."""
    row = uow.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(token)))
    if row is None or not row.user.active:
        return None
    return row.user
