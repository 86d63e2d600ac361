"""The desk's settings: every environment variable the web, the workers and the CLI read.

One frozen dataclass, read once per process by :func:`load`; the defaults are the ones the
README's Configuration table gives. No Flask, no Celery: the web copies what it needs into
its config, the workers and the command line use the object itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///instance/linguadesk.db"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
DEFAULT_MODELS_DIR = "instance/models"


@dataclass(frozen=True)
class Settings:
    """Everything read from the environment, with single-machine defaults."""

    # Where things are
    database_url: str
    redis_url: str
    models_dir: Path
    ct2_cache_dir: Path
    beat_schedule: str
    queue_prefix: str
    # The web
    secret_key: str | None  # None: a random key kept in instance/secret_key
    development: bool
    public_url: str | None
    trusted_hosts: tuple[str, ...] | None  # None: the public URL's host and the machine's
    trusted_proxies: int
    public_frame_ancestors: str
    public_max_age: int  # seconds a cache may serve a public page before revalidating it
    session_idle_timeout: timedelta
    session_max_age: timedelta
    login_free_failures: int
    login_free_failures_per_client: int
    login_max_delay: int
    health_cache_seconds: float
    health_worker_check: bool
    max_article_chars: int
    # Jobs
    lease_seconds: int
    task_time_limit: int
    max_attempts: int
    requeue_after: int
    reconcile_every: int
    webhook_backoff: float
    webhook_allow: tuple[str, ...]
    # E-mail
    smtp_url: str | None  # None: no mail server configured; the desk shows links instead
    mail_from: str
    mail_backoff: int  # seconds before the first retry of an e-mail (doubling)
    remind_every: int  # seconds between runs of the reminders (due dates, digest)
    # Sources (feeds and WordPress sites)
    sources_tick: int  # seconds between beat's looks for sources due a poll
    source_interval: int  # seconds between polls of a healthy source
    source_max_backoff: int  # the longest pause after errors in a row
    source_max_bytes: int  # a bigger answer is an error, not read on
    source_timeout: float
    # Machine translation
    routes: str
    max_loaded_models: int
    torch_threads: int
    max_new_tokens: int
    batch_tokens: int
    num_beams: int
    quantize: bool
    device: str
    # Waiting jobs for one pair share engine batches up to this much source text (0: one
    # job per task), after waiting this long for more of a burst to arrive.
    share_chars: int
    share_wait_ms: int
    # Logs
    json_logs: bool

    @property
    def mt_queue(self) -> str:
        """The queue machine translation is sent to."""
        return f"{self.queue_prefix}mt"

    @property
    def default_queue(self) -> str:
        """The queue for everything else."""
        return f"{self.queue_prefix}default"


def _list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def load(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from ``environ`` (the process environment by default)."""
    from workflow.errors import InvalidInput
    from workflow.services.tokens import parse_duration

    env = os.environ if environ is None else environ

    def text(name: str, default: str) -> str:
        return env.get(name) or default

    def number(name: str, default: int) -> int:
        raw = text(name, str(default))
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{name}={raw!r} is not a whole number.") from None

    def duration(name: str, default: str) -> timedelta:
        raw = text(name, default)
        try:
            return parse_duration(raw)
        except InvalidInput as exc:
            raise ValueError(f"{name}: {exc.message}") from None

    models_dir = text("LINGUADESK_MODELS_DIR", DEFAULT_MODELS_DIR)
    return Settings(
        database_url=text("DATABASE_URL", DEFAULT_DATABASE_URL),
        redis_url=text("REDIS_URL", DEFAULT_REDIS_URL),
        models_dir=Path(models_dir),
        ct2_cache_dir=Path(text("LINGUADESK_CT2_CACHE", models_dir + "/.ct2")),
        beat_schedule=text("LINGUADESK_BEAT_SCHEDULE", "instance/celerybeat-schedule"),
        queue_prefix=env.get("LINGUADESK_QUEUE_PREFIX", ""),
        secret_key=env.get("LINGUADESK_SECRET_KEY") or None,
        # Production unless told otherwise: Secure cookies, HSTS, a public URL required.
        development=text("LINGUADESK_ENV", "production") == "development",
        public_url=text("LINGUADESK_PUBLIC_URL", "").rstrip("/") or None,
        trusted_hosts=_list(env.get("LINGUADESK_TRUSTED_HOSTS", "")) or None,
        trusted_proxies=number("LINGUADESK_TRUSTED_PROXIES", 0),
        public_frame_ancestors=text("LINGUADESK_PUBLIC_FRAME_ANCESTORS", "'self'"),
        public_max_age=number("LINGUADESK_PUBLIC_MAX_AGE", 60),
        session_idle_timeout=duration("LINGUADESK_SESSION_IDLE_TIMEOUT", "8h"),
        session_max_age=duration("LINGUADESK_SESSION_MAX_AGE", "7d"),
        login_free_failures=number("LINGUADESK_LOGIN_FREE_FAILURES", 5),
        login_free_failures_per_client=number("LINGUADESK_LOGIN_FREE_FAILURES_PER_CLIENT", 20),
        login_max_delay=number("LINGUADESK_LOGIN_MAX_DELAY", 60),
        health_cache_seconds=float(text("LINGUADESK_HEALTH_CACHE_SECONDS", "5")),
        health_worker_check=text("LINGUADESK_HEALTH_WORKER_CHECK", "1") != "0",
        max_article_chars=number("LINGUADESK_MAX_ARTICLE_CHARS", 200000),
        lease_seconds=number("LINGUADESK_LEASE_SECONDS", 600),
        task_time_limit=number("LINGUADESK_TASK_TIME_LIMIT", 540),
        max_attempts=number("LINGUADESK_MAX_ATTEMPTS", 5),
        requeue_after=number("LINGUADESK_REQUEUE_AFTER", 120),
        reconcile_every=number("LINGUADESK_RECONCILE_EVERY", 30),
        webhook_backoff=float(text("LINGUADESK_WEBHOOK_BACKOFF", "10")),
        webhook_allow=_list(env.get("LINGUADESK_WEBHOOK_ALLOW", "")),
        smtp_url=env.get("LINGUADESK_SMTP_URL") or None,
        mail_from=text("LINGUADESK_MAIL_FROM", "Linguadesk <linguadesk@localhost>"),
        mail_backoff=number("LINGUADESK_MAIL_BACKOFF", 5),
        remind_every=number("LINGUADESK_REMIND_EVERY", 300),
        sources_tick=number("LINGUADESK_SOURCES_TICK", 60),
        source_interval=number("LINGUADESK_SOURCE_INTERVAL", 900),
        source_max_backoff=number("LINGUADESK_SOURCE_MAX_BACKOFF", 86400),
        source_max_bytes=number("LINGUADESK_SOURCE_MAX_BYTES", 5_000_000),
        source_timeout=float(text("LINGUADESK_SOURCE_TIMEOUT", "15")),
        routes=env.get("LINGUADESK_ROUTES", ""),
        max_loaded_models=number("LINGUADESK_MAX_LOADED_MODELS", 2),
        torch_threads=number("LINGUADESK_TORCH_THREADS", 0),
        max_new_tokens=number("LINGUADESK_MAX_NEW_TOKENS", 256),
        batch_tokens=number("LINGUADESK_BATCH_TOKENS", 4096),
        num_beams=number("LINGUADESK_NUM_BEAMS", 1),
        quantize=env.get("LINGUADESK_QUANTIZE", "") in ("1", "true", "yes"),
        device=text("LINGUADESK_DEVICE", "auto"),
        share_chars=number("LINGUADESK_SHARE_CHARS", 16000),
        share_wait_ms=number("LINGUADESK_SHARE_WAIT_MS", 50),
        json_logs=text("LINGUADESK_LOG_FORMAT", "json").lower() != "text",
    )
