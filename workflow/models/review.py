"""The review desk's records: claims, comments, QA overrides and post-edit scores."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, UTCDateTime, utcnow
from workflow.models.users import User


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
    model: Mapped[str | None] = mapped_column(String(300))  # per segment: what routing picks
    segments: Mapped[int] = mapped_column(Integer, default=1)
    ter: Mapped[float] = mapped_column(Float)
    chrf: Mapped[float] = mapped_column(Float)
    confidence: Mapped[float | None] = mapped_column(Float)  # the segment's, at approval
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
