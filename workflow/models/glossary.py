"""The glossary: how a term is rendered in each language."""

from __future__ import annotations

from sqlalchemy import Boolean, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workflow.models.base import Base


class GlossaryTerm(Base):
    """A term and how it is rendered in one language (or kept as it is)."""

    __tablename__ = "glossary_terms"
    __table_args__ = (UniqueConstraint("term", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    translation: Mapped[str] = mapped_column(String(200), default="")
    do_not_translate: Mapped[bool] = mapped_column(Boolean, default=False)
    forbidden: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
