"""The translation memory: confirmed segments of approved translations, reused by source text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.confidence import from_fuzzy_match
from workflow.models import MemoryEntry, utcnow

ENGINE = "translation memory"
FUZZY_LIMIT = 3
FUZZY_CUTOFF = 70.0
FUZZY_POOL = 5000  # the newest entries of a language pair the fuzzy search looks through


def source_key(text: str) -> str:
    """The lookup key of a source text: whitespace-normalised, hashed."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


@dataclass(frozen=True)
class Match:
    """A memory entry similar to a segment's source, with its similarity in percent."""

    source: str
    target: str
    score: float

    @property
    def confidence(self) -> float:
        """The match's confidence: its similarity in percent, /100."""
        return from_fuzzy_match(self.score)


def exact_hits(session: Session, source_language: str, target_language: str,
               texts: list[str]) -> dict[str, str]:
    """The remembered translation of each text that has one, by source key."""
    keys = {source_key(t) for t in texts}
    if not keys:
        return {}
    rows = session.execute(
        select(MemoryEntry.source_key, MemoryEntry.target_text)
        .where(MemoryEntry.source_language == source_language,
               MemoryEntry.target_language == target_language,
               MemoryEntry.source_key.in_(sorted(keys)))
    )
    return {key: target for key, target in rows}


def remember(session: Session, source_language: str, target_language: str, source: str,
             target: str, translation_id: int | None, by: str | None = None) -> None:
    """Keep ``source → target``; a newer approved translation replaces an older one."""
    key = source_key(source)
    entry = session.scalars(
        select(MemoryEntry).where(MemoryEntry.source_language == source_language,
                                  MemoryEntry.target_language == target_language,
                                  MemoryEntry.source_key == key)
    ).one_or_none()
    if entry is None:
        session.add(MemoryEntry(source_language=source_language, target_language=target_language,
                                source_key=key, source_text=source, target_text=target,
                                translation_id=translation_id, created_by=by))
    elif entry.target_text != target:
        entry.target_text, entry.translation_id = target, translation_id
        entry.created_by, entry.changed_at = by, utcnow()


def fuzzy_matches(session: Session, source_language: str, target_language: str,
                  texts: list[str]) -> dict[str, list[Match]]:
    """For each text, the closest remembered sources (not exact) with their percentage."""
    pool = list(session.execute(
        select(MemoryEntry.source_text, MemoryEntry.target_text)
        .where(MemoryEntry.source_language == source_language,
               MemoryEntry.target_language == target_language)
        .order_by(MemoryEntry.id.desc()).limit(FUZZY_POOL)
    ))
    sources = [s for s, _ in pool]
    found: dict[str, list[Match]] = {}
    for text in texts:
        hits = process.extract(text, sources, scorer=fuzz.ratio, limit=FUZZY_LIMIT + 1,
                               score_cutoff=FUZZY_CUTOFF)
        found[text] = [Match(pool[i][0], pool[i][1], round(score, 1))
                       for _, score, i in hits if pool[i][0] != text][:FUZZY_LIMIT]
    return found
