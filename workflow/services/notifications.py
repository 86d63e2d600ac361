"""Notifications: in the desk under the bell, and by e-mail for the kinds a person chose."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from sqlalchemy import func, select, update

from workflow import messages
from workflow.email_html import notification_html
from workflow.i18n import Reader
from workflow.models import KINDS, Notification, Preferences, User, utcnow
from workflow.services import mail
from workflow.uow import UnitOfWork

# "@ana" mentions the person whose e-mail address starts "ana@" (case does not matter).
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9][A-Za-z0-9._+-]{0,63})")

Say = Callable[[Reader], str]
"""A text as a function of its reader (see ``workflow.messages``): written in their language."""


def preferences(uow: UnitOfWork, user_id: int) -> Preferences:
    """The user's preferences; the defaults (not stored) until they change them."""
    prefs = uow.session.get(Preferences, user_id)
    if prefs is None:
        prefs = Preferences(user_id=user_id, interface_language="", email_kinds=",".join(KINDS))
    return prefs


def interface_language(user: User) -> str:
    """The language the person wants the desk in; "" means as their browser asks.

    Their preferences come loaded with them (``session_user`` joins them in): no query.
    """
    return user.preferences.interface_language if user.preferences is not None else ""


def reader_of(user: User) -> Reader:
    """The person as a reader: their interface language, English when they chose none."""
    return Reader(interface_language(user))


def notify(uow: UnitOfWork, user: User, kind: str, message: Say, link: str = "",
           translation_id: int | None = None, once_key: str | None = None,
           details: Say | str = "") -> Notification | None:
    """Tell ``user`` in the desk, and by e-mail if they chose this kind (caller commits).

    ``message`` and ``details`` are written for the person, in their interface language;
    the desk keeps the text as they read it then (a later change of language applies to
    later notifications). ``details`` given as a plain string is their own words (a comment).

    With ``once_key``, a notification already given under that key is not given again
    (None is returned): reminders run on every beat but arrive once.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not user.active:
        return None
    if once_key is not None and uow.session.scalar(
            select(Notification.id).where(Notification.once_key == once_key)) is not None:
        return None
    reader = reader_of(user)
    text = message(reader)
    row = Notification(user_id=user.id, kind=kind, message=text, link=link,
                       translation_id=translation_id, once_key=once_key)
    uow.session.add(row)
    if kind in preferences(uow, user.id).emailed:
        _email(uow, user, reader, text, link,
               details if isinstance(details, str) else details(reader))
    return row


def _email(uow: UnitOfWork, user: User, reader: Reader, message: str, link: str,
           details: str) -> None:
    """The notification as an e-mail in the reader's language: plain text, and simple HTML."""
    base = uow.links_base.rstrip("/")
    url = f"{base}{link}" if link else ""
    account = f"{base}/account"
    hello = messages.hello(reader, user.display_name)
    choose = messages.choose_kinds(reader)
    open_it = messages.open_in_desk(reader)
    text = "\n\n".join(part for part in (
        hello, message, details, f"{open_it}: {url}" if url else "",
        f"{choose} {account}") if part)
    mail.record(uow, user.email, messages.subject(reader, message), text + "\n",
                notification_html(hello, message, details, url, choose, account,
                                  open_it=open_it, lang=reader.locale,
                                  direction=reader.direction))


def mentioned_users(uow: UnitOfWork, text: str) -> list[User]:
    """The active people ``@handle`` names in ``text`` (handle: the e-mail before the @)."""
    handles = {h.lower().rstrip(".") for h in MENTION.findall(text)}
    if not handles:
        return []
    users = uow.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id))
    return [u for u in users if u.email.split("@", 1)[0].lower() in handles]


def unread_count(uow: UnitOfWork, user_id: int) -> int:
    """How many notifications the user has not read."""
    return int(uow.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0)


def recent(uow: UnitOfWork, user_id: int, limit: int = 100) -> list[Notification]:
    """The user's newest notifications."""
    return list(uow.session.scalars(select(Notification).where(Notification.user_id == user_id)
                                    .order_by(Notification.id.desc()).limit(limit)))


def mark_read(uow: UnitOfWork, user_id: int, ids: Iterable[int] | None = None) -> None:
    """Mark the user's notifications read (all of them, or those in ``ids``)."""
    query = update(Notification).where(Notification.user_id == user_id,
                                       Notification.read_at.is_(None))
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    uow.session.execute(query.values(read_at=utcnow()))
    uow.commit()
