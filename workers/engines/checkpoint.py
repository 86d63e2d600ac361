"""What the engines that run one transformers checkpoint share, however they run it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workers import model_manifest
from workers.engines.langcodes import flores
from workers.engines.limits import ModelLimits
from workers.engines.pool import POOL, ModelPool
from workflow.engine import MTResult, UnsupportedPair
from workflow.errors import N_
from workflow.fitting import within_limit


def source_token_budget(batch_tokens: int, beams: int) -> int:
    """Source tokens per batch for a search keeping ``beams`` hypotheses per sentence.

    Greedy batches take ``batch_tokens``. Beam search keeps ``beams`` hypotheses per
    sentence and copies its whole cache when it reorders them at each step, so a beam
    batch holds ``batch_tokens / (2 × beams)``: measured on opus-mt-en-de's shape, beam 4
    at a quarter of the budget still peaked ~2.5× higher above the loaded model than
    greedy did (bench/mt_throughput.py).
    """
    if beams <= 1:
        return max(batch_tokens, 1)
    return max(batch_tokens // (2 * beams), 1)


def model_family(model_dir: Path) -> str:
    """``marian``, ``nllb`` or ``m2m100``, from the checkpoint's own files."""
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") == "marian":
        return "marian"
    tok_config = model_dir / "tokenizer_config.json"
    tok_class = (json.loads(tok_config.read_text(encoding="utf-8")).get("tokenizer_class", "")
                 if tok_config.exists() else "")
    return "nllb" if "nllb" in (tok_class.lower() + model_dir.name.lower()) else "m2m100"


def source_prefix(model_dir: Path) -> str:
    """The target-language token (e.g. ``>>por<< ``) the model's manifest puts first, or ''.

    A multi-target opus-mt model picks its output language from this first source token.
    """
    manifest = model_manifest.read(model_dir)
    token = manifest.extra.get("target_token") if manifest else None
    return f"{token} " if token else ""


class CheckpointEngine(ModelLimits):
    """One seq2seq checkpoint: its limits, its language tokens, inputs fitted to it.

    Subclasses load it (into the process pool) and run one fitted batch in ``_run``.
    """

    name: str

    def __init__(self, model_dir: Path | str, *, pool: ModelPool | None,
                 max_input_tokens: int | None) -> None:
        self.model_dir = Path(model_dir)
        self.model_id = self.model_dir.name
        self.pool = pool or POOL
        self.input_limit = max_input_tokens

    def _prefix(self) -> str:
        return source_prefix(self.model_dir)

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """Translate ``texts``, each within the model's input limit; order is kept."""
        return within_limit(texts, self.count_tokens, self.max_input_tokens,
                            lambda units: self._run(units, source, target))

    def _run(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        raise NotImplementedError

    def _target_token(self, tokenizer: Any, source: str, target: str) -> str | None:
        """The token a multilingual model must start its output with (None for Marian),
        with the tokenizer set to tag the source; UnsupportedPair when it has none."""
        family = model_family(self.model_dir)
        if family == "marian":
            return None
        src, tgt = (flores(source), flores(target)) if family == "nllb" else (
            source, f"__{target}__")
        tgt_id = tokenizer.convert_tokens_to_ids(tgt)
        if tgt_id is None or tgt_id == tokenizer.unk_token_id:
            raise UnsupportedPair(N_("%(model)s has no language token for %(language)s."),
                                  values={"model": self.model_id, "language": target})
        tokenizer.src_lang = src
        return tgt
