"""What a source update retired: a translated segment whose source changed or vanished."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.models.base import Base, UTCDateTime, utcnow
from workflow.models.states import MACHINE_STATES
from workflow.models.users import User


class OutdatedSegment(Base):
    """A translated segment kept, reviewer's text and all, after its source text changed.

    ``replaced_by_id`` is the new version's source segment that took its place (None when
    the paragraph was removed), so the reviewer sees the old and the new source side by side.
    """

    __tablename__ = "outdated_segments"
    __table_args__ = (Index("ix_outdated_segments_translation", "translation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translations.id", ondelete="CASCADE"))
    version_number: Mapped[int] = mapped_column(Integer)
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_segments.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    source_text: Mapped[str] = mapped_column(Text)
    new_source_text: Mapped[str | None] = mapped_column(Text)
    mt_text: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))
    revision: Mapped[int] = mapped_column(Integer)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outdated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    edited_by: Mapped[User | None] = relationship()

    @property
    def reviewed(self) -> bool:
        """True when a reviewer had written this text (not just the machine)."""
        return self.edited_by_id is not None or self.state not in MACHINE_STATES
