"""Is the confidence any good? Rank correlation with edits, edits among the least
confident, and a calibration of raw confidence into the chance a segment goes untouched.

Pure Python on lists of ``(confidence, ter)`` pairs, one per approved MT segment.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

LEAST_SHARE = 0.2  # "the least confident": this share of segments, lowest confidence first


def _ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation; None with fewer than 3 pairs or a constant side."""
    if len(xs) != len(ys) or len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    if vx == 0 or vy == 0:
        return None
    return cov / math.sqrt(vx * vy)


def edited_shares(pairs: Sequence[tuple[float, float]],
                  share: float = LEAST_SHARE) -> tuple[float, float] | None:
    """(share of edited segments among the least confident ``share``, among the rest)."""
    if len(pairs) < 2:
        return None
    ordered = sorted(pairs, key=lambda p: p[0])
    cut = min(max(1, round(len(ordered) * share)), len(ordered) - 1)
    low, rest = ordered[:cut], ordered[cut:]
    return (sum(1 for _, ter in low if ter > 0) / len(low),
            sum(1 for _, ter in rest if ter > 0) / len(rest))


@dataclass(frozen=True)
class Calibration:
    """A monotone step function: raw confidence → observed share of untouched segments."""

    thresholds: tuple[float, ...]  # the lowest raw confidence of each step
    values: tuple[float, ...]
    samples: int

    def at(self, points: Sequence[float] = (0.5, 0.7, 0.8, 0.9, 0.95)) -> list[tuple[float, float]]:
        """The calibrated chance at a few raw confidences, for people to read."""
        return [(p, self(p)) for p in points]

    def __call__(self, confidence: float) -> float:
        """The calibrated chance that a segment of this confidence needs no edit."""
        i = bisect_right(self.thresholds, confidence) - 1
        return self.values[max(i, 0)]


def isotonic(pairs: Sequence[tuple[float, float]]) -> Calibration:
    """Fit P(untouched | confidence) by pool-adjacent-violators (non-decreasing)."""
    points = sorted((c, 1.0 if ter == 0 else 0.0) for c, ter in pairs)
    blocks: list[list[float]] = []  # [lowest confidence, sum of outcomes, count]
    for c, y in points:
        blocks.append([c, y, 1.0])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    return Calibration(tuple(b[0] for b in blocks), tuple(b[1] / b[2] for b in blocks),
                       len(points))


@dataclass(frozen=True)
class ConfidenceReport:
    """How well confidence predicted edits for one engine and language."""

    samples: int
    spearman: float | None  # confidence vs TER: negative when confidence is any good
    edited_least: float | None  # share edited among the 20 % least confident
    edited_rest: float | None
    calibration: Calibration | None  # None until there are ``minimum`` samples
    minimum: int

    @property
    def why_uncalibrated(self) -> str | None:
        """Why there is no calibration yet, in words; None when there is one."""
        if self.calibration is not None:
            return None
        return (f"not calibrated yet: {self.samples} scored segment(s), "
                f"{self.minimum} needed")


def report(pairs: Sequence[tuple[float, float]], minimum: int) -> ConfidenceReport:
    """The figures for one engine and language from its ``(confidence, ter)`` pairs."""
    shares = edited_shares(pairs)
    return ConfidenceReport(
        samples=len(pairs), spearman=spearman([c for c, _ in pairs], [t for _, t in pairs]),
        edited_least=shares[0] if shares else None, edited_rest=shares[1] if shares else None,
        calibration=isotonic(pairs) if len(pairs) >= max(minimum, 1) else None,
        minimum=minimum)
