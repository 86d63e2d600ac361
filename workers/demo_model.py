"""Build tiny MarianMT models that have learned the demo corpus by heart.

The models follow opus-mt's conventions (``</s>`` = 0, ``<unk>`` = 1, ``<pad>`` last,
decoder start = pad, one joint ``vocab.json`` and a sentencepiece model per side) so
that the same directory loads with ``MarianMTModel``/``MarianTokenizer`` and converts
to CTranslate2 like a real opus-mt checkpoint.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path
from typing import Any

from workers import model_manifest
from workers.demo_corpus import CORPORA

log = logging.getLogger(__name__)

MAX_STEPS = 2000
CHECK_EVERY = 100


def model_dir_name(src: str, tgt: str) -> str:
    """Directory name used for a demo model, in opus-mt's naming style."""
    return f"demo-opus-mt-{src}-{tgt}"


def _train_spm(lines: list[str], prefix: Path) -> None:
    import sentencepiece as spm

    text = prefix.with_suffix(".txt")
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spm.SentencePieceTrainer.train(
        input=str(text),
        model_prefix=str(prefix),
        vocab_size=160,
        hard_vocab_limit=False,
        character_coverage=1.0,
        model_type="unigram",
        minloglevel=2,
    )


def _pieces(model_file: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model_file))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())
            if not sp.is_control(i) and not sp.is_unknown(i)]


def build_model(src: str, tgt: str, out_dir: Path, seed: int = 0) -> Path:
    """Train one tiny Marian model for ``src``→``tgt`` and save it under ``out_dir``."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    pairs = CORPORA[(src, tgt)]
    target = out_dir / model_dir_name(src, tgt)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        _train_spm([s for s, _ in pairs], tmpdir / "source")
        _train_spm([t for _, t in pairs], tmpdir / "target")
        vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
        for piece in _pieces(tmpdir / "source.model") + _pieces(tmpdir / "target.model"):
            vocab.setdefault(piece, len(vocab))
        vocab["<pad>"] = len(vocab)
        (target / "source.spm").write_bytes((tmpdir / "source.model").read_bytes())
        (target / "target.spm").write_bytes((tmpdir / "target.model").read_bytes())
    (target / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (target / "tokenizer_config.json").write_text(
        json.dumps({"source_lang": src, "target_lang": tgt, "model_max_length": 512,
                    "tokenizer_class": "MarianTokenizer", "separate_vocabs": False}),
        encoding="utf-8",
    )
    tokenizer = MarianTokenizer.from_pretrained(str(target))

    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab), d_model=64, encoder_layers=2, decoder_layers=2,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=128,
        decoder_ffn_dim=128, max_position_embeddings=128, pad_token_id=pad, eos_token_id=0,
        # Dropout while learning spreads each decision over many weights, so the model
        # survives CTranslate2's int8 quantization; without it, a few sentences stutter.
        decoder_start_token_id=pad, forced_eos_token_id=0, dropout=0.1,
        attention_dropout=0.0, activation_dropout=0.1, activation_function="swish",
        scale_embedding=True, share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True, static_position_embeddings=True, num_beams=1,
        max_length=64, bad_words_ids=[[pad]],
    )
    torch.manual_seed(seed)
    # One thread: a model this small gains nothing from more, and on a busy machine
    # OpenMP threads spinning against each other make training many times slower.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model = _train(MarianMTModel(config), tokenizer, pairs, pad, src, tgt)
    finally:
        torch.set_num_threads(threads)
    model.save_pretrained(str(target))
    tokenizer.save_pretrained(str(target))
    write_manifest(target, src, tgt)
    return target


def write_manifest(model_dir: Path, src: str, tgt: str) -> Path:
    """Say in the directory that it is a demo model for one pair, so routing ranks it last."""
    return model_manifest.write(model_dir, model_manifest.Manifest(
        name=model_dir.name, pairs=((src, tgt),), demo=True, family="marian",
        license="built locally from workers/demo_corpus.py",
        extra={"about": f"a tiny model that knows {len(CORPORA[(src, tgt)])} sentences "
                        "by heart; only for trying the desk"}))


def _train(model: Any, tokenizer: Any, pairs: list[tuple[str, str]], pad: int, src: str,
           tgt: str) -> Any:
    """Teacher-forced AdamW steps until greedy decoding reproduces every pair, in float32
    and after int8 conversion (the desk serves CTranslate2 int8 first)."""
    import torch

    batch = tokenizer([s for s, _ in pairs], text_target=[t for _, t in pairs],
                      padding=True, return_tensors="pt")
    batch["labels"][batch["labels"] == pad] = -100
    optim = torch.optim.AdamW(model.parameters(), lr=3e-3)
    model.train()
    for step in range(1, MAX_STEPS + 1):
        loss = model(**batch).loss
        loss.backward()
        optim.step()
        optim.zero_grad()
        with torch.no_grad():  # opus-mt's convention: decoding starts from a zero embedding
            model.model.shared.weight[pad].zero_()
        if (step % CHECK_EVERY == 0 and step >= 300 and _reproduces(model, tokenizer, pairs)
                and _reproduces_int8(model, tokenizer, pairs, src, tgt)):
            log.info("demo model %s-%s learned its pairs in %d steps", src, tgt, step)
            break
    else:
        raise RuntimeError(f"demo model {src}-{tgt} did not learn its pairs in {MAX_STEPS} steps")
    model.eval()
    return model


def _reproduces(model: object, tokenizer: object, pairs: list[tuple[str, str]]) -> bool:
    import torch

    model.eval()  # type: ignore[attr-defined]
    with torch.no_grad():
        enc = tokenizer([s for s, _ in pairs], padding=True, return_tensors="pt")  # type: ignore[operator]
        out = model.generate(**enc, num_beams=1, max_new_tokens=64)  # type: ignore[attr-defined]
    got = tokenizer.batch_decode(out, skip_special_tokens=True)  # type: ignore[attr-defined]
    model.train()  # type: ignore[attr-defined]
    return all(g == t for g, (_, t) in zip(got, pairs, strict=True))


def _reproduces_int8(model: Any, tokenizer: Any, pairs: list[tuple[str, str]], src: str,
                     tgt: str) -> bool:
    from workers.engines.ctranslate2_engine import CTranslate2Engine
    from workers.engines.pool import ModelPool

    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        engine = CTranslate2Engine(tmp, Path(tmp) / "ct2", compute_type="int8", device="cpu",
                                   pool=ModelPool(1))
        got = [r.text for r in engine.translate([s for s, _ in pairs], src, tgt)]
    return got == [t for _, t in pairs]


def build_all(out_dir: Path) -> list[Path]:
    """Build every demo model that is missing under ``out_dir``; return their paths."""
    built = []
    for src, tgt in CORPORA:
        path = out_dir / model_dir_name(src, tgt)
        if not (path / "config.json").exists():
            build_model(src, tgt, out_dir)
        elif model_manifest.read(path) is None:  # built before demo models said so
            write_manifest(path, src, tgt)
        built.append(path)
    return built
