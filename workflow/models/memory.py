"""The translation memory: confirmed segments, reusable for the same source text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, UTCDateTime, utcnow


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
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)  # created
    # Who wrote the target (an e-mail, or a TMX creationid), and when it last changed.
    created_by: Mapped[str | None] = mapped_column(String(255))
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def last_changed(self) -> datetime:
        """When the target was last written."""
        return self.changed_at or self.at
