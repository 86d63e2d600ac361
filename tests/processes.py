"""Real Celery worker and beat processes for the integration and fault tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import redis

REPO = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("LINGUADESK_TEST_REDIS", "redis://127.0.0.1:6379/0")


class Desk:
    """The environment one test's processes share: database, Redis, private queue names."""

    def __init__(self, database_url: str, models_dir: Path, workdir: Path,
                 redis_url: str = REDIS_URL, **extra_env: str) -> None:
        self.prefix = f"t{uuid.uuid4().hex[:10]}-"
        self.redis_url = redis_url
        self.workdir = workdir
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "LINGUADESK_QUEUE_PREFIX": self.prefix,
            "LINGUADESK_MODELS_DIR": str(models_dir),
            "LINGUADESK_TORCH_THREADS": "1",
            "LINGUADESK_BEAT_SCHEDULE": str(workdir / "beat-schedule"),
            "PYTHONUNBUFFERED": "1",
            **extra_env,
        }
        self.procs: list[subprocess.Popen[bytes]] = []

    def apply_env(self, monkeypatch: object) -> None:
        """Make this process send to the same queues (for the web app under test)."""
        for key in ("LINGUADESK_QUEUE_PREFIX", "REDIS_URL"):
            monkeypatch.setenv(key, self.env[key])  # type: ignore[attr-defined]

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = open(self.workdir / f"{name}-{len(self.procs)}.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "workers.celery_app:celery",
                                 *args], cwd=REPO, env=self.env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        return proc

    def start_worker(self, concurrency: int = 1) -> subprocess.Popen[bytes]:
        """A worker process (prefork, as in production) on this desk's queues."""
        return self._spawn("worker", [
            "worker", "-Q", f"{self.prefix}mt,{self.prefix}default", "-c", str(concurrency),
            "--pool", "prefork", "-n", f"{self.prefix}{len(self.procs)}@%h", "-l", "INFO",
            "--without-gossip", "--without-mingle",
        ])

    def start_beat(self) -> subprocess.Popen[bytes]:
        """The beat process that runs the reconciler."""
        return self._spawn("beat", ["beat", "-l", "INFO"])

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL a process and all its children, as a crash or the OOM killer would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def logs(self) -> str:
        """Everything the processes printed, for failure messages."""
        return "\n".join(p.read_text(errors="replace")[-4000:]
                         for p in sorted(self.workdir.glob("*.log")))

    def close(self) -> None:
        """Stop every process and delete this desk's queues."""
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc)
        client = redis.Redis.from_url(self.redis_url)
        try:
            keys = list(client.scan_iter(f"{self.prefix}*"))
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            pass


def wait_until(condition: Callable[[], bool], timeout: float, what: str,
               logs: Callable[[], str] | None = None) -> None:
    """Poll ``condition`` until it holds; fail with ``what`` (and the logs) on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}\n{logs() if logs else ''}")
