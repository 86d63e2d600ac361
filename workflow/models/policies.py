"""A publisher's review policy per language: which machine drafts may be pre-confirmed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, UTCDateTime, utcnow


class ReviewPolicy(Base):
    """Pre-confirm segments above ``min_confidence`` that pass QA (off when absent)."""

    __tablename__ = "review_policies"

    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    min_confidence: Mapped[float] = mapped_column(Float)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
