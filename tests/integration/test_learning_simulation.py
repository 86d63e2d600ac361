"""The learning loop on a small simulation (bench/learning.py): the real demo model as a
good engine and, with noise in its input, as a bad one; a reviewer who fixes bad output."""

from __future__ import annotations

from pathlib import Path

from bench.learning import demo_engines, report, simulate
from workers.demo_corpus import EN_ES
from workflow.learned_routing import Policy


def test_routing_converges_on_the_better_engine_and_edits_sit_among_the_least_confident(
        demo_models: Path) -> None:
    engines = demo_engines(demo_models, seed=5)
    out = simulate(engines, EN_ES, 120, Policy(window=100, min_samples=8, explore=0.1), seed=5)
    print("\n".join(report(out)))
    assert out.share("good", 60) >= 0.7  # the second half goes mostly to the better engine
    chrf = {k: [c for e, c in zip(out.engines, out.chrf, strict=True) if e == k]
            for k in ("good", "bad")}
    assert sum(chrf["bad"]) / len(chrf["bad"]) < sum(chrf["good"]) / len(chrf["good"])
    assert any(t > 0 for t in out.ter)
    assert out.edits_in_least_confident() >= 0.5  # the least confident fifth holds most edits
