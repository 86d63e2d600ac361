"""What the desk has learned from reviewers: per pair and engine, recent post-edit scores,
whether confidence predicted the edits, and which engine learned routing would pick."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import calibration
from workflow.errors import N_, Forbidden
from workflow.learned_routing import (
    Choice,
    EngineRecord,
    Interval,
    Policy,
    choose,
    key,
)
from workflow.models import Article, AuditEvent, PostEditScore, Translation, User
from workflow.permissions import Action, can
from workflow.settings import Settings

ROUTED = "translation.routed"  # the audit action of a learned routing decision


def quality_for(session: Session, actor: User, settings: Settings) -> list[PairQuality]:
    """The quality overview for someone on the desk's staff, with the configured policy."""
    if not can(actor, Action.SEE_QUALITY):
        raise Forbidden(N_("Only the desk's editors, reviewers and publishers see MT quality."))
    return overview(session, settings.learned, settings.calibration_min)


@dataclass(frozen=True)
class Scored:
    """One approved MT segment: its pair, engine, distance and confidence."""

    source: str
    target: str
    engine: str
    ter: float
    chrf: float
    confidence: float | None


def segment_scores(session: Session, source: str | None = None,
                   target: str | None = None) -> list[Scored]:
    """Every scored segment (newest first), of one pair or all of them."""
    query = (select(Article.source_language, PostEditScore.language, PostEditScore.engine,
                    PostEditScore.model, PostEditScore.ter, PostEditScore.chrf,
                    PostEditScore.confidence)
             .join(Translation, Translation.id == PostEditScore.translation_id)
             .join(Article, Article.id == Translation.article_id)
             .where(PostEditScore.segment_id.is_not(None))
             .order_by(PostEditScore.id.desc()))
    if source is not None and target is not None:
        query = query.where(Article.source_language == source, PostEditScore.language == target)
    return [Scored(src, tgt, key(engine, model), ter, chrf, conf)
            for src, tgt, engine, model, ter, chrf, conf in session.execute(query)]


def records(scores: Sequence[Scored], keys: Sequence[str], window: int) -> list[EngineRecord]:
    """For each engine in ``keys`` (in that order), its newest ``window`` scores."""
    chrf: dict[str, list[float]] = {k: [] for k in keys}
    ter: dict[str, list[float]] = {k: [] for k in keys}
    for s in scores:
        if s.engine in chrf and len(chrf[s.engine]) < window:
            chrf[s.engine].append(s.chrf)
            ter[s.engine].append(s.ter)
    return [EngineRecord(k, tuple(chrf[k]), tuple(ter[k])) for k in keys]


def records_for(session: Session, source: str, target: str, keys: Sequence[str],
                window: int) -> list[EngineRecord]:
    """The engines' recent scores on one pair, for learned routing."""
    return records(segment_scores(session, source, target), keys, window)


@dataclass
class PairQuality:
    """One language pair: its engines' scores, the choice, and how good confidence is."""

    source: str
    target: str
    engines: list[EngineRecord]
    choice: Choice | None
    last_decision: str | None = None
    confidence: dict[str, calibration.ConfidenceReport] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The pair in the API's terms."""
        def interval(i: Interval | None) -> dict[str, float] | None:
            return None if i is None else {"mean": round(i.mean, 2), "low": round(i.low, 2),
                                           "high": round(i.high, 2)}

        return {
            "source": self.source, "target": self.target,
            "engines": [{"engine": r.key, "samples": r.samples,
                         "chrf": interval(r.chrf_interval), "ter": interval(r.ter_interval),
                         "confidence": _report_json(self.confidence.get(r.key))}
                        for r in self.engines],
            "choice": None if self.choice is None else {
                "engine": self.choice.key, "why": self.choice.why},
            "last_decision": self.last_decision,
        }


def _report_json(r: calibration.ConfidenceReport | None) -> dict[str, object] | None:
    if r is None:
        return None
    cal = r.calibration
    return {"samples": r.samples,
            "spearman": None if r.spearman is None else round(r.spearman, 3),
            "edited_least_confident": r.edited_least, "edited_rest": r.edited_rest,
            "calibration": None if cal is None else [
                {"from": round(t, 4), "untouched": round(v, 3)}
                for t, v in zip(cal.thresholds, cal.values, strict=True)],
            "note": r.why_uncalibrated}


def overview(session: Session, policy: Policy, calibration_min: int) -> list[PairQuality]:
    """Every pair with scored segments: engines, the evidence's choice, confidence figures."""
    scores = segment_scores(session)
    by_pair: dict[tuple[str, str], list[Scored]] = {}
    for s in scores:
        by_pair.setdefault((s.source, s.target), []).append(s)
    decisions = last_decisions(session)
    out = []
    for (source, target), rows in sorted(by_pair.items()):
        keys = list(dict.fromkeys(s.engine for s in rows))
        recs = records(rows, keys, policy.window)
        conf: dict[str, list[tuple[float, float]]] = {}
        for s in rows:
            if s.confidence is not None:
                conf.setdefault(s.engine, []).append((s.confidence, s.ter))
        out.append(PairQuality(
            source, target, recs, choose(recs, policy) if recs else None,
            decisions.get((source, target)),
            {k: calibration.report(pairs, calibration_min) for k, pairs in conf.items()}))
    return out


def last_decisions(session: Session) -> dict[tuple[str, str], str]:
    """The newest learned-routing decision a worker recorded for each pair."""
    rows = session.execute(
        select(Article.source_language, Translation.language, AuditEvent.note)
        .join(Translation, Translation.id == AuditEvent.translation_id)
        .join(Article, Article.id == Translation.article_id)
        .where(AuditEvent.action == ROUTED).order_by(AuditEvent.id))
    return {(src, tgt): note or "" for src, tgt, note in rows}
