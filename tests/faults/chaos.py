"""The fault suite's machinery: a private Redis, worker processes, and the chaos they suffer."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import redis
from celery import Celery
from sqlalchemy import func, select

from tests.processes import Desk, wait_until
from workers.demo_corpus import CORPORA
from workflow.db import Database
from workflow.errors import DomainError
from workflow.models import ArticleVersion as Version
from workflow.models import (
    AuditEvent,
    Publication,
    SourceSegment,
    TranslatedSegment,
    Translation,
    User,
    utcnow,
)
from workflow.services.articles import submit_article
from workflow.services.publishing import publish
from workflow.services.review import approve
from workflow.uow import UnitOfWork

SETTLED = {"draft", "in_review", "approved", "published", "failed"}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateRedis:
    """A redis-server of our own, without persistence, that we may kill and restart."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start (or restart) it, empty, and wait until it answers."""
        log = open(self.workdir / "redis.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir), "--maxmemory-policy",
             "noeviction"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.RedisError):
                if client.ping():
                    return
            time.sleep(0.1)
        raise AssertionError("the private redis-server did not start")

    def kill(self) -> None:
        """SIGKILL it: every message it held is gone."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (a prefork worker's pool processes)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(p) for p in path.read_text().split()]
    except OSError:
        return []


@dataclass
class Plan:
    """How big a run is and how hard it is hit."""

    articles: int
    workers: int
    kills: int
    redis_restarts: int
    languages: tuple[str, ...] = ("es", "fr")
    lease_seconds: int = 20
    max_attempts: int = 8
    settle_timeout: float = 300.0
    seed: int = 6
    # Waiting jobs share engine batches up to this much text (0: one job per task); kept
    # small so that many batches run while the faults strike.
    share_chars: int = 300
    submit_pause: float = 0.02  # at most this long between two articles


@dataclass
class Figures:
    """What happened, for the report the suite prints."""

    jobs: int = 0
    kills: int = 0
    kills_of_pool_children: int = 0
    kills_of_whole_workers: int = 0
    kills_mid_translation: int = 0
    kills_mid_shared_batch: int = 0
    redis_restarts: int = 0
    executions: int = 0
    duplicate_executions: int = 0
    skipped_executions: int = 0
    shared_batches: int = 0
    jobs_in_shared_batches: int = 0
    drafts_or_later: int = 0
    failed_after_poison_limit: int = 0
    publications: int = 0
    publish_conflicts: int = 0
    jobs_lost: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def report(self) -> str:
        """The figures, one per line."""
        lines = [f"{k.replace('_', ' ')}: {v}" for k, v in vars(self).items() if k != "failures"]
        return "\n".join(["== fault suite figures ==", *lines])


class Chaos:
    """One run: submit, kill workers and Redis at random, publish meanwhile, settle, check."""

    def __init__(self, db: Database, models_dir: Path, workdir: Path, plan: Plan) -> None:
        self.db, self.plan, self.workdir = db, plan, workdir
        self.rng = random.Random(plan.seed)
        self.redis = PrivateRedis(workdir)
        time_limit = max(plan.lease_seconds - 4, 4)
        self.desk = Desk(db.url, models_dir, workdir, redis_url=self.redis.url,
                         LINGUADESK_LEASE_SECONDS=str(plan.lease_seconds),
                         LINGUADESK_TASK_TIME_LIMIT=str(time_limit),
                         LINGUADESK_REQUEUE_AFTER="8", LINGUADESK_RECONCILE_EVERY="1",
                         LINGUADESK_MAX_ATTEMPTS=str(plan.max_attempts),
                         LINGUADESK_SHARE_CHARS=str(plan.share_chars),
                         # the checks compare each segment with the demo model's output
                         LINGUADESK_ROUTES="*=ctranslate2,transformers")
        self.sender = Celery("chaos-sender", broker=self.redis.url)
        self.sender.conf.update(broker_connection_timeout=1, broker_connection_max_retries=1,
                                broker_transport_options={"max_retries": 1})
        self.workers: list[subprocess.Popen[bytes]] = []
        self.figures = Figures()
        self.stop = threading.Event()
        self._redis_down = threading.Event()

    # -- the desk's people ------------------------------------------------------------
    def _dispatch(self, ids: list[int]) -> None:
        if self._redis_down.is_set():
            raise ConnectionError("redis is down")  # the reconciler will send them later
        for tid in ids:
            self.sender.send_task("linguadesk.translate", args=[tid],
                                  queue=f"{self.desk.prefix}mt", retry=False)

    def _users(self) -> tuple[User, User]:
        from workflow.services.users import create_user

        with UnitOfWork(self.db) as uow:
            editor = create_user(uow, "chaos-editor@desk.test", "x" * 12, ["editor"], None)
        with UnitOfWork(self.db) as uow:
            chief = create_user(uow, "chaos-chief@desk.test", "x" * 12, ["admin"], None)
        return editor, chief

    def _submit_all(self, editor: User) -> None:
        pairs = CORPORA[("en", "es")]
        for i in range(self.plan.articles):
            title, body = (pairs[(i + k) % len(pairs)][0] for k in (0, 1))
            body += "\n\n" + pairs[(i + 7) % len(pairs)][0]
            with UnitOfWork(self.db, dispatch=self._dispatch) as uow:
                submit_article(uow, editor, title=title, body=body, source_language="en",
                               target_languages_=list(self.plan.languages))
            time.sleep(self.rng.uniform(0, self.plan.submit_pause))

    def _publisher(self, chief: User, seed: int) -> None:
        """Approve drafts and publish approved work; two of these race on the same rows."""
        rng = random.Random(seed)
        while not self.stop.is_set():
            with self.db.session() as s:
                ids = list(s.execute(select(Translation.id, Translation.state).where(
                    Translation.state.in_(["draft", "approved", "published"]))))
            rng.shuffle(ids)
            for tid, state in ids[:10]:
                if self.stop.is_set():
                    break
                try:
                    with UnitOfWork(self.db) as uow:
                        if state == "draft" and rng.random() < 0.5:
                            approve(uow, tid, chief)
                        elif state in ("approved", "published"):
                            publish(uow, tid, chief)
                except DomainError:
                    self.figures.publish_conflicts += 1  # lost a race: a clear 409, no harm
            time.sleep(0.2)

    # -- the faults -------------------------------------------------------------------
    def _busy_children(self) -> list[int]:
        """Pool processes holding a lease right now, i.e. in the middle of a translation.

        Those holding several (a shared batch in flight) come first, once per lease.
        """
        with self.db.session() as s:
            owners = Counter(s.scalars(select(Translation.lease_owner)
                                       .where(Translation.state == "translating")))
        pool = {pid for w in self.workers if w.poll() is None for pid in children(w.pid)}
        held = Counter({int(o.rsplit(":", 1)[1]): n for o, n in owners.items() if o})
        return [pid for pid, n in held.most_common() if pid in pool for _ in range(n)]

    def _kill_something(self) -> None:
        alive = [w for w in self.workers if w.poll() is None]
        victim = self.rng.choice(alive)
        pool = children(victim.pid)
        busy: list[int] = []
        if self.rng.random() < 0.6:  # wait (briefly) for a process caught mid-translation
            deadline = time.monotonic() + 3
            while not busy and time.monotonic() < deadline:
                busy = self._busy_children()
                time.sleep(0.02)
        if busy:  # mid-translation: its lease must expire and the job be claimed again
            victim_pid = self.rng.choice(busy)
            with contextlib.suppress(ProcessLookupError):
                os.kill(victim_pid, signal.SIGKILL)
            self.figures.kills_of_pool_children += 1
            self.figures.kills_mid_translation += 1
            self.figures.kills_mid_shared_batch += busy.count(victim_pid) > 1
        elif pool and self.rng.random() < 0.7:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.rng.choice(pool), signal.SIGKILL)
            self.figures.kills_of_pool_children += 1
        else:
            self.desk.kill(victim)
            self.workers.remove(victim)
            self.workers.append(self.desk.start_worker())
            self.figures.kills_of_whole_workers += 1
        self.figures.kills += 1

    def _restart_redis(self) -> None:
        self._redis_down.set()
        self.redis.kill()
        time.sleep(self.rng.uniform(0.5, 2.0))
        self.redis.start()
        self._redis_down.clear()
        self.figures.redis_restarts += 1

    def _states(self) -> Counter[str]:
        with self.db.session() as s:
            return Counter(dict(s.execute(select(Translation.state, func.count())
                                          .group_by(Translation.state)).all()))

    def run(self) -> Figures:
        """Do the whole run and return its figures (``failures`` lists what went wrong)."""
        started = time.monotonic()
        self.redis.start()
        editor, chief = self._users()
        self.workers = [self.desk.start_worker() for _ in range(self.plan.workers)]
        self.desk.start_beat()
        submitter = threading.Thread(target=self._submit_all, args=(editor,))
        publishers = [threading.Thread(target=self._publisher, args=(chief, n)) for n in (1, 2)]
        submitter.start()
        for p in publishers:
            p.start()
        try:
            restart_at = set(self.rng.sample(range(2, max(self.plan.kills, 3)),
                                             self.plan.redis_restarts))
            wait_until(lambda: self._states().get("queued", 0) < sum(self._states().values())
                       or self.stop.is_set(), 240, "a worker to claim the first job",
                       self.desk.logs)
            for n in range(self.plan.kills):
                # Random moments once work is flowing: mid-translation, mid-claim, idle.
                time.sleep(self.rng.uniform(0.3, 2.5))
                self._kill_something()
                if n in restart_at:
                    self._restart_redis()
            submitter.join()
            deadline = time.monotonic() + self.plan.settle_timeout
            while time.monotonic() < deadline:
                states = self._states()
                if sum(states.values()) == self.figures_jobs() and set(states) <= SETTLED:
                    break
                time.sleep(1)
        finally:
            self.stop.set()
            submitter.join()
            for p in publishers:
                p.join()
            self.desk.close()
            self.redis.kill()
        self.figures.seconds = round(time.monotonic() - started, 1)
        self._check()
        return self.figures

    def figures_jobs(self) -> int:
        """How many jobs the run submits."""
        return self.plan.articles * len(self.plan.languages)

    # -- the verdict ------------------------------------------------------------------
    def _check(self) -> None:
        f, fail = self.figures, self.figures.failures.append
        f.jobs = self.figures_jobs()
        now = utcnow()
        with self.db.session() as s:
            rows = list(s.execute(select(Translation.id, Translation.state, Translation.error,
                                         Translation.lease_expires_at)))
            if len(rows) != f.jobs:
                fail(f"{len(rows)} jobs in the database, {f.jobs} submitted")
            lost = [tid for tid, state, _, _ in rows if state not in SETTLED]
            f.jobs_lost = len(lost) + max(f.jobs - len(rows), 0)
            if lost:
                fail(f"jobs never settled: {lost[:20]}")
            f.failed_after_poison_limit = sum(1 for _, st, _, _ in rows if st == "failed")
            f.drafts_or_later = len(rows) - f.failed_after_poison_limit - len(lost)
            for tid, state, error, _ in rows:
                if state == "failed" and not (error and "attempts" in error):
                    fail(f"translation {tid} failed without the poison-limit reason: {error}")
            expired = [tid for tid, _, _, exp in rows if exp is not None and exp < now]
            if expired:
                fail(f"leases left expired: {expired[:20]}")
            dupes = s.execute(select(TranslatedSegment.translation_id,
                                     TranslatedSegment.source_segment_id, func.count())
                              .group_by(TranslatedSegment.translation_id,
                                        TranslatedSegment.source_segment_id)
                              .having(func.count() > 1)).all()
            if dupes:
                fail(f"segments translated twice: {dupes[:10]}")
            self._check_segments(s, rows)
            pubs = list(s.execute(select(Publication.article_id, Publication.language,
                                         Publication.number, Publication.translation_id,
                                         Publication.html).order_by(Publication.id)))
            f.publications = len(pubs)
            keys = Counter((a, lang, n) for a, lang, n, _, _ in pubs)
            if any(c > 1 for c in keys.values()):
                fail("an edition number was used twice")
            contents = Counter((tid, html) for _, _, _, tid, html in pubs)
            twice = [k[0] for k, c in contents.items() if c > 1]
            if twice:
                fail(f"the same version was published twice: translations {twice[:10]}")
            starts = s.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "translation.start")) or 0
            f.executions = int(starts)
            f.duplicate_executions = max(int(starts) - f.jobs, 0)
        f.skipped_executions = self._skipped_from_logs()

    def _check_segments(self, s: object, rows: list[tuple[object, ...]]) -> None:
        """Every draft holds exactly its source's segments, each the demo model's output."""
        from sqlalchemy.orm import Session

        assert isinstance(s, Session)
        expected = {lang: dict(CORPORA[("en", lang)]) for lang in self.plan.languages}
        settled = {tid for tid, state, _, _ in rows if state in SETTLED - {"failed"}}
        segs = s.execute(select(TranslatedSegment.translation_id, TranslatedSegment.mt_text,
                                SourceSegment.text, Translation.language)
                         .join(SourceSegment,
                               SourceSegment.id == TranslatedSegment.source_segment_id)
                         .join(Translation, Translation.id == TranslatedSegment.translation_id))
        per: Counter[object] = Counter()
        for tid, mt, source, lang in segs:
            per[tid] += 1
            if mt != expected[lang].get(source):
                self.figures.failures.append(f"translation {tid}: {source!r} → {mt!r}")
        want = dict(s.execute(select(Translation.id, func.count(SourceSegment.id))
                              .join(Version, (Version.article_id == Translation.article_id)
                                    & (Version.number == Translation.version_number))
                              .join(SourceSegment, SourceSegment.version_id == Version.id)
                              .group_by(Translation.id)).all())
        short = [tid for tid in settled if per[tid] != want.get(tid)]
        if short:
            self.figures.failures.append(f"drafts missing segments: {short[:10]}")

    def _skipped_from_logs(self) -> int:
        """Executions that found their job done or leased (from the workers' JSON logs).

        The timing records also say which jobs shared an engine batch.
        """
        count = with_ids = 0
        for path in self.workdir.glob("worker-*.log"):
            for line in path.read_text(errors="replace").splitlines():
                with contextlib.suppress(ValueError, AttributeError):
                    entry = json.loads(line)
                    count += entry.get("outcome") == "skipped"
                    with_ids += bool(entry.get("translation_id") and entry.get("article_id"))
                    batch = (entry.get("timings") or {}).get("jobs") or []
                    if len(batch) > 1:
                        self.figures.shared_batches += 1
                        self.figures.jobs_in_shared_batches += len(batch)
        if not with_ids:
            self.figures.failures.append("no worker log line carried translation and article ids")
        return count
