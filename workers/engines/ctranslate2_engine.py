"""CTranslate2: a transformers checkpoint converted once (int8 on CPU), batched by tokens."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workers.engines.checkpoint import CheckpointEngine, source_token_budget
from workers.engines.limits import output_flag
from workers.engines.pool import ModelPool, release_free_heap
from workflow.confidence import from_mean_log_prob
from workflow.engine import EngineFailed, ModelNotFound, MTResult, engine_error
from workflow.errors import N_

_convert_lock = threading.Lock()
_failed: dict[Path, str] = {}  # why conversions failed in this process, by target: not again


def _fingerprint(model_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(model_dir.iterdir()):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{int(stat.st_mtime)}".encode())
    return digest.hexdigest()[:12]


def converted_path(model_dir: Path, cache_dir: Path, quantization: str) -> Path:
    """Where the CTranslate2 copy of ``model_dir`` is cached (whether or not it exists yet)."""
    return cache_dir / f"{model_dir.name}-ct2-{quantization}-{_fingerprint(model_dir)}"


def resolve_device(device: str, compute_type: str) -> tuple[str, str]:
    """``auto`` made concrete: CUDA when present, and int8 on CPU or int8_float16 on CUDA."""
    import ctranslate2

    if device == "auto":
        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if compute_type == "auto":
        compute_type = "int8_float16" if device == "cuda" else "int8"
    return device, compute_type


def _not_converted(model_dir: Path, error: str) -> ModelNotFound:
    return ModelNotFound(N_("Could not convert %(model)s to CTranslate2: %(error)s"),
                         values={"model": model_dir.name, "error": error})


def converted_dir(model_dir: Path, cache_dir: Path, quantization: str) -> Path:
    """The CTranslate2 copy of ``model_dir``, converted on first use and cached on disk."""
    if not (model_dir / "config.json").exists():
        raise ModelNotFound(N_("No model at %(path)s."), values={"path": str(model_dir)})
    target = converted_path(model_dir, cache_dir, quantization)
    if (target / "model.bin").exists():
        return target
    if target in _failed:  # the same files will not convert on a second try either
        raise _not_converted(model_dir, _failed[target])
    import ctranslate2

    with _convert_lock:
        if (target / "model.bin").exists():
            return target
        cache_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".converting-", dir=cache_dir))
        try:
            ctranslate2.converters.TransformersConverter(str(model_dir)).convert(
                str(work / "model"), quantization=quantization, force=True)
            try:
                os.rename(work / "model", target)  # atomic: another process may race us
            except OSError:
                if not (target / "model.bin").exists():
                    raise
        except Exception as exc:
            _failed[target] = str(exc)
            raise _not_converted(model_dir, _failed[target]) from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return target


class CTranslate2Engine(CheckpointEngine):
    """Translates with the CTranslate2 conversion of one transformers checkpoint.

    Same checkpoint, same limits as the transformers engine: inputs within its positions
    (never CTranslate2's silent ``max_input_length`` truncation), outputs capped by them.
    """

    name = "ctranslate2"

    def __init__(self, model_dir: Path | str, cache_dir: Path | str, *, device: str = "auto",
                 compute_type: str = "auto", beam_size: int = 1, batch_tokens: int = 4096,
                 max_decoding_length: int = 256, threads: int = 0,
                 pool: ModelPool | None = None,
                 translate_kwargs: dict[str, Any] | None = None,
                 max_input_tokens: int | None = None, scores: bool = True) -> None:
        super().__init__(model_dir, pool=pool, max_input_tokens=max_input_tokens)
        self.scores = scores  # the mean log-probability per token, from the same pass
        self.cache_dir = Path(cache_dir)
        self.device = device
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.batch_tokens = batch_tokens
        self.max_decoding_length = max_decoding_length
        self.threads = threads
        self.translate_kwargs = translate_kwargs or {}

    def _device(self) -> tuple[str, str]:
        return resolve_device(self.device, self.compute_type)

    def _loaded(self) -> tuple[Any, Any]:
        device, compute = self._device()
        key = ("ctranslate2", str(self.model_dir), device, compute, self.threads)
        return self.pool.get(key, lambda: self._load(device, compute))  # type: ignore[no-any-return]

    def _load(self, device: str, compute: str) -> tuple[Any, Any]:
        import ctranslate2
        from transformers import AutoTokenizer

        path = converted_dir(self.model_dir, self.cache_dir, compute)
        try:
            translator = ctranslate2.Translator(str(path), device=device, compute_type=compute,
                                                inter_threads=1, intra_threads=self.threads)
            return AutoTokenizer.from_pretrained(str(self.model_dir)), translator
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelNotFound(N_("Could not load %(model)s: %(error)s"),
                                values={"model": path.name, "error": str(exc)}) from exc

    def _tokenizer(self) -> Any:
        return self._loaded()[0]

    def _run(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        tokenizer, translator = self._loaded()
        target_token = self._target_token(tokenizer, source, target)
        prefix = [[target_token]] * len(texts) if target_token else None
        tokens = [tokenizer.convert_ids_to_tokens(ids)
                  for ids in tokenizer([self._prefix() + t for t in texts])["input_ids"]]
        started = time.perf_counter()
        longest = max((len(t) for t in tokens), default=0)
        kwargs: dict[str, Any] = {
            "max_batch_size": source_token_budget(self.batch_tokens, self.beam_size),
            "batch_type": "tokens",
            "beam_size": self.beam_size,
            "max_decoding_length": self.output_cap(self.max_decoding_length, longest),
            "max_input_length": 0,  # inputs already fit; never truncate one silently
            "return_scores": self.scores,
            **self.translate_kwargs,
        }
        for key in ("max_decoding_length", "min_decoding_length"):  # the target prefix counts
            if key in kwargs:
                kwargs[key] = min(int(kwargs[key]), self.positions - 1)
        try:
            results = translator.translate_batch(tokens, target_prefix=prefix, **kwargs)
        except Exception as exc:  # out of memory is worth another try; the rest is not
            raise engine_error(self, exc, texts) from exc
        if len(results) != len(texts):
            raise EngineFailed(N_("%(model)s returned %(count)s of %(total)s."),
                               values={"model": self.model_id, "count": len(results),
                                       "total": len(texts)})
        each = (time.perf_counter() - started) / max(len(texts), 1)
        cap = kwargs["max_decoding_length"]
        out = []
        for r in results:
            hypothesis = r.hypotheses[0]
            ids = tokenizer.convert_tokens_to_ids(hypothesis)
            text = tokenizer.decode(ids, skip_special_tokens=True)
            flags = (output_flag(cap),) if len(hypothesis) >= cap else ()
            # CTranslate2's score is the log-probability over the length (length_penalty 1)
            confidence = from_mean_log_prob(r.scores[0]) if r.scores else None
            out.append(MTResult(text=text, engine=self.name, model=self.model_id, seconds=each,
                                flags=flags, confidence=confidence))
        release_free_heap()
        return out
