"""Each edition's own addresses: its current slug and the former ones that redirect."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, UTCDateTime, utcnow


class EditionSlug(Base):
    """One address an edition has, or had (``current`` False: it redirects)."""

    __tablename__ = "edition_slugs"
    __table_args__ = (UniqueConstraint("language", "slug"),
                      Index("ix_edition_slugs_article_language", "article_id", "language"))

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    slug: Mapped[str] = mapped_column(String(200))
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
