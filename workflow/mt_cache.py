"""The MT cache: unchanged text is never sent to the same engine and model twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflow.models import MTCacheEntry
from workflow.mt_pipeline import CachedOutput
from workflow.uow import UnitOfWork


def text_hash(text: str) -> str:
    """The key a text is cached under."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DatabaseMTCache:
    """The MT cache in the desk's database; each call is its own short transaction."""

    def __init__(self, new_uow: Callable[[], UnitOfWork]) -> None:
        self.new_uow = new_uow

    def get_many(self, engine: str, model: str, source: str, target: str,
                 texts: Sequence[str]) -> dict[str, CachedOutput]:
        """Cached outputs for those ``texts`` that have one (with the engine's confidence,
        None for entries cached before it was kept)."""
        by_hash = {text_hash(t): t for t in texts}
        found: dict[str, CachedOutput] = {}
        keys = list(by_hash)
        with self.new_uow() as uow:
            for start in range(0, len(keys), 500):
                rows = uow.session.execute(select(MTCacheEntry.text_hash, MTCacheEntry.output,
                                                  MTCacheEntry.confidence)
                                           .where(MTCacheEntry.engine == engine,
                                                  MTCacheEntry.model == model,
                                                  MTCacheEntry.source_language == source,
                                                  MTCacheEntry.target_language == target,
                                                  MTCacheEntry.text_hash.in_(
                                                      keys[start:start + 500])))
                found.update({by_hash[h]: CachedOutput(out, conf) for h, out, conf in rows})
        return found

    def put_many(self, engine: str, model: str, source: str, target: str,
                 outputs: dict[str, CachedOutput]) -> None:
        """Remember outputs; an entry another worker wrote meanwhile is left as it is."""
        def row(text: str, output: CachedOutput) -> MTCacheEntry:
            return MTCacheEntry(engine=engine, model=model, source_language=source,
                                target_language=target, text_hash=text_hash(text),
                                source_text=text, output=output.text,
                                confidence=output.confidence)

        with self.new_uow() as uow:
            uow.session.add_all([row(t, o) for t, o in outputs.items()])
            try:
                uow.commit()
                return
            except IntegrityError:
                uow.rollback()
        for text, output in outputs.items():  # someone raced us: keep what is new, one by one
            with self.new_uow() as uow:
                uow.session.add(row(text, output))
                try:
                    uow.commit()
                except IntegrityError:
                    uow.rollback()
