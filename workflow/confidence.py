"""How sure an engine was of a translation: a 0–1 figure per sentence and per segment.

Neural engines score each output with the log-probability of its tokens; the confidence
of a sentence is ``exp`` of the mean log-probability per token (the geometric mean of the
token probabilities). A segment is as confident as its least confident sentence: one
doubtful sentence is what a reviewer has to find. Engines without scores (Apertium), the
translation memory's exact matches and people's text have no confidence (None).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

LOW = 0.8  # below this the workspace marks a segment (raw, before any calibration)


def from_mean_log_prob(mean_log_prob: float) -> float | None:
    """A sentence's confidence from its length-normalised log-probability (≤ 0)."""
    if math.isnan(mean_log_prob):
        return None
    return min(1.0, max(0.0, math.exp(min(mean_log_prob, 0.0))))


def from_token_log_probs(log_probs: Iterable[float]) -> float | None:
    """A sentence's confidence from the log-probabilities of its generated tokens."""
    values = list(log_probs)
    if not values:
        return None
    return from_mean_log_prob(sum(values) / len(values))


def least_confident(confidences: Iterable[float | None]) -> float | None:
    """A segment's confidence: its least confident sentence's (None when none has one)."""
    known = [c for c in confidences if c is not None]
    return min(known) if known else None


def from_fuzzy_match(percent: float) -> float:
    """A translation-memory fuzzy match's confidence: its similarity in percent, /100."""
    return min(1.0, max(0.0, percent / 100.0))
