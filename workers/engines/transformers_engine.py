"""MarianMT (opus-mt) and NLLB-200 / M2M100 through transformers, batched by token budget."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workers import model_manifest
from workers.engines.langcodes import flores
from workers.engines.limits import ModelLimits, output_flag
from workers.engines.pool import POOL, ModelPool, release_free_heap
from workflow.engine import ModelNotFound, MTResult, UnsupportedPair, engine_error
from workflow.fitting import within_limit


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


class TransformersEngine(ModelLimits):
    """One seq2seq checkpoint; models load lazily into the process pool and stay there.

    Every input reaches the model within its positions (longer ones are split first) and
    the decoder never runs past them (``max_new_tokens`` is capped by the checkpoint).
    """

    name = "transformers"

    def __init__(self, model_dir: Path | str, *, batch_tokens: int = 4096,
                 max_new_tokens: int = 256, num_beams: int = 1, quantize: bool = False,
                 device: str = "auto", pool: ModelPool | None = None,
                 generate_kwargs: dict[str, Any] | None = None,
                 max_input_tokens: int | None = None) -> None:
        self.model_dir = Path(model_dir)
        self.model_id = self.model_dir.name
        self.batch_tokens = batch_tokens
        self.max_new_tokens = max_new_tokens
        self.num_beams = num_beams
        self.quantize = quantize
        self.device = device
        self.pool = pool or POOL
        self.generate_kwargs = generate_kwargs or {}
        self.input_limit = max_input_tokens

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

    def _prefix(self) -> str:
        return source_prefix(self.model_dir)

    def _language_setup(self, tokenizer: Any, source: str, target: str) -> dict[str, Any]:
        """The forced first target token for multilingual models; nothing for Marian."""
        family = model_family(self.model_dir)
        if family == "marian":
            return {}
        src, tgt = (flores(source), flores(target)) if family == "nllb" else (source, target)
        tgt_token = tgt if family == "nllb" else f"__{tgt}__"
        tgt_id = tokenizer.convert_tokens_to_ids(tgt_token)
        if tgt_id is None or tgt_id == tokenizer.unk_token_id:
            raise UnsupportedPair(f"{self.model_id} has no language token for {target}.")
        tokenizer.src_lang = src
        return {"forced_bos_token_id": tgt_id}

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """Translate ``texts`` in length-sorted, token-budgeted batches; order is kept."""
        return within_limit(texts, self.count_tokens, self.max_input_tokens,
                            lambda units: self._generate(units, source, target))

    def _generate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        import torch

        tokenizer, model, device = self._loaded()
        extra = self._language_setup(tokenizer, source, target)
        encoded = tokenizer([source_prefix(self.model_dir) + t for t in texts])["input_ids"]
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
            try:
                with torch.inference_mode():
                    generated = model.generate(**enc, **kwargs)
            except Exception as exc:  # out of memory is worth another try; the rest is not
                raise engine_error(self, exc, [texts[i] for i in batch]) from exc
            decoded = tokenizer.batch_decode(generated, skip_special_tokens=True)
            each = (time.perf_counter() - started) / len(batch)
            cap = int(kwargs["max_new_tokens"])
            for i, row, text in zip(batch, generated.tolist(), decoded, strict=True):
                out[i] = MTResult(text=text, engine=self.name, model=self.model_id, seconds=each,
                                  flags=(output_flag(cap),) if _ran_out(row[1:], eos, cap)
                                  else ())
        release_free_heap()
        return [r for r in out if r is not None]


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
