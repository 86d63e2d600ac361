"""Feeds and WordPress sites the desk imports articles from, and the items already imported."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, UTCDateTime, utcnow


class SourceKind(StrEnum):
    """How a source is read."""

    FEED = "feed"  # RSS or Atom, read with feedparser
    WORDPRESS = "wordpress"  # a WordPress site's REST API, /wp-json/wp/v2/posts


class Source(Base):
    """A source an admin added: where it is, what it becomes, and how its last poll went."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default=SourceKind.FEED)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500))
    source_language: Mapped[str] = mapped_column(String(20))
    target_languages: Mapped[str] = mapped_column(String(200))  # codes, comma-separated
    category: Mapped[str | None] = mapped_column(String(200))  # only items in it, if set
    tag: Mapped[str | None] = mapped_column(String(200))
    paused: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Conditional requests: what the server said last time.
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    # Polling: when next, how many failures in a row, and what happened last.
    next_poll_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_status: Mapped[str | None] = mapped_column(String(300))
    last_error: Mapped[str | None] = mapped_column(Text)

    items: Mapped[list[SourceItem]] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def targets(self) -> list[str]:
        """The target language codes, in order."""
        return [c for c in self.target_languages.split(",") if c]


class SourceItem(Base):
    """One item of a source, once imported: its GUID (unique per source) and its article."""

    __tablename__ = "source_items"
    __table_args__ = (UniqueConstraint("source_id", "guid", name="uq_source_items_guid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    guid: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(1000))
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"))
    digest: Mapped[str] = mapped_column(String(64))  # of title and body: a change is an update
    modified: Mapped[str | None] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    source: Mapped[Source] = relationship(back_populates="items")
