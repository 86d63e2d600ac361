"""One article into one language: the job, its translated segments and their provenance."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.engine import Flag, MTResult
from workflow.errors import fill
from workflow.languages import Languages
from workflow.models.articles import Article
from workflow.models.base import Base, UTCDateTime, utcnow
from workflow.models.states import SegmentState, State
from workflow.models.users import User

if TYPE_CHECKING:
    from workflow.models.audit import AuditEvent


class Translation(Base):
    """One article into one target language: a job with a state, attempts and a lease."""

    __tablename__ = "translations"
    __table_args__ = (
        UniqueConstraint("article_id", "language"),
        Index("ix_translations_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    version_number: Mapped[int] = mapped_column(Integer, default=1)
    state: Mapped[str] = mapped_column(String(20), default=State.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)  # why the job stopped, in English
    # The same as workflow.errors.dumped keeps it (template and values), so each reader is
    # told in their language; None on rows from before, which show their English.
    error_detail: Mapped[str | None] = mapped_column(Text)
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    article: Mapped[Article] = relationship(back_populates="translations")
    segments: Mapped[list[TranslatedSegment]] = relationship(
        back_populates="translation", order_by="TranslatedSegment.position",
        cascade="all, delete-orphan",
    )
    events: Mapped[list[AuditEvent]] = relationship(
        back_populates="translation", order_by="AuditEvent.id", cascade="all, delete-orphan"
    )


class TranslatedSegment(Base):
    """A translated unit with its provenance: MT output, engine, the reviewer's text."""

    __tablename__ = "translated_segments"
    __table_args__ = (
        UniqueConstraint("translation_id", "source_segment_id"),
        UniqueConstraint("translation_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translations.id", ondelete="CASCADE"))
    source_segment_id: Mapped[int] = mapped_column(ForeignKey("source_segments.id"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="paragraph")
    source_text: Mapped[str] = mapped_column(Text)
    mt_text: Mapped[str | None] = mapped_column(Text)
    engine: Mapped[str | None] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    mt_flags: Mapped[str | None] = mapped_column(Text)  # JSON list of {code, message}
    # 0–1, how sure the engine was (workflow/confidence.py); None for Apertium, TM, people.
    confidence: Mapped[float | None] = mapped_column(Float)
    # Why the language's review policy pre-confirmed this draft; None when it did not.
    preconfirmed: Mapped[str | None] = mapped_column(Text)
    preconfirmed_detail: Mapped[str | None] = mapped_column(Text)  # as error_detail
    state: Mapped[str] = mapped_column(String(20), default=SegmentState.MT)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    translation: Mapped[Translation] = relationship(back_populates="segments")
    edited_by: Mapped[User | None] = relationship()

    @classmethod
    def from_mt(cls, translation_id: int, source_segment_id: int, position: int, kind: str,
                source_text: str, result: MTResult,
                source_changed: bool = False) -> TranslatedSegment:
        """A fresh machine draft of one source segment, with what MT asks to be checked.

        ``source_changed``: the segment replaces one a source update set aside, so it is
        outdated (the reviewer's earlier text waits on the changes page) until reviewed.
        """
        flags = [_stored(f) for f in result.flags]
        return cls(translation_id=translation_id, source_segment_id=source_segment_id,
                   position=position, kind=kind, source_text=source_text,
                   mt_text=result.text, engine=result.engine, model=result.model,
                   text=result.text,
                   state=SegmentState.OUTDATED if source_changed else SegmentState.MT,
                   mt_flags=json.dumps(flags) if flags else None,
                   confidence=result.confidence)

    @classmethod
    def for_people(cls, translation_id: int, source_segment_id: int, position: int, kind: str,
                   source_text: str, why: Flag) -> TranslatedSegment:
        """An empty target for a reviewer to translate from the source (no engine serves)."""
        flags = [_stored(why)]
        return cls(translation_id=translation_id, source_segment_id=source_segment_id,
                   position=position, kind=kind, source_text=source_text, mt_text=None,
                   engine=None, model=None, text="", state=SegmentState.UNTRANSLATED,
                   mt_flags=json.dumps(flags))

    @property
    def flags(self) -> list[dict[str, str]]:
        """What machine translation asks the reviewer to check: ``[{code, message}]``, the
        messages in English."""
        return [{"code": f["code"], "message": f["message"]} for f in self._flags()]

    def flags_in(self, gettext: Callable[[str], str],
                 name: Callable[[Languages], str] = str) -> list[dict[str, str]]:
        """``flags`` in the language ``gettext`` translates into, with languages named by
        ``name``; a flag stored before flags kept their template keeps its English."""
        return [{"code": f["code"], "message": fill(gettext(f["template"]),
                                                    _values(f.get("values") or {}, name), gettext)
                 if f.get("template") else f["message"]} for f in self._flags()]

    def _flags(self) -> list[dict[str, Any]]:
        return list(json.loads(self.mt_flags)) if self.mt_flags else []


def _stored(flag: Flag) -> dict[str, object]:
    """A flag as the segment keeps it: its English, and its template and values for readers
    of other languages."""
    values = {k: {"languages": list(v)} if isinstance(v, Languages) else v
              for k, v in flag.values.items()}
    return {"code": flag.code, "message": flag.message, "template": flag.template,
            "values": values}


def _values(stored: dict[str, Any], name: Callable[[Languages], str]) -> dict[str, object]:
    """A stored flag's values for its template, its languages named for the reader."""
    return {k: name(Languages(v["languages"])) if isinstance(v, dict) and "languages" in v
            else v for k, v in stored.items()}
