"""What the workers can translate, as they recorded it: the web reads this, never a model.

Each worker node writes, for every pair of the desk's languages it can serve, how it
would (``Apertium eng-spa``, a chain, a model) when it starts and again every few minutes
while it works. The dashboard and the API read these rows to tell an editor what will
translate each language before anything is submitted. The database holds them, like
everything that matters; a node that stops cleanly removes its rows, and rows older
than ``max_age`` are ignored (a node that died).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from workflow.models import EngineCapability, utcnow
from workflow.uow import UnitOfWork

NO_ENGINE = "no engine: a reviewer translates from the source"
UNKNOWN = "not known yet: no worker has said what it can translate"
MAX_AGE = timedelta(days=1)


@dataclass(frozen=True)
class Offer:
    """How one pair would be translated: an engine, a chain, or (``how`` None) by people."""

    source: str
    target: str
    how: str | None
    demo: bool = False
    chained: bool = False

    @property
    def words(self) -> str:
        """What will translate it, for an editor."""
        return self.how or NO_ENGINE


def record(uow: UnitOfWork, worker: str, offers: Iterable[Offer]) -> int:
    """Replace what ``worker`` can translate with ``offers`` (those with an engine)."""
    now = utcnow()
    uow.session.execute(delete(EngineCapability).where(EngineCapability.worker == worker))
    rows = [EngineCapability(worker=worker, source_language=o.source,
                             target_language=o.target, how=o.how[:500], demo=o.demo,
                             chained=o.chained, recorded_at=now)
            for o in offers if o.how]
    uow.session.add_all(rows)
    uow.commit()
    return len(rows)


def forget(uow: UnitOfWork, worker: str) -> None:
    """Remove a worker node's rows (it is stopping)."""
    uow.session.execute(delete(EngineCapability).where(EngineCapability.worker == worker))
    uow.commit()


def recorded_at(session: Session, worker: str) -> datetime | None:
    """When ``worker`` last recorded what it can translate."""
    return session.scalar(select(EngineCapability.recorded_at)
                          .where(EngineCapability.worker == worker).limit(1))


def offers(session: Session, source: str, targets: Sequence[str],
           max_age: timedelta = MAX_AGE) -> dict[str, Offer] | None:
    """Per target, the best way any live worker translates ``source`` into it.

    Real engines before demo models, direct before chains; a target no worker serves
    gets an offer with ``how`` None (people translate it). None when no worker has
    recorded anything lately: then nobody knows yet.
    """
    every = table(session, max_age, source)
    if every is None:
        return None
    mine = every.get(source, {})
    return {t: mine.get(t) or Offer(source, t, None) for t in targets}


def table(session: Session, max_age: timedelta = MAX_AGE, source: str | None = None,
          ) -> dict[str, dict[str, Offer]] | None:
    """Source → target → the best offer of any live worker (only pairs someone serves).

    None when no worker has recorded anything within ``max_age``.
    """
    fresh = EngineCapability.recorded_at >= utcnow() - max_age
    if session.scalar(select(EngineCapability.id).where(fresh).limit(1)) is None:
        return None
    query = select(EngineCapability).where(fresh)
    if source is not None:
        query = query.where(EngineCapability.source_language == source)
    best: dict[tuple[str, str], EngineCapability] = {}
    for row in session.scalars(query):
        key = (row.source_language, row.target_language)
        held = best.get(key)
        if held is None or (row.demo, row.chained, row.how) < (held.demo, held.chained,
                                                              held.how):
            best[key] = row
    out: dict[str, dict[str, Offer]] = {}
    for (src, tgt), row in best.items():
        out.setdefault(src, {})[tgt] = Offer(src, tgt, row.how, row.demo, row.chained)
    return out
