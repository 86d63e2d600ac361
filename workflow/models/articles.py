"""A story and its immutable versions, cut into source segments."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, UTCDateTime, utcnow
from workflow.models.users import User

if TYPE_CHECKING:
    from workflow.models.translations import Translation


class Article(Base):
    """A story the newsroom publishes in several languages."""

    __tablename__ = "articles"
    # The dashboard lists articles newest first, one page at a time.
    __table_args__ = (Index("ix_articles_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    source_language: Mapped[str] = mapped_column(String(8))
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    versions: Mapped[list[ArticleVersion]] = relationship(
        back_populates="article", order_by="ArticleVersion.number", cascade="all, delete-orphan"
    )
    translations: Mapped[list[Translation]] = relationship(
        back_populates="article", order_by="Translation.language", cascade="all, delete-orphan"
    )
    created_by: Mapped[User | None] = relationship()

    @property
    def latest(self) -> ArticleVersion:
        """The version the desk currently works from."""
        return next(v for v in self.versions if v.number == self.current_version)


class ArticleVersion(Base):
    """An immutable snapshot of what the editor submitted."""

    __tablename__ = "article_versions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(20), default="text")
    # Untranslated metadata from ingestion: standfirst, author, date, source, credits.
    meta: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    article: Mapped[Article] = relationship(back_populates="versions")
    segments: Mapped[list[SourceSegment]] = relationship(
        back_populates="version", order_by="SourceSegment.position", cascade="all, delete-orphan"
    )


class SourceSegment(Base):
    """One translatable unit of a version: the title, a paragraph, …"""

    __tablename__ = "source_segments"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("article_versions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    # Placeholder id → real inline markup for the <g1>…</g1>/<x1/> tags in ``text``.
    markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    version: Mapped[ArticleVersion] = relationship(back_populates="segments")
