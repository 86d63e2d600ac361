"""Review where it matters: a language's policy pre-confirms the machine drafts the engine
was sure of and that need nothing (identical to the memory's match, or passing QA).

Off unless a publisher sets a threshold for the language. Reviewers still see every
pre-confirmed segment (collapsed), and each decision is audited and kept on the segment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from workflow import audit, memory
from workflow.errors import N_, Said, dumped
from workflow.glossary import qa_terms, terms_for
from workflow.models import ReviewPolicy, SegmentState, TranslatedSegment
from workflow.qa import Issue, check_segment

ACTION = "segment.preconfirmed"


def decide(confidence: float | None, threshold: float, tm_identical: bool,
           issues: Sequence[Issue]) -> Said | None:
    """Why a draft is pre-confirmed, in words; None when a reviewer must confirm it."""
    if confidence is None or confidence <= threshold:
        return None
    values = {"confidence": f"{confidence:.2f}", "threshold": f"{threshold:.2f}"}
    if tm_identical:
        return Said(N_("confidence %(confidence)s above %(threshold)s and identical to the "
                       "translation memory's match"), values=values)
    if not issues:
        return Said(N_("confidence %(confidence)s above %(threshold)s and QA passes"),
                    values=values)
    return None


@dataclass(frozen=True)
class Decided:
    """One segment the policy pre-confirmed."""

    position: int
    why: str


def apply(session: Session, segments: Sequence[TranslatedSegment], source: str, target: str,
          translation_id: int, article_id: int) -> list[Decided]:
    """Mark the fresh machine drafts the language's policy pre-confirms; audit each one."""
    policy = session.get(ReviewPolicy, target)
    drafts = [s for s in segments if s.state == SegmentState.MT and s.confidence is not None]
    if policy is None or not drafts:
        return []
    terms = qa_terms(terms_for(session, target))
    remembered = memory.exact_hits(session, source, target, [s.source_text for s in drafts])
    decided = []
    for seg in drafts:
        same = remembered.get(memory.source_key(seg.source_text)) == seg.text
        why = decide(seg.confidence, policy.min_confidence, same,
                     check_segment(seg.source_text, seg.text, terms))
        if why is None:
            continue
        note = Said(N_("Pre-confirmed by the %(language)s review policy: %(why)s."),
                    values={"language": target, "why": why})
        seg.preconfirmed, seg.preconfirmed_detail = note.message, dumped(note)
        audit.record(session, ACTION, translation_id=translation_id, article_id=article_id,
                     note=f"segment {seg.position}: {why.message}")
        decided.append(Decided(seg.position, why.message))
    return decided
