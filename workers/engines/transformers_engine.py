"""MarianMT (opus-mt) and NLLB-200 / M2M100 through transformers, batched by token budget."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workers.engines.checkpoint import CheckpointEngine, source_token_budget
from workers.engines.limits import output_flag
from workers.engines.pool import ModelPool, release_free_heap
from workflow.confidence import from_mean_log_prob, from_token_log_probs
from workflow.engine import ModelNotFound, MTResult, engine_error


def token_batches(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Indices sorted longest first, grouped so padded width × rows stays within ``budget``."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        width = lengths[current[0]] if current else lengths[i]
        if current and width * (len(current) + 1) > budget:
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


class TransformersEngine(CheckpointEngine):
    """One seq2seq checkpoint; models load lazily into the process pool and stay there.

    Every input reaches the model within its positions (longer ones are split first) and
    the decoder never runs past them (``max_new_tokens`` is capped by the checkpoint).
    """

    name = "transformers"

    def __init__(self, model_dir: Path | str, *, batch_tokens: int = 4096,
                 max_new_tokens: int = 256, num_beams: int = 1, quantize: bool = False,
                 device: str = "auto", pool: ModelPool | None = None,
                 generate_kwargs: dict[str, Any] | None = None,
                 max_input_tokens: int | None = None, scores: bool = True) -> None:
        super().__init__(model_dir, pool=pool, max_input_tokens=max_input_tokens)
        self.scores = scores  # a confidence per output from the same pass (no second one)
        self.batch_tokens = batch_tokens
        self.max_new_tokens = max_new_tokens
        self.num_beams = num_beams
        self.quantize = quantize
        self.device = device
        self.generate_kwargs = generate_kwargs or {}

    def _loaded(self) -> tuple[Any, Any, str]:
        if not (self.model_dir / "config.json").exists():
            raise ModelNotFound(f"No model at {self.model_dir}.")
        return self.pool.get(("transformers", str(self.model_dir), self.quantize, self.device),
                             self._load)  # type: ignore[no-any-return]

    def _load(self) -> tuple[Any, Any, str]:
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        device = self.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        try:
            tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir))
            model = AutoModelForSeq2SeqLM.from_pretrained(str(self.model_dir))
        except Exception as exc:  # a half-copied or foreign directory: not a usable model
            raise ModelNotFound(f"Could not load the model in {self.model_dir}: {exc}") from exc
        model.eval()
        if device == "cuda":
            model = model.half().to(device)
        elif self.quantize:
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear},
                                                           dtype=torch.qint8)
        return tokenizer, model, device

    def _tokenizer(self) -> Any:
        return self._loaded()[0]

    def _run(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        import torch

        tokenizer, model, device = self._loaded()
        target_token = self._target_token(tokenizer, source, target)
        extra = ({"forced_bos_token_id": tokenizer.convert_tokens_to_ids(target_token)}
                 if target_token else {})
        encoded = tokenizer([self._prefix() + t for t in texts])["input_ids"]
        eos = {tokenizer.eos_token_id, *_as_list(model.generation_config.eos_token_id)}
        out: list[MTResult | None] = [None] * len(texts)
        budget = source_token_budget(self.batch_tokens, self.num_beams)
        for batch in token_batches([len(ids) for ids in encoded], budget):
            started = time.perf_counter()
            enc = tokenizer.pad({"input_ids": [encoded[i] for i in batch]},
                                return_tensors="pt").to(device)
            width = enc["input_ids"].shape[1]
            kwargs = {"num_beams": self.num_beams,
                      "max_new_tokens": self.output_cap(self.max_new_tokens, width),
                      **extra, **self.generate_kwargs}
            for key in ("max_new_tokens", "min_new_tokens"):  # never past the positions
                if key in kwargs:
                    kwargs[key] = min(int(kwargs[key]), self.positions - 1)
            chosen = None
            if self.scores and int(kwargs.get("num_beams", 1)) > 1:
                kwargs.update(output_scores=True, return_dict_in_generate=True)
            elif self.scores:
                from transformers import LogitsProcessorList

                chosen = _ChosenLogProbs()
                kwargs["logits_processor"] = LogitsProcessorList(
                    [*kwargs.get("logits_processor", []), chosen])
            try:
                with torch.inference_mode():
                    generated = model.generate(**enc, **kwargs)
                    sequences, confidences = _confidences(generated, chosen,
                                                          tokenizer.pad_token_id, len(batch))
            except Exception as exc:  # out of memory is worth another try; the rest is not
                raise engine_error(self, exc, [texts[i] for i in batch]) from exc
            decoded = tokenizer.batch_decode(sequences, skip_special_tokens=True)
            each = (time.perf_counter() - started) / len(batch)
            cap = int(kwargs["max_new_tokens"])
            for i, row, text, conf in zip(batch, sequences.tolist(), decoded, confidences,
                                          strict=True):
                out[i] = MTResult(text=text, engine=self.name, model=self.model_id, seconds=each,
                                  flags=(output_flag(cap),) if _ran_out(row[1:], eos, cap)
                                  else (), confidence=conf)
        release_free_heap()
        return [r for r in out if r is not None]


class _ChosenLogProbs:
    """A logits processor that keeps, per step, the greedy choice's log-probability.

    Greedy search takes the highest processed score, so the log-softmax maximum is the
    chosen token's log-probability: one number per row and step is kept, never the
    vocabulary-sized scores ``output_scores`` would hold for the whole output.
    """

    def __init__(self) -> None:
        self.steps: list[Any] = []

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        self.steps.append(torch.log_softmax(scores.float(), dim=-1).max(dim=-1).values)
        return scores


def _confidences(generated: Any, chosen: _ChosenLogProbs | None, pad_id: int | None,
                 rows: int) -> tuple[Any, list[float | None]]:
    """The output ids and each row's confidence, from the pass that generated them.

    Beam search gives ``sequences_scores`` (the log-probability over the length); greedy
    search gives the chosen tokens' log-probabilities, averaged over each row's tokens.
    """
    sequences = getattr(generated, "sequences", generated)
    scores = getattr(generated, "sequences_scores", None)
    if scores is not None:
        return sequences, [from_mean_log_prob(float(v)) for v in scores.tolist()]
    if chosen is None or not chosen.steps:
        return sequences, [None] * rows
    import torch

    steps = torch.stack(chosen.steps, dim=1).tolist()
    out: list[float | None] = []
    for ids, row in zip(sequences[:, -len(chosen.steps):].tolist(), steps, strict=True):
        out.append(from_token_log_probs(v for tok, v in zip(ids, row, strict=True)
                                        if tok != pad_id))
    return sequences, out


def _ran_out(tokens: list[int], eos: set[int], cap: int) -> bool:
    """Whether the decoder was stopped by ``cap`` rather than by its own end token.

    A model with ``forced_eos_token_id`` writes the end token in its last allowed place,
    so an end token there still means the sentence was cut.
    """
    first_end = next((i for i, tok in enumerate(tokens) if tok in eos), len(tokens))
    return first_end >= cap - 1


def _as_list(value: object) -> list[int]:
    if value is None:
        return []
    return [int(v) for v in value] if isinstance(value, list | tuple) else [int(value)]  # type: ignore[call-overload]
