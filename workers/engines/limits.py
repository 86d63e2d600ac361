"""What a checkpoint's positions allow: the longest input and the longest output it holds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from workflow.engine import Flag
from workflow.errors import N_

# Beyond this many source tokens, even a model with more positions translates poorly.
INPUT_CAP = 512


def output_flag(limit: int) -> Flag:
    """The reviewer's note on an output the decoder had to stop before it ended."""
    return Flag("output_limit", N_(
        "The model stopped at its output limit of %(limit)s tokens before finishing the "
        "sentence; the end may be missing or repeated."), values={"limit": limit})


class ModelLimits:
    """Limits read once from the checkpoint's ``config.json`` (mixed into both engines)."""

    model_dir: Path
    input_limit: int | None

    @cached_property
    def positions(self) -> int:
        """How many positions the model's embeddings have (encoder and decoder alike)."""
        config = json.loads((self.model_dir / "config.json").read_text(encoding="utf-8"))
        return int(config.get("max_position_embeddings") or INPUT_CAP)

    @cached_property  # read from config.json once, not per sentence
    def max_input_tokens(self) -> int:
        """The longest input the model takes, in its own tokens (special tokens included)."""
        if self.input_limit:
            return min(self.input_limit, self.positions)
        return min(self.positions, INPUT_CAP)

    def output_cap(self, requested: int, longest_input: int) -> int:
        """Tokens the decoder may produce: what was asked, never past the model's positions.

        The decoder's start token takes one position; a runaway output stops at twice its
        input plus a margin rather than filling every position.
        """
        return max(1, min(requested, 2 * longest_input + 16, self.positions - 1))

    def _tokenizer(self) -> Any:
        raise NotImplementedError

    def _prefix(self) -> str:
        """What goes before every text (a multi-target model's ``>>por<<`` token), or ''."""
        return ""

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Model tokens per text, as the model receives it (end and language tokens included)."""
        tokenizer, prefix = self._tokenizer(), self._prefix()
        if getattr(tokenizer, "is_fast", True):
            return [len(ids) for ids in tokenizer([prefix + t for t in texts])["input_ids"]]
        # A slow (Python) tokenizer, as Marian's is, spends most of a call turning tokens
        # into ids one by one; the count needs only the tokens (one id each) and the
        # special tokens the model adds around every input, the same for every text.
        extra = tokenizer.num_special_tokens_to_add()
        return [len(tokenizer.tokenize(prefix + t)) + extra for t in texts]
