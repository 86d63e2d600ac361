"""Confidence per segment: from the engine's scores, the least confident sentence rules."""

from __future__ import annotations

import math
from collections.abc import Sequence

from workflow.confidence import (
    from_fuzzy_match,
    from_mean_log_prob,
    from_token_log_probs,
    least_confident,
)
from workflow.engine import ChainEngine, Hop, MTResult
from workflow.mt_pipeline import translate_segments


class Scored:
    """Uppercases; a sentence containing 'odd' comes back with low confidence."""

    name = "scored"
    model_id = "scored-1"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        return [MTResult(t.upper(), self.name, self.model_id,
                         confidence=0.3 if "odd" in t else 0.9) for t in texts]


class Unscored(Scored):
    name = "rules"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        return [MTResult(t.upper(), self.name, "rules-1") for t in texts]


def test_confidence_is_the_geometric_mean_of_the_token_probabilities() -> None:
    assert from_token_log_probs([math.log(0.5), math.log(0.5)]) == 0.5
    assert from_mean_log_prob(math.log(0.8)) == 0.8
    assert from_mean_log_prob(0.1) == 1.0  # a rounding error above zero is still certain
    assert from_token_log_probs([]) is None
    assert from_token_log_probs([-math.inf, 0.0]) == 0.0


def test_a_segment_is_as_confident_as_its_least_confident_sentence() -> None:
    texts = ["A plain sentence. An odd sentence here. Another plain one.", "All plain here."]
    out = translate_segments(texts, "en", "es", Scored())
    assert [r.confidence for r in out] == [0.3, 0.9]


def test_a_cache_hit_keeps_the_confidence_the_engine_gave() -> None:
    from tests.unit.test_mt_pipeline import Cache

    cache, texts = Cache(), ["A plain sentence. An odd sentence here.", "All plain here."]
    first = translate_segments(texts, "en", "es", Scored(), cache=cache)

    class Silent(Scored):
        def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
            raise AssertionError(f"asked for {texts}: all of it is in the cache")

    again = translate_segments(texts, "en", "es", Silent(), cache=cache)
    assert [r.confidence for r in again] == [r.confidence for r in first] == [0.3, 0.9]


def test_an_engine_without_scores_gives_no_confidence() -> None:
    out = translate_segments(["Plain text. More text."], "en", "es", Unscored())
    assert out[0].confidence is None
    assert least_confident([None, None]) is None


def test_a_chain_is_as_confident_as_its_least_confident_hop() -> None:
    chain = ChainEngine([Hop(Scored(), "en", "es"), Hop(Unscored(), "es", "fr")])
    assert chain.translate(["odd one"], "en", "fr")[0].confidence == 0.3
    chain = ChainEngine([Hop(Unscored(), "en", "es"), Hop(Scored(), "es", "fr")])
    assert chain.translate(["fine"], "en", "fr")[0].confidence == 0.9


def test_a_fuzzy_match_carries_its_similarity() -> None:
    assert from_fuzzy_match(87.5) == 0.875


def test_only_a_confident_draft_that_needs_nothing_is_preconfirmed() -> None:
    from workflow.preconfirm import decide
    from workflow.qa import Issue

    issue = [Issue("numbers", "warning", "a number is missing")]
    passes, same = decide(0.95, 0.9, False, []), decide(0.95, 0.9, True, issue)
    assert passes is not None and passes.message == "confidence 0.95 above 0.90 and QA passes"
    assert same is not None and same.message.endswith(
        "identical to the translation memory's match")
    assert decide(0.95, 0.9, False, issue) is None
    assert decide(0.85, 0.9, True, []) is None
    assert decide(None, 0.9, True, []) is None
