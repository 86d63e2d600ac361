"""MT throughput, measured side by side in one run: the newcomer's way against our engines.

    .venv/bin/python bench/mt_throughput.py                  # the full run (500 sentences)
    .venv/bin/python bench/mt_throughput.py --sentences 40   # a quick look
    .venv/bin/python bench/mt_throughput.py --device cuda    # on the GPU (CPU if none)
    .venv/bin/python bench/mt_throughput.py --overhead --threads 1 --sentences 16
                                                             # what confidence costs

A random-weight MarianMT with opus-mt-en-de's shape (d_model 512, 6+6 layers, 8 heads,
FFN 2048, vocab 58101, tied embeddings) is built once with a local tokenizer, so every
contender runs the same compute; output lengths are forced equal (random weights never
stop on their own). Each contender runs in its own process (its memory is its own) and
the corpus is fed in rounds, every contender in turn, so a busy machine slows all alike:

  (a) baseline     transformers.pipeline("translation"), one call per sentence
  (b) transformers our TransformersEngine (length-sorted, token-budgeted batches)
  (c) ct2          our CTranslate2Engine, int8
  (d) argos        CTranslate2 int8 with Argos Translate's batching
                   (max_batch_size=32, batch_type="tokens": about one sentence a batch)

``--overhead`` measures instead what the confidence of each segment costs, in one
process: each engine (transformers, ct2) and mode (greedy, beam4) is built twice over one
loaded model, with and without its scores, and the two translate the same sentences in
alternate order (on, off, off, on, ...) ``--repeats`` times each, so a busy machine's
slow moments fall on both alike. The process's CPU time is what is compared (``--clock
wall`` for the wall clock; on a GPU always the wall clock): on a shared machine, others'
work stretches the wall clock of one run and not the other, and not the CPU time, which
is cleanest with ``--threads 1`` (no thread waits for a descheduled sibling). Many short
pairs beat a few long ones: on a busy 2-core machine seven pairs of 32 sentences still
scattered ±3% around the truth, twenty-one pairs of 16 sentences about ±1%.
``scores overhead <engine> <mode>: X.X%`` is the median of the paired ratios (time with
/ time without, minus one), beside the ratio of the best runs of each.

With ``--device cuda`` every contender runs on the GPU: transformers in fp16, CTranslate2
in int8_float16, our engines with token budgets four times larger. Without a GPU the run
says so and measures the CPU instead.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CONTENDERS = {"a": "baseline", "b": "transformers", "c": "ct2", "d": "argos"}
MODES = {"greedy": 1, "beam4": 4}
FULL = {"d_model": 512, "layers": 6, "heads": 8, "ffn": 2048, "vocab": 58101}
SMALL = {"d_model": 64, "layers": 2, "heads": 4, "ffn": 128, "vocab": 3001}

SUBJECTS = ["The minister", "The city council", "Officials in the capital", "The central bank",
            "Local farmers", "The football club", "Scientists at the university", "The mayor",
            "Opposition leaders", "Thousands of residents", "The company", "The court",
            "Health authorities", "The prime minister", "Teachers' unions", "Rescue teams"]
VERBS = ["announced", "rejected", "approved", "criticised", "welcomed", "postponed",
         "questioned", "defended", "published", "investigated", "confirmed", "delayed"]
OBJECTS = ["a new budget for schools and hospitals", "the plan to expand the northern railway",
           "a report on rising food prices", "the agreement with neighbouring countries",
           "new rules for short-term rentals", "an inquiry into the collapse of the bridge",
           "the proposal to raise the minimum wage", "emergency funding for flooded towns",
           "the results of the regional election", "a programme to plant a million trees"]
TAILS = ["on Monday", "after weeks of talks", "despite strong protests outside parliament",
         "in a statement released late on Friday", "following a heated debate",
         "as inflation continued to climb", "before the summer holidays begin",
         "according to people familiar with the matter", "amid growing public anger",
         "in a move that surprised many observers", "for the third time this year",
         "while thousands gathered in the main square to watch"]
CLAUSES = ["saying the decision would protect jobs in the region",
           "although critics warned that the costs had been badly underestimated",
           "and promised to publish the full details within a month",
           "which could affect more than two million households across the country",
           "while insisting that no final decision had yet been taken"]


def corpus(n: int, seed: int = 7) -> list[str]:
    """``n`` news-like English sentences of roughly 10 to 60 tokens."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            parts.append(rng.choice(TAILS))
        for _ in range(rng.choice([0, 1, 1, 2])):
            parts[-1] += ","
            parts.append(rng.choice(CLAUSES))
        sentence = " ".join(parts) + "."
        out.append(sentence)
    return out


def build_model(out: Path, shape: dict[str, int], sentences: list[str]) -> Path:
    """A random-weight MarianMT of ``shape`` with a sentencepiece tokenizer built here."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    target = out / f"random-opus-mt-en-de-{shape['d_model']}x{shape['layers']}"
    if (target / "config.json").exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / "corpus.txt"
        text.write_text("\n".join(sentences) + "\n", encoding="utf-8")
        spm.SentencePieceTrainer.train(input=str(text), model_prefix=f"{tmp}/sp",
                                       vocab_size=2000, hard_vocab_limit=False, model_type="bpe",
                                       character_coverage=1.0, minloglevel=2)
        sp = spm.SentencePieceProcessor(model_file=f"{tmp}/sp.model")
        vocab = {"</s>": 0, "<unk>": 1}
        for i in range(sp.get_piece_size()):
            if not (sp.is_control(i) or sp.is_unknown(i)):
                vocab.setdefault(sp.id_to_piece(i), len(vocab))
        while len(vocab) < shape["vocab"] - 1:  # opus-mt-en-de's vocabulary size, pad last
            vocab[f"▁w{len(vocab)}"] = len(vocab)
        vocab["<pad>"] = len(vocab)
        for side in ("source", "target"):
            (target / f"{side}.spm").write_bytes(Path(f"{tmp}/sp.model").read_bytes())
    (target / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (target / "tokenizer_config.json").write_text(json.dumps(
        {"source_lang": "en", "target_lang": "de", "model_max_length": 512,
         "tokenizer_class": "MarianTokenizer", "separate_vocabs": False}), encoding="utf-8")
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab), d_model=shape["d_model"], encoder_layers=shape["layers"],
        decoder_layers=shape["layers"], encoder_attention_heads=shape["heads"],
        decoder_attention_heads=shape["heads"], encoder_ffn_dim=shape["ffn"],
        decoder_ffn_dim=shape["ffn"], max_position_embeddings=512, pad_token_id=pad,
        eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=0,
        activation_function="swish", scale_embedding=True,
        share_encoder_decoder_embeddings=True, tie_word_embeddings=True,
        static_position_embeddings=True, num_beams=1, max_length=512)
    torch.manual_seed(0)
    model = MarianMTModel(config)
    with torch.no_grad():
        model.model.shared.weight[pad].zero_()
    model.save_pretrained(str(target))
    MarianTokenizer.from_pretrained(str(target)).save_pretrained(str(target))
    return target


def gflop_per_token(shape: dict[str, int], src: float, beams: int) -> float:
    """Multiply-adds ×2 per target token: decoder and output layer ×beams, encoder once."""
    d, f, n, v = shape["d_model"], shape["ffn"], shape["layers"], shape["vocab"]
    encoder = n * (4 * d * d + 2 * d * f) + n * 2 * d * d  # per source token, plus cross k/v
    decoder = n * (4 * d * d + 2 * d * d + 2 * d * f) + d * v
    return 2 * (encoder * src + decoder * beams * src) / src / 1e9


GPU_BATCH_TOKENS = 16384  # a GPU wants far larger batches than a CPU's 4096 tokens


def resolve_device(wanted: str) -> str:
    """``cuda`` when asked for and present (both torch and CTranslate2 see it), else ``cpu``."""
    if wanted != "cuda":
        return "cpu"
    import ctranslate2
    import torch

    if torch.cuda.is_available() and ctranslate2.get_cuda_device_count() > 0:
        return "cuda"
    print("--device cuda: no CUDA device visible to torch and CTranslate2 here; "
          "measuring on the CPU instead", flush=True)
    return "cpu"


def compute_type(device: str) -> str:
    """CTranslate2's quantization for the device: int8 on CPU, int8_float16 on CUDA."""
    return "int8_float16" if device == "cuda" else "int8"


def gemm_gflops(threads: int, device: str = "cpu") -> float:
    """The machine's matrix-multiply rate (float32 on CPU, fp16 on CUDA), in GFLOP/s."""
    import torch

    if device == "cuda":
        a = torch.randn(4096, 4096, device="cuda", dtype=torch.float16)
        b = torch.randn(4096, 4096, device="cuda", dtype=torch.float16)
        for _ in range(3):
            a @ b
        torch.cuda.synchronize()
        started = time.perf_counter()
        for _ in range(20):
            a @ b
        torch.cuda.synchronize()
        return 20 * 2 * 4096**3 / (time.perf_counter() - started) / 1e9
    torch.set_num_threads(threads)
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    for _ in range(3):
        a @ b
    best = 0.0
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(10):
            a @ b
        best = max(best, 10 * 2 * 1024**3 / (time.perf_counter() - started) / 1e9)
    return best


def _peak_reset() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve(name: str, model_dir: Path, ct2_dir: Path, out_tokens: int, threads: int,
          device: str = "cpu") -> None:
    """One contender's process: load once, then translate the rounds the parent sends."""
    import torch

    torch.set_num_threads(threads)
    from workers.engines.ctranslate2_engine import CTranslate2Engine, converted_dir
    from workers.engines.pool import ModelPool
    from workers.engines.transformers_engine import TransformersEngine

    force_hf = {"min_new_tokens": out_tokens, "max_new_tokens": out_tokens}
    force_ct2 = {"min_decoding_length": out_tokens, "max_decoding_length": out_tokens}
    compute = compute_type(device)
    budget = GPU_BATCH_TOKENS if device == "cuda" else 4096
    runners: dict[str, Any] = {}
    pool = ModelPool(1)  # greedy and beam share one loaded model, as in a worker
    if name == "baseline":
        from transformers import pipeline

        pipe = pipeline("translation", model=str(model_dir), tokenizer=str(model_dir),
                        device=device,
                        torch_dtype=torch.float16 if device == "cuda" else torch.float32)
        for mode, beams in MODES.items():
            runners[mode] = lambda texts, b=beams: [
                pipe(t, num_beams=b, **force_hf) for t in texts]
    elif name == "transformers":
        for mode, beams in MODES.items():
            engine = TransformersEngine(model_dir, num_beams=beams, pool=pool, device=device,
                                        batch_tokens=budget, generate_kwargs=force_hf)
            engine.translate(["warm up"], "en", "de")
            runners[mode] = lambda texts, e=engine: e.translate(texts, "en", "de")
    elif name == "ct2":
        for mode, beams in MODES.items():
            engine2 = CTranslate2Engine(model_dir, ct2_dir, device=device,
                                        compute_type=compute, beam_size=beams,
                                        threads=threads, pool=pool, batch_tokens=budget,
                                        translate_kwargs=force_ct2)
            engine2.translate(["warm up"], "en", "de")
            runners[mode] = lambda texts, e=engine2: e.translate(texts, "en", "de")
    else:  # Argos Translate's way of calling CTranslate2
        import ctranslate2
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(str(model_dir))
        translator = ctranslate2.Translator(str(converted_dir(model_dir, ct2_dir, compute)),
                                            device=device, compute_type=compute,
                                            inter_threads=1, intra_threads=threads)
        for mode, beams in MODES.items():
            def run(texts: list[str], b: int = beams) -> list[str]:
                tokens = [tok.convert_ids_to_tokens(tok(t).input_ids) for t in texts]
                results = translator.translate_batch(
                    tokens, replace_unknowns=True, max_batch_size=32, batch_type="tokens",
                    beam_size=b, num_hypotheses=1, length_penalty=0.2, return_scores=False,
                    **force_ct2)
                return [tok.decode(tok.convert_tokens_to_ids(r.hypotheses[0]))
                        for r in results]
            runners[mode] = run
    print(json.dumps({"ready": True, "rss_mb": _peak_mb()}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        _peak_reset()
        started = time.perf_counter()
        runners[job["mode"]](job["texts"])
        print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}),
              flush=True)


class Contender:
    """A contender's process, spoken to with one JSON line per round."""

    def __init__(self, name: str, args: list[str]) -> None:
        self.name = name
        self.proc = subprocess.Popen([sys.executable, __file__, "--serve", name, *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ready = self._read()

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"contender {self.name} died")
        return dict(json.loads(line))

    def run(self, mode: str, texts: list[str]) -> dict[str, Any]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"mode": mode, "texts": texts}) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


def report(names: list[str], seconds: dict[tuple[str, str], float],
           peak: dict[tuple[str, str], float], total: int, shape: dict[str, int],
           mean_src: float, ceiling: float) -> None:
    """The table and the ratio lines for what has been measured so far."""
    rates = {k: total / v for k, v in seconds.items()}
    print(f"{'contender':<14}{'mode':<8}{'tok/s':>9}{'seconds':>9}{'peak RSS MB':>13}"
          f"{'of ceiling':>12}")
    for (name, mode), rate in rates.items():
        frac = rate * gflop_per_token(shape, mean_src, MODES[mode]) / ceiling
        print(f"{name:<14}{mode:<8}{rate:>9.1f}{seconds[(name, mode)]:>9.1f}"
              f"{peak[(name, mode)]:>13.0f}{frac:>11.1%}")
    for mode in MODES:
        base = rates.get(("baseline", mode))
        for name in names:
            if base and (name, mode) in rates:
                print(f"ratio {name}/baseline {mode} {rates[(name, mode)] / base:.2f}")
        if ("ct2", mode) in rates and ("argos", mode) in rates:
            print(f"ratio ct2/argos {mode} {rates[('ct2', mode)] / rates[('argos', mode)]:.2f}")
    sys.stdout.flush()


def scores_engines(engine: str, beams: int, model_dir: Path, ct2_dir: Path, out_tokens: int,
                   threads: int, device: str, pool: Any) -> tuple[Any, Any]:
    """One engine twice, with and without its scores, over one loaded model."""
    from workers.engines.ctranslate2_engine import CTranslate2Engine
    from workers.engines.transformers_engine import TransformersEngine

    budget = GPU_BATCH_TOKENS if device == "cuda" else 4096
    if engine == "transformers":
        force_hf = {"min_new_tokens": out_tokens, "max_new_tokens": out_tokens}
        made = [TransformersEngine(model_dir, num_beams=beams, pool=pool, device=device,
                                   batch_tokens=budget, generate_kwargs=force_hf, scores=on)
                for on in (True, False)]
    else:
        force_ct2 = {"min_decoding_length": out_tokens, "max_decoding_length": out_tokens}
        made = [CTranslate2Engine(model_dir, ct2_dir, device=device,
                                  compute_type=compute_type(device), beam_size=beams,
                                  threads=threads, pool=pool, batch_tokens=budget,
                                  translate_kwargs=force_ct2, scores=on)
                for on in (True, False)]
    return made[0], made[1]


def paired_overhead(on: Any, off: Any, texts: list[str], repeats: int,
                    clock: str = "cpu") -> dict[str, float]:
    """Time ``on`` and ``off`` on the same ``texts``, in alternate order, ``repeats`` each.

    ``clock`` is ``cpu`` (this process's CPU time: what a busy machine's other work does
    not add to) or ``wall``. Returns the median of the paired ratios and the ratio of the
    best runs (both minus one), the best times, and the wall clock's median for comparison.
    """
    import statistics

    def timed(engine: Any) -> tuple[float, float, list[Any]]:
        wall, cpu = time.perf_counter(), time.process_time()
        results = engine.translate(texts, "en", "de")
        return time.perf_counter() - wall, time.process_time() - cpu, results

    timed(on), timed(off)  # warm both up, untimed
    runs: dict[str, dict[str, list[float]]] = {
        "wall": {"on": [], "off": []}, "cpu": {"on": [], "off": []}}
    for r in range(repeats):
        pair = [("on", on), ("off", off)] if r % 2 == 0 else [("off", off), ("on", on)]
        outputs = {}
        for side, engine in pair:
            wall, cpu, outputs[side] = timed(engine)
            runs["wall"][side].append(wall)
            runs["cpu"][side].append(cpu)
        if [g.text for g in outputs["on"]] != [p.text for p in outputs["off"]]:
            raise SystemExit("scores changed the translations: not the same work")
        if any(g.confidence is None for g in outputs["on"]) or any(
                p.confidence is not None for p in outputs["off"]):
            raise SystemExit("scores on gave no confidence, or scores off gave one")

    def median_ratio(times: dict[str, list[float]]) -> float:
        return statistics.median(a / b for a, b in zip(times["on"], times["off"],
                                                       strict=True)) - 1

    chosen = runs[clock]
    return {"median": median_ratio(chosen), "best": min(chosen["on"]) / min(chosen["off"]) - 1,
            "best_on": min(chosen["on"]), "best_off": min(chosen["off"]),
            "wall_median": median_ratio(runs["wall"])}


def overhead(texts: list[str], model_dir: Path, ct2_dir: Path, out_tokens: int,
             threads: int, device: str, repeats: int, engines: list[str],
             clock: str = "cpu") -> None:
    """Print ``scores overhead <engine> <mode>: X.X%`` for each engine and mode."""
    import torch

    from workers.engines.pool import ModelPool

    torch.set_num_threads(threads)
    for engine in engines:
        pool = ModelPool(1)  # both variants and both modes share one loaded model
        for mode, beams in MODES.items():
            on, off = scores_engines(engine, beams, model_dir, ct2_dir, out_tokens, threads,
                                     device, pool)
            got = paired_overhead(on, off, texts, repeats, clock)
            print(f"scores overhead {engine} {mode}: {got['median']:.1%} (median of "
                  f"{repeats} paired runs, {clock} time; best runs {got['best_on']:.2f} s "
                  f"with, {got['best_off']:.2f} s without: {got['best']:+.1%}; wall-clock "
                  f"median {got['wall_median']:+.1%})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--round", type=int, default=100, help="sentences per round")
    parser.add_argument("--small", action="store_true", help="a tiny model (smoke test)")
    parser.add_argument("--contenders", default="abcd")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path, default=REPO / "instance" / "bench")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--overhead", action="store_true",
                        help="measure only what confidence costs (scores on/off, paired)")
    parser.add_argument("--repeats", type=int, default=21,
                        help="paired runs per engine and mode with --overhead")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                        help="what --overhead times: this process's CPU time (a busy "
                             "machine's other work does not count) or the wall clock")
    parser.add_argument("--engines", default="transformers,ct2",
                        help="engines to measure with --overhead")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out-tokens", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.model_dir, args.workdir / "ct2", args.out_tokens, args.threads,
              args.device)
        return
    args.device = resolve_device(args.device)

    shape = SMALL if args.small else FULL
    texts = corpus(args.sentences)
    model_dir = build_model(args.workdir, shape, corpus(500))
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))
    lengths = [len(ids) for ids in tok(texts)["input_ids"]]
    out_tokens = round(sum(lengths) / len(lengths))
    ceiling = gemm_gflops(args.threads, args.device)
    print(f"model {model_dir.name}: d_model {shape['d_model']}, {shape['layers']}+"
          f"{shape['layers']} layers, vocab {len(tok)}; {len(texts)} sentences of "
          f"{min(lengths)}-{max(lengths)} tokens (mean {out_tokens}); every output forced to "
          f"{out_tokens} tokens; {args.device}, {args.threads} threads; GEMM ceiling "
          f"{ceiling:.1f} GFLOP/s",
          flush=True)
    if args.overhead:
        engines = args.engines.split(",")
        if "ct2" in engines:  # convert once, untimed
            from workers.engines.ctranslate2_engine import converted_dir

            converted_dir(model_dir, args.workdir / "ct2", compute_type(args.device))
        overhead(texts, model_dir, args.workdir / "ct2", out_tokens, args.threads,
                 args.device, args.repeats, engines,
                 "wall" if args.device == "cuda" else args.clock)
        return
    names = [CONTENDERS[c] for c in args.contenders]
    extra = ["--model-dir", str(model_dir), "--out-tokens", str(out_tokens),
             "--threads", str(args.threads), "--workdir", str(args.workdir),
             "--device", args.device]
    if any(n.startswith("ct2") or n == "argos" for n in names):  # convert once, untimed
        from workers.engines.ctranslate2_engine import converted_dir

        converted_dir(model_dir, args.workdir / "ct2", compute_type(args.device))
    procs = [Contender(name, extra) for name in names]
    seconds = {(n, m): 0.0 for n in names for m in MODES}
    peak = {(n, m): 0.0 for n in names for m in MODES}
    try:
        for start in range(0, len(texts), args.round):
            chunk = texts[start:start + args.round]
            for mode in MODES:
                for p in procs:
                    r = p.run(mode, chunk)
                    seconds[(p.name, mode)] += r["seconds"]
                    peak[(p.name, mode)] = max(peak[(p.name, mode)], r["peak_mb"])
            done = start + len(chunk)
            print(f"-- after round {start // args.round + 1}: {done} sentences --", flush=True)
            report(names, seconds, peak, out_tokens * done, shape,
                   sum(lengths[:done]) / done, ceiling)
    finally:
        for p in procs:
            p.close()


if __name__ == "__main__":
    main()
