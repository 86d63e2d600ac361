"""How the engines cut a request into batches: every sentence once, within the budget."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workers.engines.checkpoint import source_token_budget
from workers.engines.transformers_engine import token_batches


@given(st.lists(st.integers(min_value=1, max_value=300), min_size=1, max_size=200),
       st.integers(min_value=1, max_value=4096))
def test_every_sentence_lands_in_exactly_one_batch_within_the_budget(
        lengths: list[int], budget: int) -> None:
    batches = token_batches(lengths, budget)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        width = max(lengths[i] for i in batch)
        # a sentence longer than the budget still goes, alone
        assert width * len(batch) <= budget or len(batch) == 1


def test_batches_are_formed_longest_first_so_padding_stays_small() -> None:
    lengths = [5, 40, 6, 38, 7, 39]
    assert token_batches(lengths, 120) == [[1, 5, 3], [4, 2, 0]]


def test_beam_batches_hold_fewer_sentences_than_greedy_ones() -> None:
    assert source_token_budget(4096, 1) == 4096
    assert source_token_budget(4096, 4) == 512
    assert source_token_budget(3, 4) == 1  # never an empty batch
