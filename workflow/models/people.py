"""People's records: one-time links, preferences, notifications, the e-mail outbox and
the progress of translation jobs as the pipeline works."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, UTCDateTime, utcnow
from workflow.models.states import EmailState
from workflow.models.users import User

# What a notification is about; each can also arrive by e-mail, as the user chooses.
KINDS: dict[str, str] = {
    "assigned": "A draft is assigned to me",
    "waiting": "Drafts in my languages are waiting (a daily digest)",
    "due_soon": "A draft of mine is due within 24 hours",
    "overdue": "A draft of mine is overdue",
    "sent_back": "A translation is sent back to me",
    "mentioned": "Someone mentions me in a comment",
    "published": "A translation I worked on is published",
}


class OneTimeLink(Base):
    """An invitation or password reset: a secret link usable once, until it expires.

    Only the SHA-256 of the secret is kept, so the table cannot be used to sign in.
    """

    __tablename__ = "one_time_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # invite / reset
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Preferences(Base):
    """A user's own settings: interface language and what arrives by e-mail."""

    __tablename__ = "user_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    interface_language: Mapped[str] = mapped_column(String(8), default="")  # "" = browser's
    email_kinds: Mapped[str] = mapped_column(String(300), default=",".join(KINDS))

    @property
    def emailed(self) -> frozenset[str]:
        """The kinds of notification this user also gets by e-mail."""
        return frozenset(k for k in self.email_kinds.split(",") if k)


class Notification(Base):
    """Something a person should know, shown under the bell until read.

    ``once_key`` makes a reminder happen once however often the beat runs.
    """

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(300), default="")  # a path on the desk
    translation_id: Mapped[int | None] = mapped_column(
        ForeignKey("translations.id", ondelete="CASCADE"))
    once_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OutboundEmail(Base):
    """One e-mail in the outbox: written with the change, sent by a worker after commit."""

    __tablename__ = "outbound_emails"
    __table_args__ = (Index("ix_outbound_emails_state", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default=EmailState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TranslationProgress(Base):
    """How many sentences of a job the engine has done, written as the pipeline works."""

    __tablename__ = "translation_progress"

    translation_id: Mapped[int] = mapped_column(
        ForeignKey("translations.id", ondelete="CASCADE"), primary_key=True)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
