"""People managed in the desk by admins: invitations, roles and languages, deactivation,
password resets by one-time link, and each person's own profile. Every change is audited."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from workflow import audit, messages
from workflow.errors import N_, Conflict, Forbidden, InvalidInput, NotFound, Word
from workflow.languages import INTERFACE_LANGUAGES, get_language
from workflow.models import KINDS, ROLES, OneTimeLink, Preferences, User, utcnow
from workflow.permissions import Action, can, manages_people, needs_languages
from workflow.services import mail
from workflow.services.notifications import preferences, reader_of
from workflow.services.sessions import end_sessions_of
from workflow.services.users import _EMAIL, MIN_PASSWORD
from workflow.uow import UnitOfWork

INVITE_FOR = timedelta(days=7)
RESET_FOR = timedelta(hours=2)
NO_PASSWORD = "!unset"  # never a valid hash: nobody signs in before choosing a password
PURPOSES = {"invite": "/join/", "reset": "/reset/"}


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class LinkSent:
    """Whom a one-time link was made for, and the link itself (also in the e-mail), so an
    admin can hand it over in person when the desk has no mail server."""

    user: User
    url: str


def _admin(actor: User) -> None:
    if not can(actor, Action.MANAGE_PEOPLE):
        raise Forbidden(N_("Only admins manage people."))


def _record(uow: UnitOfWork, actor: User | None, action: str, note: str) -> None:
    audit.record(uow.session, action, actor=actor, note=note)


def _roles(roles: list[str]) -> str:
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise InvalidInput(N_("Pick at least one role among %(roles)s."),
                           values={"roles": ", ".join(ROLES)}, field="roles")
    return ",".join(sorted(set(roles)))


def _languages(codes: list[str], roles: str) -> str:
    found = sorted({get_language(c.strip()).code for c in codes if c.strip()})
    if needs_languages(roles.split(",")) and not found:
        raise InvalidInput(N_("A reviewer needs at least one language."), field="languages")
    return ",".join(found)


def _link(uow: UnitOfWork, user: User, purpose: str, actor: User | None,
          valid_for: timedelta) -> str:
    """A fresh one-time link for ``user``; older unused ones of that purpose stop working."""
    now = utcnow()
    uow.session.execute(update(OneTimeLink).where(
        OneTimeLink.user_id == user.id, OneTimeLink.purpose == purpose,
        OneTimeLink.used_at.is_(None)).values(used_at=now))
    secret = secrets.token_urlsafe(32)
    uow.session.add(OneTimeLink(user_id=user.id, purpose=purpose, token_hash=_hash(secret),
                                created_by_id=actor.id if actor else None,
                                expires_at=now + valid_for))
    return f"{uow.links_base.rstrip('/')}{PURPOSES[purpose]}{secret}"


def invite(uow: UnitOfWork, actor: User, email: object, name: object, roles: list[str],
           languages: list[str]) -> LinkSent:
    """Create the account and e-mail its owner a link to choose a password (7 days)."""
    _admin(actor)
    address = email.strip().lower() if isinstance(email, str) else ""
    if not _EMAIL.match(address):
        raise InvalidInput(N_("%(address)r is not an e-mail address."),
                           values={"address": address or Word(N_("That"))}, field="email")
    role_csv = _roles(roles)
    language_csv = _languages(languages, role_csv)
    if uow.session.scalar(select(User.id).where(User.email == address)) is not None:
        raise Conflict(N_("%(address)s already has an account."), values={"address": address})
    display = name.strip()[:200] if isinstance(name, str) else ""
    user = User(email=address, name=display, password_hash=NO_PASSWORD, roles_csv=role_csv,
                languages_csv=language_csv)
    uow.session.add(user)
    uow.session.flush()
    url = _send_invitation(uow, actor, user)
    _record(uow, actor, "user.invite", f"{address}: roles {role_csv}; languages "
            f"{language_csv or '-'}")
    uow.commit()
    return LinkSent(user, url)


def _send_invitation(uow: UnitOfWork, actor: User, user: User) -> str:
    url = _link(uow, user, "invite", actor, INVITE_FOR)
    reader = reader_of(user)
    mail.record(uow, user.email, messages.invitation_subject(reader),
                messages.invitation_body(reader, user.display_name, actor.display_name,
                                         sorted(user.roles), sorted(user.languages),
                                         INVITE_FOR.days, url))
    return url


def _invite_again(uow: UnitOfWork, actor: User, user: User) -> LinkSent:
    url = _send_invitation(uow, actor, user)
    _record(uow, actor, "user.invite_again", user.email)
    uow.commit()
    return LinkSent(user, url)


def _person(uow: UnitOfWork, user_id: int) -> User:
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No person with id %(user_id)s."), values={"user_id": user_id})
    return user


def update_person(uow: UnitOfWork, actor: User, user_id: int, roles: list[str],
                  languages: list[str]) -> User:
    """Set someone's roles and languages; an admin cannot take their own admin role away."""
    _admin(actor)
    user = _person(uow, user_id)
    role_csv = _roles(roles)
    if user.id == actor.id and not manages_people(role_csv.split(",")):
        raise InvalidInput(N_("You cannot take your own admin role away; ask another admin."),
                           field="roles")
    language_csv = _languages(languages, role_csv)
    before = f"roles {user.roles_csv}; languages {user.languages_csv or '-'}"
    user.roles_csv, user.languages_csv = role_csv, language_csv
    _record(uow, actor, "user.update", f"{user.email}: {before} → roles {role_csv}; "
            f"languages {language_csv or '-'}")
    uow.commit()
    return user


def set_person_active(uow: UnitOfWork, actor: User, user_id: int, active: bool) -> User:
    """Deactivate (every session ends) or reactivate someone; never yourself."""
    _admin(actor)
    user = _person(uow, user_id)
    if user.id == actor.id and not active:
        raise InvalidInput(N_("You cannot deactivate yourself; ask another admin."))
    user.active = active
    _record(uow, actor, "user.activate" if active else "user.deactivate", user.email)
    uow.commit()
    if not active:
        end_sessions_of(uow, user.id, "deactivated")
    return user


def send_reset(uow: UnitOfWork, actor: User, user_id: int) -> LinkSent:
    """E-mail someone a one-time link to choose a new password (2 hours); someone who has
    not yet accepted their invitation gets a fresh invitation instead."""
    _admin(actor)
    user = _person(uow, user_id)
    if not user.active:
        raise Conflict(N_("%(email)s is deactivated; reactivate the account first."),
                       values={"email": user.email})
    if user.password_hash == NO_PASSWORD:
        return _invite_again(uow, actor, user)
    url = _link(uow, user, "reset", actor, RESET_FOR)
    hours = int(RESET_FOR.total_seconds() // 3600)
    reader = reader_of(user)
    mail.record(uow, user.email, messages.reset_subject(reader),
                messages.reset_body(reader, user.display_name, hours, url))
    _record(uow, actor, "user.reset_password", f"reset link sent to {user.email}")
    uow.commit()
    return LinkSent(user, url)


def open_link(uow: UnitOfWork, purpose: str, secret: str) -> OneTimeLink:
    """The unused, unexpired link this secret belongs to; NotFound otherwise."""
    link = uow.session.scalar(select(OneTimeLink).where(
        OneTimeLink.token_hash == _hash(secret), OneTimeLink.purpose == purpose))
    if link is None or link.used_at is not None or link.expires_at <= utcnow() \
            or not link.user.active:
        raise NotFound(N_("This link is unknown, used or expired. Ask an admin for a new one."))
    return link


def choose_password(uow: UnitOfWork, purpose: str, secret: str, new: str,
                    confirm: str) -> User:
    """Set the password through a one-time link, which then stops working."""
    from workflow.passwords import hash_password

    link = open_link(uow, purpose, secret)
    if len(new) < MIN_PASSWORD:
        raise InvalidInput(N_("The password must have at least %(min)s characters."),
                           values={"min": MIN_PASSWORD},
                           field="password")
    if new != confirm:
        raise InvalidInput(N_("The password and its confirmation differ."), field="confirm")
    done = uow.session.execute(update(OneTimeLink).where(
        OneTimeLink.id == link.id, OneTimeLink.used_at.is_(None)).values(used_at=utcnow()))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(N_("This link has just been used. Ask an admin for a new one."))
    user = link.user
    user.password_hash = hash_password(new)
    _record(uow, user, "user.join" if purpose == "invite" else "user.password_reset",
            user.email)
    uow.commit()
    end_sessions_of(uow, user.id, "password reset")
    return user


def people(uow: UnitOfWork, actor: User) -> list[tuple[User, bool]]:
    """Everyone, with whether they still have to accept their invitation."""
    _admin(actor)
    pending = set(uow.session.scalars(select(User.id).where(User.password_hash == NO_PASSWORD)))
    return [(u, u.id in pending) for u in uow.session.scalars(select(User).order_by(User.email))]


def update_profile(uow: UnitOfWork, user: User, name: object, interface_language: object,
                   email_kinds: list[str]) -> Preferences:
    """The person's own name, interface language and what arrives by e-mail."""
    display = name.strip() if isinstance(name, str) else ""
    if len(display) > 200:
        raise InvalidInput(N_("The name can have at most 200 characters."), field="name")
    language = interface_language.strip() if isinstance(interface_language, str) else ""
    if language and language not in INTERFACE_LANGUAGES:
        raise InvalidInput(N_("%(language)r is not a language of the desk's interface; choose one "
                              "of %(languages)s."),
                           values={"language": language,
                                   "languages": ", ".join(INTERFACE_LANGUAGES)},
                           field="interface_language")
    unknown = [k for k in email_kinds if k not in KINDS]
    if unknown:
        raise InvalidInput(N_("Unknown notification kinds: %(unknown)s."),
                           values={"unknown": ", ".join(unknown)},
                           field="email_kinds")
    prefs = preferences(uow, user.id)
    uow.session.add(prefs)  # stored from the first change on
    prefs.interface_language = language
    prefs.email_kinds = ",".join(k for k in KINDS if k in email_kinds)
    user.name = display
    _record(uow, user, "user.profile", f"{user.email}: interface {language or 'browser'}; "
            f"e-mail for {prefs.email_kinds or 'nothing'}")
    uow.commit()
    return prefs
