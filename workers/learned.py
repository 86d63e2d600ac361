"""Learned routing on a worker: a pair's engines reordered by what reviewers changed least.

The decision itself is ``workflow.learned_routing.choose``; here the pair's direct
engines are named the way post-edit scores name them (``kind:model``), their recent
scores are read from the database, and the chosen engine goes first (the others stay
behind it as fallbacks).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from functools import cache

from workflow.learned_routing import Choice, EngineRecord, Policy, choose, key
from workflow.settings import load

RecordsOf = Callable[[str, str, Sequence[str], int], list[EngineRecord]]
"""``(source, target, keys, window)`` → each engine's recent post-edit scores on the pair."""


@cache
def policy() -> Policy:
    """This process's learned-routing policy, from the settings."""
    return load().learned


@cache
def rng() -> random.Random:
    """This process's generator for exploring jobs: seeded when the settings give a seed."""
    return random.Random(policy().seed)


def candidate_key(kind: str, model: str) -> str:
    """A direct engine's name in post-edit scores: ``ctranslate2:opus-mt-en-es``."""
    return key(kind, model)


def database_records(source: str, target: str, keys: Sequence[str],
                     window: int) -> list[EngineRecord]:
    """The engines' recent scores from this worker process's database."""
    from workers.tasks import database  # the worker's own, created after fork
    from workflow.quality import records_for

    with database().session() as session:
        return records_for(session, source, target, keys, window)


def decide(source: str, target: str, keys: Sequence[str], records_of: RecordsOf,
           explore: bool = True) -> Choice:
    """Which of ``keys`` translates the next job on the pair, and why."""
    p = policy()
    return choose(records_of(source, target, keys, p.window), p, rng() if explore else None)


def describe(source: str, target: str, keys: Sequence[str], records_of: RecordsOf) -> list[str]:
    """The learned rule in words: each engine's recent scores and the choice they make."""
    p = policy()
    records = records_of(source, target, keys, p.window)
    lines = [f"  learned routing (newest {p.window} segments per engine, "
             f"{p.min_samples} needed, {p.explore:.0%} of jobs explore):"]
    for r in records:
        chrf, ter = r.chrf_interval, r.ter_interval
        scores = (f"chrF {chrf.mean:.1f} ± {chrf.half_width:.1f}, "
                  f"TER {ter.mean:.1f} ± {ter.half_width:.1f}" if chrf and ter
                  else "no approved segments yet")
        lines.append(f"    {r.key}: {r.samples} segment(s), {scores}")
    choice = choose(records, p)
    lines.append(f"  ⇒ {choice.key}: {choice.why}")
    return lines
