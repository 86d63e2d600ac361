"""MarianMT (opus-mt) and NLLB-200 / M2M100 through transformers, batched by token budget."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from workers.engines.checkpoint import CheckpointEngine, source_token_budget
from workers.engines.limits import output_flag
from workers.engines.pool import ModelPool, release_free_heap
from workflow.confidence import from_token_log_probs
from workflow.engine import ModelNotFound, MTResult, engine_error
from workflow.errors import N_


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
            raise ModelNotFound(N_("No model at %(path)s."), values={"path": str(self.model_dir)})
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
            raise ModelNotFound(N_("Could not load the model in %(path)s: %(error)s"),
                                values={"path": str(self.model_dir), "error": str(exc)}) from exc
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
            beams = int(kwargs.get("num_beams", 1))
            chosen = _ChosenLogProbs(beams, eos) if self.scores else None
            if chosen is not None:
                from transformers import LogitsProcessorList

                kwargs["logits_processor"] = LogitsProcessorList(
                    [*kwargs.get("logits_processor", []), chosen])
                if beams > 1:  # the beam each output token came from, never per-step scores
                    kwargs["return_dict_in_generate"] = True
            try:
                with torch.inference_mode():
                    generated = model.generate(**enc, **kwargs)
                    sequences, confidences = _confidences(generated, chosen,
                                                          tokenizer.pad_token_id, len(batch))
                del generated  # a beam search's output also holds its key/value cache
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
    """A logits processor that keeps, per step, just enough to score the chosen tokens.

    It runs last, on the scores the search chooses from, and never keeps the vocabulary-
    sized tensors ``output_scores`` keeps for every step (a beam-4 batch of 64 rows holds
    60 MB per step with it).

    Greedy search takes the highest score: the log-softmax maximum is the chosen token's
    log-probability, one number per row and step (``log_softmax`` then ``amax``: the
    fastest exact way on a CPU, a third of ``max - logsumexp``).

    Beam search hands over log-probabilities already, and the next step says what was
    chosen: each running row's last token, continued from the row of the step before
    whose tokens are its prefix. So only the last step's scores are held, and per step
    the continued rows' (parent row, token, log-probability) and the end tokens' columns
    (a finished hypothesis is continued by no row); the output's ``beam_indices`` then
    say which row each output token came from.
    """

    def __init__(self, num_beams: int = 1, eos: Iterable[int] = ()) -> None:
        self.num_beams = num_beams
        self.eos = sorted(eos)
        self.steps: list[Any] = []  # greedy: per step, each row's chosen log-probability
        self.eos_steps: list[Any] = []  # beam: per step, rows × end tokens
        self.continued: list[dict[tuple[int, int], float]] = []  # beam: per step
        self.last: tuple[Any, Any] | None = None  # beam: the latest step's ids and scores

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        if self.num_beams == 1:
            self.steps.append(torch.log_softmax(scores.float(), dim=-1).amax(dim=-1))
            return scores
        if self.last is not None:
            self.continued.append(self._continued(input_ids))
        self.eos_steps.append(scores[:, self.eos].float().tolist())
        self.last = (input_ids.clone(), scores)  # the scores are not changed after us
        return scores

    def _continued(self, input_ids: Any) -> dict[tuple[int, int], float]:
        """The previous step's choices: (its row, token) → log-probability."""
        import torch

        assert self.last is not None
        before, scores = self.last
        rows, beams = input_ids.shape[0], self.num_beams
        groups = rows // beams
        same = (input_ids[:, :-1].reshape(groups, beams, 1, -1)
                == before.reshape(groups, 1, beams, -1)).all(dim=-1)  # new × old, per input
        offset = torch.arange(groups, device=input_ids.device)[:, None] * beams
        parents = (same.int().argmax(dim=-1) + offset).reshape(-1)  # identical twins: same
        found = same.any(dim=-1).reshape(-1)
        tokens = input_ids[:, -1]
        values = scores[parents, tokens].float()
        return {(p, t): v for p, t, v, ok in zip(parents.tolist(), tokens.tolist(),
                                                 values.tolist(), found.tolist(), strict=True)
                if ok}

    def beam_scores(self, sequences: Any, beam_indices: Any) -> list[list[float]]:
        """Each output row's tokens' log-probabilities (NaN for one that was not found)."""
        assert self.last is not None
        steps = beam_indices.shape[1]
        last_scores = self.last[1]
        final = len(self.eos_steps) - 1
        eos = {token: i for i, token in enumerate(self.eos)}
        out = []
        for row, tokens in zip(beam_indices.tolist(),
                               sequences[:, sequences.shape[1] - steps:].tolist(), strict=True):
            values = []
            for t, (parent, token) in enumerate(zip(row, tokens, strict=True)):
                if parent < 0:  # past this output's end
                    break
                if token in eos:
                    values.append(self.eos_steps[t][parent][eos[token]])
                elif t < len(self.continued):
                    values.append(self.continued[t].get((parent, token), math.nan))
                elif t == final:  # cut at the length limit: no step after it
                    values.append(float(last_scores[parent, token]))
                else:
                    values.append(math.nan)
            out.append(values)
        return out


def _confidences(generated: Any, chosen: _ChosenLogProbs | None, pad_id: int | None,
                 rows: int) -> tuple[Any, list[float | None]]:
    """The output ids and each row's confidence, from the pass that generated them.

    Each output token's log-probability comes from what :class:`_ChosenLogProbs` kept; a
    row's confidence from their mean over its tokens (end token included, as in
    transformers' ``sequences_scores`` with ``length_penalty`` 1).
    """
    sequences = getattr(generated, "sequences", generated)
    if chosen is None:
        return sequences, [None] * rows
    if chosen.num_beams > 1:
        if chosen.last is None:
            return sequences, [None] * rows
        per_row = chosen.beam_scores(sequences, generated.beam_indices)
        return sequences, [from_token_log_probs(values) for values in per_row]
    if not chosen.steps:
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
