"""Learned routing's decision and the confidence figures: pure functions, seeded."""

from __future__ import annotations

import random

import pytest

from workflow import calibration
from workflow.learned_routing import EngineRecord, Policy, choose, interval, policy_from


def rec(key: str, chrf: float, n: int) -> EngineRecord:
    return EngineRecord(key, tuple(chrf + (i % 5) - 2 for i in range(n)), (10.0,) * n)


def test_an_engine_with_too_few_scores_gets_the_next_job() -> None:
    policy = Policy(min_samples=30)
    choice = choose([rec("good", 80, 50), rec("new", 0, 3)], policy, random.Random(1))
    assert choice.key == "new" and "still learning" in choice.why and choice.exploring


def test_the_best_recent_chrf_wins_and_a_seeded_share_explores() -> None:
    policy = Policy(min_samples=10, explore=0.2)
    records = [rec("bad", 40, 40), rec("good", 75, 40)]
    rng = random.Random(7)
    picks = [choose(records, policy, rng).key for _ in range(1000)]
    assert 0.15 < picks.count("bad") / 1000 < 0.25
    again = random.Random(7)
    assert picks == [choose(records, policy, again).key for _ in range(1000)]
    plain = choose(records, policy)
    assert plain.key == "good" and "75.0" in plain.why and "next: bad 40.0" in plain.why


def test_the_interval_narrows_with_more_samples() -> None:
    few, many = interval([60.0, 70.0, 80.0]), interval([60.0, 70.0, 80.0] * 30)
    assert few is not None and many is not None
    assert few.mean == many.mean == 70.0
    assert many.half_width < few.half_width


def test_settings_are_checked() -> None:
    assert policy_from({"LINGUADESK_LEARNED_SEED": "3"}).seed == 3
    with pytest.raises(ValueError, match="between 0 and 1"):
        policy_from({"LINGUADESK_LEARNED_EXPLORE": "2"})


def test_spearman_sees_confidence_falling_as_edits_grow() -> None:
    conf = [0.9, 0.8, 0.7, 0.6, 0.5]
    assert calibration.spearman(conf, [0, 5, 10, 20, 40]) == pytest.approx(-1.0)
    assert calibration.spearman(conf, [0, 0, 0, 0, 0]) is None


def test_the_least_confident_fifth_holds_the_edits() -> None:
    pairs = [(i / 100, 30.0 if i < 20 else 0.0) for i in range(100)]
    assert calibration.edited_shares(pairs) == (1.0, 0.0)


def test_isotonic_calibration_is_monotone_and_waits_for_enough_data() -> None:
    rng = random.Random(0)
    pairs = []
    for _ in range(400):
        c = rng.random()
        pairs.append((c, 0.0 if rng.random() < c else 25.0))  # untouched with chance c
    fit = calibration.isotonic(pairs)
    assert list(fit.values) == sorted(fit.values)
    assert fit(0.05) < 0.3 and fit(0.95) > 0.7
    assert calibration.report(pairs[:50], minimum=100).why_uncalibrated == (
        "not calibrated yet: 50 scored segment(s), 100 needed")
    assert calibration.report(pairs, minimum=100).calibration is not None
