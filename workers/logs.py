"""Structured logs: one JSON object per line, carrying the article and translation ids."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from celery.signals import after_setup_logger, after_setup_task_logger

from workflow.settings import load

_fields: ContextVar[dict[str, Any] | None] = ContextVar("linguadesk_log_fields", default=None)
_RECORD_FIELDS = ("translation_id", "article_id", "task_id", "task_name", "outcome",
                  "timings")


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Add ``fields`` to every log line written inside this block (in this thread/task)."""
    token = _fields.set({**(_fields.get() or {}), **fields})
    try:
        yield
    finally:
        _fields.reset(token)


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line with the ids in context."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "pid": record.process,
            "message": record.getMessage(),
        }
        data.update(_fields.get() or {})
        data.update({k: getattr(record, k) for k in _RECORD_FIELDS if hasattr(record, k)})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def json_logs_enabled() -> bool:
    """JSON unless ``LINGUADESK_LOG_FORMAT=text`` asks for Celery's usual lines."""
    return load().json_logs


@after_setup_logger.connect
@after_setup_task_logger.connect
def _use_json(logger: logging.Logger, **_: object) -> None:
    if json_logs_enabled():
        for handler in logger.handlers:
            handler.setFormatter(JsonFormatter())
