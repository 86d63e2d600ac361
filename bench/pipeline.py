"""Where the time goes: articles through the API, a real Celery worker, PostgreSQL and CTranslate2.

    .venv/bin/python -m bench.pipeline                 # the full run (opus-mt-shaped model)
    .venv/bin/python -m bench.pipeline --small --articles 8 --burst 12 --sizes 1000,5000
    .venv/bin/python -m bench.pipeline --device cuda   # int8_float16 on the GPU

Articles are submitted with the JSON API (the Flask app in this process, with the real
Celery dispatch) to two worker processes (prefork, one child each) on Redis and a fresh
PostgreSQL database: one shares engine batches across waiting jobs (the default), the
other runs one job per task (``LINGUADESK_SHARE_CHARS=0``). Only one is busy at a time.
The model is a random-weight MarianMT of opus-mt-en-de's shape (bench/mt_throughput.py
builds it) on CTranslate2, every output forced to the corpus's mean sentence length.

Each task logs a timing record (workers/tasks.py, workflow/timing.py): its wall time and
the seconds of each stage. The table puts, side by side, articles per minute, sentences
per second, p50/p95 submit→draft and the engine's share; the breakdown says where the
rest of the wall time (first submit → last draft) went. Then: the burst ratio (50
one-paragraph articles, shared batches / one job per task), the long-article ratio, and
the time per 1k characters at 1k, 10k and 100k characters, two ways:

- linearity (the floor): the same volume of text at each size (100 x 1k, 10 x 10k,
  1 x 100k), all queued (the worker paused while they are submitted, timed from when it
  resumes) as a newsroom's queue holds them, so what is compared is what the desk spends
  per 1k characters whether the text comes in short or long pieces;
- latency: one article of each size alone on an idle worker, for transparency: a short
  article waits for fixed costs (dispatch, claim, commit) and runs small engine batches.

``LINGUADESK_BENCH_PROFILE=1`` writes a cProfile of each worker's tasks to the workdir.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.mt_throughput import (  # noqa: E402
    FULL,
    GPU_BATCH_TOKENS,
    SMALL,
    build_model,
    compute_type,
    corpus,
    resolve_device,
)

PG_ADMIN = os.environ.get("LINGUADESK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("LINGUADESK_BENCH_REDIS", "redis://127.0.0.1:6379/13")
STAGES = ("batch wait", "claim", "lookups", "segmentation", "cache", "saving")


def article(rng: random.Random, sentences: list[str], chars: int) -> tuple[str, str]:
    """A title and paragraphs of 2–6 news sentences, about ``chars`` characters in all."""
    title = rng.choice(sentences).rstrip(".")
    paragraphs: list[str] = []
    size = len(title)
    while size < chars:
        para = " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))
        paragraphs.append(para)
        size += len(para) + 2
    return title, "\n\n".join(paragraphs)


def mixed(rng: random.Random, sentences: list[str], n: int) -> list[tuple[str, str]]:
    """``n`` articles of newsroom shapes: briefs, reports and the odd long read."""
    shapes = [400, 800, 1500, 2500, 4000, 4000, 6000, 12000]
    return [article(rng, sentences, rng.choice(shapes)) for _ in range(n)]


# -- the worker ----------------------------------------------------------------------------
def run_worker(argv: list[str]) -> None:
    """A Celery worker whose CTranslate2 engines decode exactly ``--force`` tokens."""
    force = int(os.environ["LINGUADESK_BENCH_FORCE_TOKENS"])
    from workers.engines.ctranslate2_engine import CTranslate2Engine

    original = CTranslate2Engine.__init__

    def forced(self: CTranslate2Engine, *args: Any, **kwargs: Any) -> None:
        # Random weights never stop on their own: every output gets the corpus's mean length.
        kwargs.setdefault("translate_kwargs", {"min_decoding_length": force,
                                               "max_decoding_length": force})
        original(self, *args, **kwargs)

    CTranslate2Engine.__init__ = forced  # type: ignore[method-assign]
    from workers.celery_app import celery

    if os.environ.get("LINGUADESK_BENCH_PROFILE"):
        _profile_tasks(Path(os.environ["LINGUADESK_BENCH_PROFILE"]))

    celery.worker_main(["worker", *argv])


def _profile_tasks(path: Path) -> None:
    """cProfile every task of this worker; the stats so far go to ``path`` after each."""
    import cProfile

    from celery.signals import task_postrun, task_prerun

    profiler = cProfile.Profile()

    @task_prerun.connect(weak=False)
    def _on(**_: object) -> None:
        profiler.enable()

    @task_postrun.connect(weak=False)
    def _off(**_: object) -> None:
        profiler.disable()
        profiler.dump_stats(str(path))


@dataclass
class Worker:
    """One worker process on its own queues; its log holds the timing records."""

    name: str
    prefix: str
    log: Path
    proc: subprocess.Popen[bytes]
    offset: int = 0

    def records(self) -> list[dict[str, Any]]:
        """The timing records logged since the last call."""
        data = self.log.read_bytes()
        new, self.offset = data[self.offset:], len(data)
        out = []
        for line in new.decode(errors="replace").splitlines():
            if '"timings"' in line:
                try:
                    out.append(json.loads(line)["timings"])
                except (ValueError, KeyError):
                    continue
        return out


def start_worker(name: str, env: dict[str, str], workdir: Path, share: bool) -> Worker:
    prefix = f"bench{uuid.uuid4().hex[:8]}-"
    log = workdir / f"worker-{name}.log"
    wenv = {**env, "LINGUADESK_QUEUE_PREFIX": prefix,
            "LINGUADESK_BENCH_PROFILE": (str(workdir / f"profile-{name}.pstats")
                                         if env.get("LINGUADESK_BENCH_PROFILE") else ""),
            "LINGUADESK_SHARE_CHARS": env.get("LINGUADESK_SHARE_CHARS", "16000") if share
            else "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.pipeline", "--worker", "-Q", f"{prefix}mt",
         "-c", "1", "--pool", "prefork", "-n", f"{prefix}@%h", "-l", "INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=REPO, env=wenv, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True)
    return Worker(name, prefix, log, proc)


# -- one scenario --------------------------------------------------------------------------
@dataclass
class Result:
    """One batch of articles through one worker."""

    label: str
    articles: int
    chars: int
    span: float
    latencies: list[float]
    records: list[dict[str, Any]] = field(default_factory=list)

    def total(self, stage: str) -> float:
        """Seconds in ``stage`` over every task."""
        return sum(float(r["stages"].get(stage, 0.0)) for r in self.records)

    @property
    def busy(self) -> float:
        """Seconds the worker spent inside tasks."""
        return sum(float(r["wall"]) for r in self.records)

    @property
    def sentences(self) -> int:
        """Sentences (engine inputs) translated."""
        return sum(int(r.get("sentences", 0)) for r in self.records)

    @property
    def per_minute(self) -> float:
        """Articles per minute, first submit to last draft."""
        return self.articles / self.span * 60

    def pct(self, p: float) -> float:
        """A percentile of submit→draft, in seconds."""
        data = sorted(self.latencies)
        return data[min(len(data) - 1, round(p / 100 * (len(data) - 1)))]


class Bench:
    """The database, the web app, the workers; one scenario at a time."""

    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args, self.workdir = args, workdir
        self.rng = random.Random(11)
        self.sentences = corpus(2000, seed=3)

    def setup(self) -> None:
        import psycopg

        from tests.conftest import create_test_app
        from workflow.db import Database
        from workflow.services.tokens import create_token
        from workflow.services.users import create_user
        from workflow.uow import UnitOfWork

        shape = SMALL if self.args.small else FULL
        model = build_model(self.workdir, shape, corpus(500))
        device, compute = self._device()
        from workers.engines.ctranslate2_engine import converted_dir

        converted_dir(model, self.workdir / "ct2", compute)  # once, before anything is timed
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(str(model))
        lengths = [len(ids) for ids in tok(self.sentences[:500])["input_ids"]]
        force = round(sum(lengths) / len(lengths))
        self.db_name = f"ld_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        url = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        self.url = f"{url}/{self.db_name}"
        self.db = Database(self.url)
        self.db.migrate()
        with UnitOfWork(self.db) as uow:
            create_user(uow, "bench@desk.test", "x" * 12, ["editor"], None)
        with UnitOfWork(self.db) as uow:
            self.token = create_token(uow, "bench@desk.test", "bench")
        env = {**os.environ, "DATABASE_URL": self.url, "REDIS_URL": REDIS,
               "LINGUADESK_ROUTES": f"en-de=ctranslate2:{model}",
               "LINGUADESK_CT2_CACHE": str(self.workdir / "ct2"),
               "LINGUADESK_DEVICE": device, "LINGUADESK_TORCH_THREADS": str(self.args.threads),
               "LINGUADESK_BATCH_TOKENS": str(GPU_BATCH_TOKENS if device == "cuda" else 4096),
               "LINGUADESK_BENCH_FORCE_TOKENS": str(force), "LINGUADESK_TASK_TIME_LIMIT": "1800",
               "LINGUADESK_LEASE_SECONDS": "2400", "LINGUADESK_LOG_FORMAT": "json",
               "PYTHONUNBUFFERED": "1"}
        self.workers = {"shared": start_worker("shared", env, self.workdir, share=True),
                        "single": start_worker("single", env, self.workdir, share=False)}
        self.app = create_test_app(self.url, None, MAX_ARTICLE_CHARS=400_000)
        self.client = self.app.test_client()
        print(f"model {model.name} on {device} ({compute}), {self.args.threads} threads, "
              f"outputs forced to {force} tokens; PostgreSQL {self.db_name}; Redis {REDIS}",
              flush=True)

    def _device(self) -> tuple[str, str]:
        device = resolve_device(self.args.device)  # says so when it falls back to the CPU
        return device, compute_type(device)

    def close(self) -> None:
        import psycopg

        for w in getattr(self, "workers", {}).values():
            if w.proc.poll() is None:
                os.killpg(w.proc.pid, 9)
                w.proc.wait(timeout=30)
        if hasattr(self, "db"):
            self.db.engine.dispose()
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def run(self, label: str, worker: str, articles: list[tuple[str, str]],
            queued: bool = False) -> Result:
        """Submit ``articles`` to ``worker``'s queue; wait until every one is a draft.

        ``queued``: the worker is paused (SIGSTOP) while they are submitted and timed from
        when it resumes, so it finds them all waiting, as a newsroom's queue holds them,
        and the web tier's work of submitting them does not share its two cores.
        """
        from sqlalchemy import func, select

        from workflow.models import AuditEvent, Translation

        w = self.workers[worker]
        w.records()  # forget what earlier scenarios logged
        os.environ["LINGUADESK_QUEUE_PREFIX"] = w.prefix
        headers = {"Authorization": f"Bearer {self.token}"}
        ids: list[int] = []
        if queued:
            os.killpg(w.proc.pid, signal.SIGSTOP)
        started = time.time()
        for title, body in articles:
            r = self.client.post("/api/v1/articles", headers=headers, json={
                "title": title, "body": body, "source_language": "en",
                "target_languages": ["de"]})
            assert r.status_code == 201, r.text
            ids += [t["id"] for t in r.get_json()["translations"]]
        if queued:
            started = time.time()
            os.killpg(w.proc.pid, signal.SIGCONT)
        deadline = time.monotonic() + self.args.timeout
        while time.monotonic() < deadline:
            with self.db.session() as s:
                left = s.scalar(select(func.count()).where(
                    Translation.id.in_(ids), Translation.state.not_in(["draft", "failed"])))
            if not left:
                break
            if w.proc.poll() is not None:
                raise RuntimeError(f"worker {worker} died; see {w.log}")
            time.sleep(0.05)
        else:
            raise RuntimeError(f"{label}: not done after {self.args.timeout} s; see {w.log}")
        with self.db.session() as s:
            created = dict(s.execute(select(Translation.id, Translation.created_at)
                                     .where(Translation.id.in_(ids))).all())
            done = dict(s.execute(select(AuditEvent.translation_id, func.max(AuditEvent.at))
                                  .where(AuditEvent.translation_id.in_(ids),
                                         AuditEvent.action == "translation.finish")
                                  .group_by(AuditEvent.translation_id)).all())
            failed = s.scalar(select(func.count()).where(Translation.id.in_(ids),
                                                         Translation.state == "failed"))
        if failed:
            raise RuntimeError(f"{label}: {failed} jobs failed; see {w.log}")
        latencies = [(done[t] - created[t]).total_seconds() for t in ids]
        span = max(d.timestamp() for d in done.values()) - started
        time.sleep(0.3)  # the last record is logged just after the commit
        records = [r for r in w.records() if set(r.get("jobs", [])) & set(ids)]
        return Result(label, len(articles), sum(len(t) + len(b) for t, b in articles), span,
                      latencies, records)


# -- the report ----------------------------------------------------------------------------
def table(results: list[Result]) -> None:
    """Throughput and latency side by side, then where each run's wall time went."""
    print(f"\n{'run':<28}{'articles/min':>13}{'sentences/s':>12}{'p50 s':>8}{'p95 s':>8}"
          f"{'engine s':>10}{'wall s':>8}{'overhead':>10}")
    for r in results:
        engine = r.total("engine")
        print(f"{r.label:<28}{r.per_minute:>13.1f}{r.sentences / r.span:>12.1f}"
              f"{r.pct(50):>8.2f}{r.pct(95):>8.2f}{engine:>10.2f}{r.span:>8.2f}"
              f"{(1 - engine / r.span):>10.1%}")
    print(f"\nshare of wall time (first submit → last draft){'':<2}"
          + "".join(f"{s:>13}" for s in ("queue/idle", *STAGES, "other")))
    for r in results:
        staged = sum(r.total(s) for s in STAGES) + r.total("engine")
        parts = [r.span - r.busy, *(r.total(s) for s in STAGES), r.busy - staged]
        print(f"{r.label:<48}" + "".join(f"{p / r.span:>13.2%}" for p in parts))


def best_of(n: int, runs: list[tuple[Bench, str, str, list[tuple[str, str]]]],
            queued: bool = False) -> list[Result]:
    """Each run ``n`` times, in turns (a busy machine slows all alike); the fastest of each."""
    best: dict[str, Result] = {}
    for _ in range(max(n, 1)):
        for bench, label, worker, articles in runs:
            r = bench.run(label, worker, articles, queued)
            if label not in best or r.span < best[label].span:
                best[label] = r
    return [best[label] for _, label, _, _ in runs]


def report(results: list[Result], linear: list[Result], volume: list[Result],
           burst: int, volume_chars: int) -> None:
    """The floor lines: overhead, the two ratios, the time per 1k characters."""
    by = {r.label: r for r in results}
    mixed_shared = results[0]
    print(f"\noverhead {(1 - mixed_shared.total('engine') / mixed_shared.span):.1%}"
          f" (mixed run, one worker busy: wall time not in the engine)")
    b, s = by[f"burst x{burst} shared"], by[f"burst x{burst} one per task"]
    print(f"ratio burst shared/one-per-task articles/min {b.per_minute / s.per_minute:.2f}")
    lb, ls = by["long x1 shared"], by["long x1 one per task"]
    print(f"ratio long shared/one-per-task articles/min {lb.per_minute / ls.per_minute:.2f}")
    per_k = [r.span / (r.chars / 1000) for r in linear]
    outside = [(r.span - r.total("engine")) / (r.chars / 1000) for r in linear]
    engine = [r.total("engine") / max(r.sentences, 1) for r in linear]
    print("linearity seconds per 1k chars, the same volume of text at each size "
          f"(about {volume_chars // 1000}k chars at each size, all queued, then the worker "
          "resumed): "
          + ", ".join(f"{r.label.split()[0]} {r.span / (r.chars / 1000):.3f}" for r in volume)
          + f"; max/min {_spread([r.span / (r.chars / 1000) for r in volume]):.2f}")
    print("  outside the engine per 1k chars: "
          + ", ".join(f"{r.label.split()[0]} {(r.span - r.total('engine')) / (r.chars / 1000):.3f}"
                      for r in volume)
          + "; engine seconds per sentence: "
          + ", ".join(f"{r.label.split()[0]} {r.total('engine') / max(r.sentences, 1):.3f}"
                      for r in volume))
    print("latency seconds per 1k chars, one article alone on an idle worker (not the floor: "
          "fixed costs per article and the small engine batches of a short one): "
          + ", ".join(f"{r.chars // 1000}k {p:.3f}" for r, p in zip(linear, per_k, strict=True))
          + f"; max/min {_spread(per_k):.2f}")
    print("  outside the engine per 1k chars: "
          + ", ".join(f"{r.chars // 1000}k {p:.3f}" for r, p in zip(linear, outside, strict=True))
          + "; engine seconds per sentence: "
          + ", ".join(f"{r.chars // 1000}k {e:.3f}" for r, e in zip(linear, engine, strict=True)))


def _spread(values: list[float]) -> float:
    return max(values) / min(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20, help="mixed articles")
    parser.add_argument("--burst", type=int, default=50, help="one-paragraph articles")
    parser.add_argument("--long-chars", type=int, default=30000)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--volume", type=int, default=0,
                        help="characters per size in the linearity runs (default: the largest)")
    parser.add_argument("--small", action="store_true", help="a tiny model (smoke test)")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--threads", type=int, default=min(os.cpu_count() or 1, 4))
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of the long and sized articles (the fastest counts)")
    parser.add_argument("--workdir", type=Path, default=REPO / "instance" / "bench")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.worker:
        run_worker(rest)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    os.environ["REDIS_URL"] = REDIS  # before the Celery app is imported: it reads it once
    bench = Bench(args, args.workdir)
    try:
        bench.setup()
        rng, sents = bench.rng, bench.sentences
        for name in ("shared", "single"):  # load each worker's model before timing
            bench.run(f"warm-up {name}", name, [article(rng, sents, 300)])
        mix = mixed(rng, sents, args.articles)
        burst = [article(rng, sents, 350) for _ in range(args.burst)]
        long = [article(rng, sents, args.long_chars)]
        results = [bench.run(f"mixed x{len(mix)} shared", "shared", mix),
                   bench.run(f"mixed x{len(mix)} one per task", "single", mix),
                   bench.run(f"burst x{len(burst)} shared", "shared", burst),
                   bench.run(f"burst x{len(burst)} one per task", "single", burst),
                   *best_of(args.repeat, [(bench, "long x1 shared", "shared", long),
                                          (bench, "long x1 one per task", "single", long)])]
        sizes = [int(s) for s in args.sizes.split(",")]
        linear = best_of(args.repeat, [
            (bench, f"{n // 1000}k chars shared", "shared", [article(rng, sents, n)])
            for n in sizes])
        # The same volume at each size, submitted together, as a newsroom's queue holds it:
        # what the desk spends per 1k characters whether they come long or short.
        total = args.volume or max(sizes)
        volume = best_of(args.repeat, [
            (bench, f"{n // 1000}k x{max(total // n, 1)} queued", "shared",
             [article(rng, sents, n) for _ in range(max(total // n, 1))]) for n in sizes],
            queued=True)
        table(results + linear + volume)
        report(results, linear, volume, len(burst), total)
    finally:
        bench.close()


if __name__ == "__main__":
    main()
