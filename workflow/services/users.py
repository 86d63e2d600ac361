"""People on the desk: accounts, passwords, deactivation."""

from __future__ import annotations

import re

from sqlalchemy import select

from workflow.errors import N_, InvalidInput, NotFound
from workflow.languages import get_language
from workflow.models import ROLES, User
from workflow.passwords import burn_time, check_password, hash_password, needs_rehash
from workflow.permissions import needs_languages
from workflow.services.sessions import end_sessions_of
from workflow.services.tokens import create_token, user_for_token  # noqa: F401  (their old home)
from workflow.uow import UnitOfWork

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8


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
        raise InvalidInput(N_("%(email)r is not an e-mail address."),
                           values={"email": email}, field="email")
    _check_new_password(password)
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise InvalidInput(N_("Roles must be among %(roles)s."),
                           values={"roles": ", ".join(ROLES)}, field="roles")
    codes = [get_language(code).code for code in (languages or []) if code.strip()]
    if needs_languages(roles) and not codes:
        raise InvalidInput(N_("A reviewer needs at least one language."), field="languages")
    if uow.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InvalidInput(N_("A user with e-mail %(email)s already exists."),
                           values={"email": email}, field="email")
    user = User(email=email, name=name, password_hash=hash_password(password),
                roles_csv=",".join(sorted(set(roles))), languages_csv=",".join(sorted(set(codes))))
    uow.session.add(user)
    uow.commit()
    return user


def _check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(N_("The password must have at least %(min)s characters."),
                           values={"min": MIN_PASSWORD},
                           field="password")


def authenticate(uow: UnitOfWork, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None.

    Unknown and inactive accounts cost one hash too, so the answer's timing does not tell
    which e-mails exist. A hash made with older settings is replaced while the password is
    at hand.
    """
    user = uow.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        burn_time(password)
        return None
    if not check_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        uow.commit()
    return user


def change_password(uow: UnitOfWork, user: User, current: str, new: str, confirm: str,
                    keep_session: str | None = None) -> int:
    """Set a new password after checking the current one; every other session ends.

    Returns how many other sessions were ended.
    """
    if not check_password(user.password_hash, current):
        raise InvalidInput(N_("The current password is wrong."), field="current_password")
    _check_new_password(new)
    if new != confirm:
        raise InvalidInput(N_("The new password and its confirmation differ."), field="confirm")
    user.password_hash = hash_password(new)
    uow.commit()
    return end_sessions_of(uow, user.id, "password changed", keep=keep_session)


def user_with_email(uow: UnitOfWork, email: str) -> User | None:
    """The user signing in with ``email`` (any case), if there is one."""
    return uow.session.scalar(select(User).where(User.email == email.strip().lower()))


def set_active(uow: UnitOfWork, email: str, active: bool) -> User:
    """Deactivate (every session ends) or reactivate the user with ``email``."""
    user = user_with_email(uow, email)
    if user is None:
        raise NotFound(N_("No user with e-mail %(email)s."), values={"email": email})
    user.active = active
    uow.commit()
    if not active:
        end_sessions_of(uow, user.id, "deactivated")
    return user
