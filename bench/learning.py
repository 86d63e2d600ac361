"""A simulation that proves the loop: routing learns the better engine, and the least
confident segments are where reviewers edit.

    .venv/bin/python bench/learning.py                    # 300 segments (a few seconds)
    .venv/bin/python bench/learning.py --segments 600 --seed 3

Two engines serve en→es: the same real demo model (transformers, with its scores), once
as it is ("good") and once with noise injected into its input ("bad": two words swapped and
one dropped, in most sentences). A simulated reviewer edits every output that is not
the reference translation into the reference. Articles of a few sentences arrive one by
one; learned routing (``workflow.learned_routing``) picks the engine from the post-edit
chrF recorded so far, exactly as the workers do. At the end it prints how the traffic
moved to the better engine, and where the edits fell by confidence.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from workflow import calibration, post_edit  # noqa: E402
from workflow.engine import MTEngine, MTResult  # noqa: E402
from workflow.learned_routing import EngineRecord, Policy, choose  # noqa: E402
from workflow.mt_pipeline import translate_segments  # noqa: E402


class Noisy:
    """An engine made worse: in a share of its inputs two words swap and one is dropped."""

    def __init__(self, engine: MTEngine, rate: float, seed: int) -> None:
        self.engine = engine
        self.name = engine.name
        self.model_id = f"{getattr(engine, 'model_id', engine.name)}+noise{rate:.0%}"
        self.rate = rate
        self.rng = random.Random(seed)

    def _spoil(self, text: str) -> str:
        words = text.split()
        if len(words) < 3 or self.rng.random() >= self.rate:
            return text
        i = self.rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
        del words[self.rng.randrange(len(words))]
        return " ".join(words)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """The wrapped engine's translation of the spoiled inputs."""
        results = self.engine.translate([self._spoil(t) for t in texts], source, target)
        return [MTResult(r.text, r.engine, self.model_id, r.seconds, r.flags, r.confidence)
                for r in results]


@dataclass
class Outcome:
    """What happened to every segment, in order."""

    engines: list[str] = field(default_factory=list)
    confidence: list[float | None] = field(default_factory=list)
    ter: list[float] = field(default_factory=list)
    chrf: list[float] = field(default_factory=list)

    def share(self, key: str, start: int = 0, stop: int | None = None) -> float:
        """The share of segments ``key`` translated between ``start`` and ``stop``."""
        part = self.engines[start:stop]
        return part.count(key) / len(part) if part else 0.0

    def scored(self) -> list[tuple[float, float]]:
        """``(confidence, ter)`` of every segment that has a confidence."""
        return [(c, t) for c, t in zip(self.confidence, self.ter, strict=True) if c is not None]

    def edits_in_least_confident(self, share: float = calibration.LEAST_SHARE) -> float:
        """The share of all edited segments that are among the least confident ``share``."""
        pairs = sorted(self.scored())
        cut = max(1, round(len(pairs) * share))
        edited = sum(1 for _, t in pairs if t > 0)
        return sum(1 for _, t in pairs[:cut] if t > 0) / edited if edited else 0.0


def simulate(engines: dict[str, MTEngine], corpus: Sequence[tuple[str, str]], segments: int,
             policy: Policy, seed: int, article_size: int = 4) -> Outcome:
    """Route ``segments`` sentences, ``article_size`` at a time, learning as reviews come in."""
    rng = random.Random(seed)
    out = Outcome()
    keys = list(engines)
    while len(out.engines) < segments:
        records = [EngineRecord(k, *_recent(out, k, policy.window)) for k in keys]
        choice = choose(records, policy, rng)
        pairs = [rng.choice(corpus) for _ in range(min(article_size, segments - len(out.engines)))]
        results = translate_segments([s for s, _ in pairs], "en", "es", engines[choice.key])
        for (_, reference), r in zip(pairs, results, strict=True):
            final = r.text if r.text == reference else reference  # the reviewer's correction
            ter, chrf = post_edit.score(r.text, final)
            out.engines.append(choice.key)
            out.confidence.append(r.confidence)
            out.ter.append(ter)
            out.chrf.append(chrf)
    return out


def _recent(out: Outcome, key: str, window: int) -> tuple[tuple[float, ...], tuple[float, ...]]:
    mine = [i for i, k in enumerate(out.engines) if k == key][-window:][::-1]
    return tuple(out.chrf[i] for i in mine), tuple(out.ter[i] for i in mine)


def demo_engines(models_dir: Path, seed: int, bad_rate: float = 0.7,
                 good_rate: float = 0.05) -> dict[str, MTEngine]:
    """The real demo model twice: nearly as it is, and with noise in most inputs."""
    from workers.demo_model import build_all
    from workers.engines.transformers_engine import TransformersEngine
    from workers.routing import installed_models, models_for

    build_all(models_dir)
    serving = [m for m in models_for(installed_models(models_dir), "en", "es")
               if m.manifest.pairs]
    engine = TransformersEngine(serving[0].path)
    return {"bad": Noisy(engine, bad_rate, seed + 1), "good": Noisy(engine, good_rate, seed)}


def report(out: Outcome) -> list[str]:
    """The figures, for people."""
    n = len(out.engines)
    quarter = max(n // 4, 1)
    lines = [f"{n} segments; share routed to the better engine, by quarter: " + ", ".join(
        f"{out.share('good', q * quarter, (q + 1) * quarter if q < 3 else None):.0%}"
        for q in range(4))]
    for key in ("good", "bad"):
        chrf = [c for k, c in zip(out.engines, out.chrf, strict=True) if k == key]
        if chrf:
            lines.append(f"  {key}: {len(chrf)} segments, mean post-edit chrF "
                         f"{sum(chrf) / len(chrf):.1f}")
    scored = out.scored()
    rho = calibration.spearman([c for c, _ in scored], [t for _, t in scored])
    shares = calibration.edited_shares(scored)
    edited = sum(1 for t in out.ter if t > 0)
    lines.append(f"edited segments: {edited} of {n}; Spearman(confidence, TER) = "
                 + (f"{rho:.2f}" if rho is not None else "n/a"))
    if shares:
        lines.append(f"edited among the least confident 20%: {shares[0]:.0%}; among the "
                     f"rest: {shares[1]:.0%}; the least confident 20% hold "
                     f"{out.edits_in_least_confident():.0%} of all edits")
    return lines


def main() -> None:
    """Run the simulation and print the figures."""
    from workers.demo_corpus import EN_ES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explore", type=float, default=0.1)
    parser.add_argument("--min-samples", type=int, default=20)
    parser.add_argument("--models", type=Path, default=REPO / "instance" / "models")
    args = parser.parse_args()
    engines = demo_engines(args.models, args.seed)
    policy = Policy(window=200, min_samples=args.min_samples, explore=args.explore)
    for line in report(simulate(engines, EN_ES, args.segments, policy, args.seed)):
        print(line)


if __name__ == "__main__":
    main()
