"""Post-edit distance between the MT output and the approved text: TER and chrF."""

from __future__ import annotations

from datetime import date

from sacrebleu.metrics import CHRF, TER
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.models import PostEditScore, Translation

_TER, _CHRF = TER(), CHRF()


def score(mt: str, final: str) -> tuple[float, float]:
    """(TER, chrF) of the MT output against the final text: TER 0 and chrF 100 = untouched."""
    return (_TER.sentence_score(mt, [final]).score, _CHRF.sentence_score(mt, [final]).score)


def record(session: Session, t: Translation) -> PostEditScore | None:
    """Score each machine-translated segment of ``t`` and the whole translation."""
    pairs = [(s, s.mt_text) for s in t.segments if s.mt_text]
    if not pairs:
        return None
    for seg, mt in pairs:
        ter, chrf = score(mt, seg.text)
        session.add(PostEditScore(translation_id=t.id, segment_id=seg.id, language=t.language,
                                  engine=seg.engine or "?", model=seg.model, ter=ter,
                                  chrf=chrf, confidence=seg.confidence))
    engines = sorted({f"{s.engine}" for s, _ in pairs})
    hyps, refs = [mt for _, mt in pairs], [[s.text for s, _ in pairs]]
    whole = PostEditScore(translation_id=t.id, segment_id=None, language=t.language,
                          engine=", ".join(engines), segments=len(pairs),
                          ter=_TER.corpus_score(hyps, refs).score,
                          chrf=_CHRF.corpus_score(hyps, refs).score)
    session.add(whole)
    return whole


def by_engine_language_day(session: Session) -> list[dict[str, object]]:
    """Per engine, language and day: mean TER and chrF of approved translations."""
    rows = session.scalars(select(PostEditScore).where(PostEditScore.segment_id.is_(None))
                           .order_by(PostEditScore.at))
    groups: dict[tuple[str, str, date], list[PostEditScore]] = {}
    for r in rows:
        groups.setdefault((r.engine, r.language, r.at.date()), []).append(r)
    return [{"engine": e, "language": lang, "day": d.isoformat(), "translations": len(rs),
             "segments": sum(r.segments for r in rs),
             "ter": sum(r.ter for r in rs) / len(rs), "chrf": sum(r.chrf for r in rs) / len(rs)}
            for (e, lang, d), rs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1],
                                                                            kv[0][2]))]
