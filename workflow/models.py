"""The newsroom's records, as SQLAlchemy 2.0 mapped classes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from workflow.engine import MTResult


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    """Declarative base of every Linguadesk table."""


ROLES = ("editor", "reviewer", "publisher", "admin")


class User(Base):
    """Someone who works on the desk, with roles and (for reviewers) languages."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    roles_csv: Mapped[str] = mapped_column("roles", String(100), default="")
    languages_csv: Mapped[str] = mapped_column("languages", String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def roles(self) -> frozenset[str]:
        """The roles this user holds."""
        return frozenset(r for r in self.roles_csv.split(",") if r)

    @property
    def languages(self) -> frozenset[str]:
        """The languages this user reviews."""
        return frozenset(code for code in self.languages_csv.split(",") if code)

    def has_role(self, role: str) -> bool:
        """True when the user holds ``role``; admins hold every role."""
        return role in self.roles or "admin" in self.roles

    @property
    def display_name(self) -> str:
        """The name to show, falling back to the e-mail address."""
        return self.name or self.email


class ApiToken(Base):
    """A personal bearer token for the JSON API; only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    read_only: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user: Mapped[User] = relationship()

    def usable(self, now: datetime) -> bool:
        """True while the token is neither revoked nor expired."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Article(Base):
    """A story the newsroom publishes in several languages."""

    __tablename__ = "articles"

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
    state: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
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
    state: Mapped[str] = mapped_column(String(20), default="mt")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    translation: Mapped[Translation] = relationship(back_populates="segments")
    edited_by: Mapped[User | None] = relationship()

    @classmethod
    def from_mt(cls, translation_id: int, source_segment_id: int, position: int, kind: str,
                source_text: str, result: MTResult) -> TranslatedSegment:
        """A fresh machine draft of one source segment, with what MT asks to be checked."""
        flags = [{"code": f.code, "message": f.message} for f in result.flags]
        return cls(translation_id=translation_id, source_segment_id=source_segment_id,
                   position=position, kind=kind, source_text=source_text,
                   mt_text=result.text, engine=result.engine, model=result.model,
                   text=result.text, state="mt", mt_flags=json.dumps(flags) if flags else None)

    @classmethod
    def for_people(cls, translation_id: int, source_segment_id: int, position: int, kind: str,
                   source_text: str, why: str) -> TranslatedSegment:
        """An empty target for a reviewer to translate from the source (no engine serves)."""
        flags = [{"code": "no_engine", "message": why}]
        return cls(translation_id=translation_id, source_segment_id=source_segment_id,
                   position=position, kind=kind, source_text=source_text, mt_text=None,
                   engine=None, model=None, text="", state="untranslated",
                   mt_flags=json.dumps(flags))

    @property
    def flags(self) -> list[dict[str, str]]:
        """What machine translation asks the reviewer to check: ``[{code, message}]``."""
        return list(json.loads(self.mt_flags)) if self.mt_flags else []


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


class AuditEvent(Base):
    """Who did what to which object, written in the same transaction as the change."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(50))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    translation_id: Mapped[int | None] = mapped_column(
        ForeignKey("translations.id", ondelete="CASCADE")
    )
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship()
    translation: Mapped[Translation | None] = relationship(back_populates="events")


# Tables that live in modules of their own register with Base here, so Alembic sees them.
import workflow.capabilities  # noqa: E402
import workflow.indexes  # noqa: E402
import workflow.mt_cache  # noqa: E402
import workflow.outdated  # noqa: E402
import workflow.review_models  # noqa: E402
import workflow.sessions_model  # noqa: E402
import workflow.webhooks_model  # noqa: E402, F401
