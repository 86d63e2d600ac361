"""What readers see: versioned snapshots of each published edition."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.articles import Article
from workflow.models.base import Base, UTCDateTime, utcnow


class Publication(Base):
    """A versioned snapshot of one published edition (the source or a translation)."""

    __tablename__ = "publications"
    __table_args__ = (UniqueConstraint("article_id", "language", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    number: Mapped[int] = mapped_column(Integer)
    translation_id: Mapped[int | None] = mapped_column(ForeignKey("translations.id"))
    title: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)  # the standfirst, for feeds and search
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    article: Mapped[Article] = relationship()
