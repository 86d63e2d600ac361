"""The review desk's records: sign-in attempts, claims, comments, QA overrides, the
translation memory, the glossary and post-edit scores."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models import Base, User, UTCDateTime, utcnow


class LoginAttempt(Base):
    """One try at signing in, kept in the database so rate limits survive restarts."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_address_at", "address", "at"),
                      Index("ix_login_attempts_email_at", "email", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    address: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(255))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)


class Assignment(Base):
    """Who works on a translation: claimed by a reviewer or assigned by an editor."""

    __tablename__ = "assignments"

    translation_id: Mapped[int] = mapped_column(
        ForeignKey("translations.id", ondelete="CASCADE"), primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])


class Comment(Base):
    """A remark on one segment, or on the whole translation when ``segment_id`` is None."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("translations.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("translated_segments.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User] = relationship()


class QAOverride(Base):
    """A QA warning someone chose to let through, with the reason they gave."""

    __tablename__ = "qa_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("translations.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("translated_segments.id", ondelete="CASCADE"))
    check: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MemoryEntry(Base):
    """A confirmed segment of an approved translation, reusable for the same source text."""

    __tablename__ = "memory_entries"
    __table_args__ = (UniqueConstraint("source_language", "target_language", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_language: Mapped[str] = mapped_column(String(8))
    target_language: Mapped[str] = mapped_column(String(8))
    source_key: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    translation_id: Mapped[int | None] = mapped_column(
        ForeignKey("translations.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class GlossaryTerm(Base):
    """A term and how it is rendered in one language (or kept as it is)."""

    __tablename__ = "glossary_terms"
    __table_args__ = (UniqueConstraint("term", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    translation: Mapped[str] = mapped_column(String(200), default="")
    do_not_translate: Mapped[bool] = mapped_column(Boolean, default=False)
    forbidden: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")


class PostEditScore(Base):
    """How far the reviewer moved from the MT output: per segment, or per translation."""

    __tablename__ = "post_edit_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("translations.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("translated_segments.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    engine: Mapped[str] = mapped_column(String(400))
    segments: Mapped[int] = mapped_column(Integer, default=1)
    ter: Mapped[float] = mapped_column(Float)
    chrf: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
