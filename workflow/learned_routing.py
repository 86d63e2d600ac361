"""Routing that learns: among the engines that serve a pair, the one whose drafts reviewers
change least (recent post-edit chrF), with a small share sent to the others to keep
learning (epsilon-greedy). Pure: the caller brings the scores and the random generator.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Z95 = 1.96


@dataclass(frozen=True)
class Interval:
    """A mean with its 95 % confidence interval (normal approximation)."""

    mean: float
    low: float
    high: float

    @property
    def half_width(self) -> float:
        """± this much around the mean."""
        return (self.high - self.low) / 2


def interval(values: Sequence[float]) -> Interval | None:
    """The mean of ``values`` with a 95 % interval; None when there are none."""
    if not values:
        return None
    n = len(values)
    mean = sum(values) / n
    if n == 1:
        return Interval(mean, mean, mean)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = Z95 * sd / math.sqrt(n)
    return Interval(mean, mean - half, mean + half)


@dataclass(frozen=True)
class EngineRecord:
    """One engine's recent post-edit scores on a pair: per segment, newest first."""

    key: str  # "kind:model", as routing names it
    chrf: tuple[float, ...]
    ter: tuple[float, ...]

    @property
    def samples(self) -> int:
        """How many scored segments."""
        return len(self.chrf)

    @property
    def chrf_interval(self) -> Interval | None:
        """Mean chrF with its interval."""
        return interval(self.chrf)

    @property
    def ter_interval(self) -> Interval | None:
        """Mean TER with its interval."""
        return interval(self.ter)


@dataclass(frozen=True)
class Choice:
    """Which engine translates the next job, and why, in words."""

    key: str
    why: str
    exploring: bool = False


@dataclass(frozen=True)
class Policy:
    """How learned routing weighs its evidence."""

    window: int = 500  # the newest scored segments per engine that count
    min_samples: int = 30  # before this, an engine is still being learned
    explore: float = 0.1  # the share of jobs sent to another engine than the best
    seed: int | None = None  # a fixed seed makes the exploring jobs reproducible


def policy_from(env: Mapping[str, str]) -> Policy:
    """The policy from ``LINGUADESK_LEARNED_*`` settings (window, min samples, explore, seed)."""
    explore = float(env.get("LINGUADESK_LEARNED_EXPLORE") or 0.1)
    if not 0 <= explore <= 1:
        raise ValueError("LINGUADESK_LEARNED_EXPLORE is a share of jobs between 0 and 1.")
    seed = env.get("LINGUADESK_LEARNED_SEED")
    return Policy(window=max(1, int(env.get("LINGUADESK_LEARNED_WINDOW") or 500)),
                  min_samples=max(1, int(env.get("LINGUADESK_LEARNED_MIN_SAMPLES") or 30)),
                  explore=explore, seed=int(seed) if seed else None)


def key(engine: str, model: str | None) -> str:
    """How learned routing names an engine: ``kind:model`` (``apertium:apertium-eng-spa``)."""
    return f"{engine}:{model}" if model else engine


def choose(records: Sequence[EngineRecord], policy: Policy,
           rng: random.Random | None = None) -> Choice:
    """The engine for the next job, among ``records`` (in the configured order).

    Until every engine has ``min_samples`` scored segments, the one with the fewest gets
    the job (ties: the configured order). Then the best mean chrF wins, except for a
    share ``explore`` of jobs, which go to one of the others at random (never without
    ``rng``: then this is the choice the evidence makes).
    """
    if not records:
        raise ValueError("learned routing needs at least one engine")
    if len(records) == 1:
        return Choice(records[0].key, f"{records[0].key} is the only engine for this pair")
    learning = [r for r in records if r.samples < policy.min_samples]
    if learning:
        r = min(learning, key=lambda r: r.samples)
        return Choice(r.key, f"still learning: {r.key} has {r.samples} scored segment(s) of "
                             f"the {policy.min_samples} needed", exploring=True)
    ranked = sorted(records, key=lambda r: -(r.chrf_interval or Interval(0, 0, 0)).mean)
    best = ranked[0]
    best_chrf = best.chrf_interval or Interval(0, 0, 0)
    if rng is not None and rng.random() < policy.explore:
        other = rng.choice(ranked[1:])
        return Choice(other.key, f"exploring ({policy.explore:.0%} of jobs): {other.key}, "
                                 f"while {best.key} leads", exploring=True)
    runner = ranked[1].chrf_interval or Interval(0, 0, 0)
    return Choice(best.key, f"best recent post-edit chrF: {best.key} {best_chrf.mean:.1f} "
                            f"± {best_chrf.half_width:.1f} over {best.samples} segments "
                            f"(next: {ranked[1].key} {runner.mean:.1f})")
