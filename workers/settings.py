"""Worker and queue settings, read from the environment with single-machine defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    """Everything the workers read from the environment."""

    redis_url: str
    queue_prefix: str
    models_dir: Path
    lease_seconds: int
    max_attempts: int
    requeue_after: int
    reconcile_every: int
    torch_threads: int
    max_new_tokens: int
    batch_tokens: int
    num_beams: int
    task_time_limit: int
    beat_schedule: str
    webhook_backoff: float = 10.0
    routes: str = ""
    max_loaded_models: int = 2
    quantize: bool = False
    device: str = "auto"
    ct2_cache_dir: Path = Path("instance/ct2")
    webhook_allow: tuple[str, ...] = ()
    public_url: str = ""  # where links in e-mails point
    remind_every: int = 300  # seconds between runs of the reminders (due dates, digest)
    mail_backoff: int = 5  # seconds before the first retry of an e-mail (doubling)

    @property
    def mt_queue(self) -> str:
        """The queue machine translation is sent to."""
        return f"{self.queue_prefix}mt"

    @property
    def default_queue(self) -> str:
        """The queue for everything else."""
        return f"{self.queue_prefix}default"


def load() -> Settings:
    """Read the settings from the environment."""
    return Settings(
        redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        queue_prefix=os.environ.get("LINGUADESK_QUEUE_PREFIX", ""),
        models_dir=Path(os.environ.get("LINGUADESK_MODELS_DIR", "instance/models")),
        lease_seconds=_int("LINGUADESK_LEASE_SECONDS", 600),
        max_attempts=_int("LINGUADESK_MAX_ATTEMPTS", 5),
        requeue_after=_int("LINGUADESK_REQUEUE_AFTER", 120),
        reconcile_every=_int("LINGUADESK_RECONCILE_EVERY", 30),
        torch_threads=_int("LINGUADESK_TORCH_THREADS", 0),
        max_new_tokens=_int("LINGUADESK_MAX_NEW_TOKENS", 256),
        batch_tokens=_int("LINGUADESK_BATCH_TOKENS", 4096),
        num_beams=_int("LINGUADESK_NUM_BEAMS", 1),
        task_time_limit=_int("LINGUADESK_TASK_TIME_LIMIT", 540),
        beat_schedule=os.environ.get("LINGUADESK_BEAT_SCHEDULE", "instance/celerybeat-schedule"),
        webhook_backoff=float(os.environ.get("LINGUADESK_WEBHOOK_BACKOFF", "10")),
        routes=os.environ.get("LINGUADESK_ROUTES", ""),
        max_loaded_models=_int("LINGUADESK_MAX_LOADED_MODELS", 2),
        quantize=os.environ.get("LINGUADESK_QUANTIZE", "") in ("1", "true", "yes"),
        device=os.environ.get("LINGUADESK_DEVICE", "auto"),
        ct2_cache_dir=Path(os.environ.get("LINGUADESK_CT2_CACHE",
                                          os.environ.get("LINGUADESK_MODELS_DIR",
                                                         "instance/models") + "/.ct2")),
        webhook_allow=tuple(h.strip() for h in os.environ.get("LINGUADESK_WEBHOOK_ALLOW",
                                                              "").split(",") if h.strip()),
        public_url=(os.environ.get("LINGUADESK_PUBLIC_URL") or "").rstrip("/"),
        remind_every=_int("LINGUADESK_REMIND_EVERY", 300),
        mail_backoff=_int("LINGUADESK_MAIL_BACKOFF", 5),
    )
