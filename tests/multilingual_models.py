"""Tiny random-weight M2M100 and NLLB checkpoints, built locally, for the multilingual path.

Their output is noise; what the tests check is how the engine drives them: the source
language token on the input and the target language forced as the first output token.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from workers.demo_corpus import EN_ES


def _train_spm(prefix: Path) -> Path:
    import sentencepiece as spm

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text("\n".join(s for pair in EN_ES for s in pair), encoding="utf-8")
        spm.SentencePieceTrainer.train(input=str(corpus), model_prefix=str(prefix),
                                       vocab_size=200, hard_vocab_limit=False,
                                       character_coverage=1.0, minloglevel=2)
    return Path(f"{prefix}.model")


def _save(out: Path, tokenizer: object, vocab_size: int) -> Path:
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    config = M2M100Config(
        vocab_size=vocab_size, d_model=32, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
        decoder_ffn_dim=64, max_position_embeddings=128, pad_token_id=1, bos_token_id=0,
        eos_token_id=2, decoder_start_token_id=2,
    )
    torch.manual_seed(0)
    M2M100ForConditionalGeneration(config).save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))  # type: ignore[attr-defined]
    return out


def build_m2m100(out: Path) -> Path:
    """A tiny M2M100 checkpoint (``__es__``-style language tokens)."""
    from transformers import M2M100Tokenizer

    out.mkdir(parents=True, exist_ok=True)
    spm_file = _train_spm(out / "sentencepiece.bpe")
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_file))
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for i in range(sp.get_piece_size()):
        if not sp.is_control(i) and not sp.is_unknown(i):
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = M2M100Tokenizer(str(out / "vocab.json"), str(spm_file), src_lang="en", tgt_lang="es")
    size = max([*tok.get_vocab().values(), *tok.lang_token_to_id.values()]) + 1
    return _save(out, tok, size)


def build_nllb(out: Path) -> Path:
    """A tiny NLLB-style checkpoint (FLORES codes such as ``spa_Latn``)."""
    from transformers import NllbTokenizer

    out.mkdir(parents=True, exist_ok=True)
    spm_file = _train_spm(out / "sentencepiece.bpe")
    tok = NllbTokenizer(str(spm_file), src_lang="eng_Latn", tgt_lang="spa_Latn")
    return _save(out, tok, max(tok.get_vocab().values()) + 1)
