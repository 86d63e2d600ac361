"""Each worker node records in the database what it can translate, for the web to read."""

from __future__ import annotations

import logging
import time
from typing import Any

from celery.signals import worker_ready, worker_shutdown

from workers.routing import offers
from workflow import capabilities
from workflow.db import Database
from workflow.settings import load
from workflow.uow import UnitOfWork

log = logging.getLogger(__name__)

REFRESH_EVERY = 600.0  # seconds; models pulled meanwhile show up within this
_last: dict[str, float] = {}


def record(database: Database, node: str) -> int:
    """Write what this node can translate now (cheap checks only: nothing loads)."""
    with UnitOfWork(database) as uow:
        count = capabilities.record(uow, node, offers(load()))
    _last[node] = time.monotonic()
    return count


def refresh_if_stale(database: Database, node: str | None) -> None:
    """Record again when this process last did so more than REFRESH_EVERY ago."""
    if not node or time.monotonic() - _last.get(node, -REFRESH_EVERY) < REFRESH_EVERY:
        return
    try:
        record(database, node)
    except Exception:  # what the web shows may lag; the translation itself is unaffected
        log.exception("could not record what %s can translate", node)


@worker_ready.connect
def _on_ready(sender: Any = None, **_: Any) -> None:
    # In the parent, before any task: a short-lived connection, closed before children fork.
    node = getattr(sender, "hostname", None)
    if not node:
        return
    database = Database()
    try:
        log.info("%s can translate %d language pairs", node, record(database, node))
    except Exception:
        log.exception("could not record what %s can translate", node)
    finally:
        database.engine.dispose()


@worker_shutdown.connect
def _on_shutdown(sender: Any = None, **_: Any) -> None:
    node = getattr(sender, "hostname", None)
    if not node:
        return
    database = Database()
    try:
        with UnitOfWork(database) as uow:
            capabilities.forget(uow, node)
    except Exception:
        log.exception("could not remove what %s could translate", node)
    finally:
        database.engine.dispose()
