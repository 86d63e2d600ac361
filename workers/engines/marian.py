"""MarianMT (opus-mt) through transformers: loaded lazily, whole articles in batches."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workflow.engine import EngineUnavailable, ModelNotFound, MTResult


class MarianEngine:
    """Translates with one MarianMT model directory (an opus-mt checkpoint or a demo model)."""

    name = "transformers"

    def __init__(self, model_dir: Path | str, *, batch_tokens: int = 4096,
                 max_new_tokens: int = 256, num_beams: int = 1) -> None:
        self.model_dir = Path(model_dir)
        self.model_id = self.model_dir.name
        self.batch_tokens = batch_tokens
        self.max_new_tokens = max_new_tokens
        self.num_beams = num_beams
        self._model: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._model is not None:
            return
        with self._lock:
            if self._model is not None:
                return
            if not (self.model_dir / "config.json").exists():
                raise ModelNotFound(f"No model at {self.model_dir}.")
            from transformers import MarianMTModel, MarianTokenizer

            self._tokenizer = MarianTokenizer.from_pretrained(str(self.model_dir))
            model = MarianMTModel.from_pretrained(str(self.model_dir))
            model.eval()
            self._model = model

    def _batches(self, lengths: list[int]) -> list[list[int]]:
        """Indices grouped longest first, each group within the token budget."""
        order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
        batches: list[list[int]] = []
        current: list[int] = []
        for i in order:
            width = max([lengths[j] for j in current] + [lengths[i]])
            if current and width * (len(current) + 1) > self.batch_tokens:
                batches.append(current)
                current = []
            current.append(i)
        if current:
            batches.append(current)
        return batches

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """Translate ``texts`` in length-sorted batches; results keep the input order."""
        import torch

        self._load()
        tok, model = self._tokenizer, self._model
        lengths = [len(ids) for ids in tok(list(texts))["input_ids"]]
        out: list[MTResult | None] = [None] * len(texts)
        for batch in self._batches(lengths):
            started = time.perf_counter()
            enc = tok([texts[i] for i in batch], return_tensors="pt", padding=True)
            try:
                with torch.inference_mode():
                    generated = model.generate(**enc, num_beams=self.num_beams,
                                               max_new_tokens=self.max_new_tokens)
            except RuntimeError as exc:  # out of memory and kin: worth another try later
                raise EngineUnavailable(f"{self.model_id} failed to generate: {exc}") from exc
            decoded = tok.batch_decode(generated, skip_special_tokens=True)
            each = (time.perf_counter() - started) / len(batch)
            for i, text in zip(batch, decoded, strict=True):
                out[i] = MTResult(text=text, engine=self.name, model=self.model_id, seconds=each)
        return [r for r in out if r is not None]
