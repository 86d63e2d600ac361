"""How CTranslate2's batch size and compute type move beam/greedy speed on this CPU.

    .venv/bin/python bench/ct2_batching.py                 # beam 4, 60 sentences
    .venv/bin/python bench/ct2_batching.py --beam 1

Uses the model and corpus of ``bench/mt_throughput.py`` (built there once) and one loaded
translator per compute type, so every row is measured side by side in one process:
Argos Translate's batching (32 tokens) against token budgets and example counts. Each row
is run twice; ratios are against the Argos row of the same compute type.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mt_throughput as mt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--sentences", type=int, default=60)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--compute", default="int8,float32")
    parser.add_argument("--small", action="store_true", help="a tiny model (smoke test)")
    parser.add_argument("--workdir", type=Path, default=mt.REPO / "instance" / "bench")
    args = parser.parse_args()

    import ctranslate2
    from transformers import AutoTokenizer

    from workers.engines.ctranslate2_engine import converted_dir

    model_dir = mt.build_model(args.workdir, mt.SMALL if args.small else mt.FULL, mt.corpus(500))
    tok = AutoTokenizer.from_pretrained(str(model_dir))
    texts = mt.corpus(args.sentences)
    tokens = [tok.convert_ids_to_tokens(tok(t).input_ids) for t in texts]
    out = round(sum(map(len, tokens)) / len(tokens))
    force = {"min_decoding_length": out, "max_decoding_length": out, "beam_size": args.beam}
    rows = [("argos (32 tokens)", {"max_batch_size": 32, "batch_type": "tokens",
                                   "length_penalty": 0.2, "replace_unknowns": True})]
    rows += [(f"{n} tokens", {"max_batch_size": n, "batch_type": "tokens"})
             for n in (256, 512, 1024, 2048)]
    rows += [(f"{n} sentences", {"max_batch_size": n, "batch_type": "examples"}) for n in (16, 64)]
    print(f"beam {args.beam}, {len(texts)} sentences, outputs forced to {out} tokens, "
          f"{args.threads} threads")
    for compute in args.compute.split(","):
        path = converted_dir(model_dir, args.workdir / "ct2", compute)
        translator = ctranslate2.Translator(str(path), device="cpu", compute_type=compute,
                                            inter_threads=1, intra_threads=args.threads)
        translator.translate_batch(tokens[:4], **force)  # warm up
        rate: dict[str, float] = {}
        for _ in range(2):
            for name, kwargs in rows:
                started = time.perf_counter()
                translator.translate_batch(tokens, **force, **kwargs)
                rate[name] = max(rate.get(name, 0.0),
                                 len(texts) * out / (time.perf_counter() - started))
        base = rate[rows[0][0]]
        for name, _ in rows:
            print(f"{compute:<8} {name:<20} {rate[name]:8.1f} tok/s  ×{rate[name] / base:5.2f}")
        del translator


if __name__ == "__main__":
    main()
