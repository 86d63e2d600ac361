"""What the MT engines did and can do: cached outputs and each worker's recorded pairs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base, UTCDateTime, utcnow


class MTCacheEntry(Base):
    """One engine output for one input text."""

    __tablename__ = "mt_cache"
    __table_args__ = (
        Index("ux_mt_cache_key", "engine", "model", "source_language", "target_language",
              "text_hash", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    engine: Mapped[str] = mapped_column(String(100))
    model: Mapped[str] = mapped_column(String(300))
    source_language: Mapped[str] = mapped_column(String(8))
    target_language: Mapped[str] = mapped_column(String(8))
    text_hash: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    output: Mapped[str] = mapped_column(Text)
    # the engine's 0–1 confidence in ``output``, so a cache hit keeps it (None: no scores)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EngineCapability(Base):
    """One pair one worker node can translate, and how."""

    __tablename__ = "engine_capabilities"
    __table_args__ = (Index("ux_engine_capabilities", "worker", "source_language",
                            "target_language", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker: Mapped[str] = mapped_column(String(200))
    source_language: Mapped[str] = mapped_column(String(8))
    target_language: Mapped[str] = mapped_column(String(8))
    how: Mapped[str] = mapped_column(String(500))
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    chained: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
