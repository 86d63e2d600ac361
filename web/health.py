"""``/healthz`` and the dashboard's warnings: database, Redis, workers and the MT backlog."""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from web.context import current_user, uow
from workflow.models import User
from workflow.permissions import Action, can
from workflow.queries import queue_backlog
from workflow.services.tokens import user_for_token

bp = Blueprint("health", __name__)

BACKLOG_WARN = 50  # queued jobs before the dashboard says the mt queue is growing
STALE_SECONDS = 300  # a queued job older than this means nobody is consuming
WORKER_CACHE_SECONDS = 30
BACKLOG_CACHE_SECONDS = 5  # the dashboard's count of waiting jobs may lag this much


def _queue_lengths(client: Any, queues: list[str]) -> dict[str, int]:
    # Kombu's Redis transport keeps one list per queue and priority step.
    sep = "\x06\x16"
    return {q: sum(int(client.llen(name)) for name in
                   (q, *(f"{q}{sep}{p}" for p in (3, 6, 9)))) for q in queues}


def broker_status(timeout: float = 1.0) -> dict[str, Any]:
    """Redis reachability and queue lengths, then the workers consuming the mt queue."""
    import redis

    from workers.celery_app import celery
    from workflow.settings import load

    settings = load()
    out: dict[str, Any] = {}
    try:
        client = redis.Redis.from_url(settings.redis_url, socket_timeout=timeout,
                                      socket_connect_timeout=timeout)
        client.ping()
        out["redis"] = {"ok": True}
        out["queues"] = _queue_lengths(client, [settings.mt_queue, settings.default_queue])
    except Exception as exc:  # any failure here is what the health report is for
        out["redis"] = {"ok": False, "error": str(exc)}
        out["queues"] = {}
        out["workers"] = {"ok": False, "consuming_mt": [], "error": "Redis is unreachable"}
        return out
    try:
        replies = celery.control.inspect(timeout=timeout).active_queues() or {}
        consuming = sorted(name for name, queues in replies.items()
                           if any(q.get("name") == settings.mt_queue for q in queues))
        out["workers"] = {"ok": bool(consuming), "consuming_mt": consuming}
    except Exception as exc:
        out["workers"] = {"ok": False, "consuming_mt": [], "error": str(exc)}
    return out


def backlog() -> dict[str, Any]:
    """Jobs waiting in the database, and how long the oldest has waited (seconds)."""
    queued, age = queue_backlog(uow().session)
    return {"queued": queued, "oldest_queued_seconds": round(age, 1)}


def cached_broker_status(app: Flask) -> dict[str, Any]:
    """``broker_status`` as seen at most ``HEALTH_CACHE_SECONDS`` ago by this process.

    Each look broadcasts to every worker and waits for their replies: a health check
    polled by a load balancer (or by anyone) must not turn into a broadcast per request.
    """
    with _status_lock:
        seen = app.extensions.get("linguadesk.broker_status")
        if seen is None or time.monotonic() - seen[0] >= app.config["HEALTH_CACHE_SECONDS"]:
            seen = (time.monotonic(), broker_status())
            app.extensions["linguadesk.broker_status"] = seen
    return seen[1]  # type: ignore[no-any-return]


_status_lock = threading.Lock()


def _may_see_details() -> bool:
    """Admins, signed in or with a token, see what is wrong; everyone else sees the status."""
    user: User | None = current_user()
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if user is None and scheme.lower() == "bearer":
        user = user_for_token(uow(), token.strip())
    return can(user, Action.READ_HEALTH) if user is not None else False


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """``{"status": …}`` for anyone (503 when the DB is down); admins get database, Redis,
    workers and queue lengths too."""
    report: dict[str, Any] = {}
    try:
        uow().session.execute(text("SELECT 1"))
        report["database"] = {"ok": True}
        report["backlog"] = backlog()
    except Exception as exc:
        uow().rollback()
        report["database"] = {"ok": False, "error": str(exc)}
    report.update(cached_broker_status(current_app._get_current_object()))  # type: ignore[attr-defined]
    parts = [report["database"]["ok"], report["redis"]["ok"], report["workers"]["ok"]]
    report["status"] = "ok" if all(parts) else ("down" if not parts[0] else "degraded")
    status = 200 if report["database"]["ok"] else 503
    if not report["database"]["ok"] or not _may_see_details():
        # Exception text and worker host names are for the desk's admins only.
        return jsonify({"status": report["status"]}), status
    return jsonify(report), status


def _workers_ok(app: Flask) -> bool | None:
    """Whether some worker consumes the mt queue, as last seen; None when not known (yet).

    The check (a broadcast with a timeout) runs in a background thread at most every
    ``WORKER_CACHE_SECONDS``, so no dashboard request ever waits for it.
    """
    enabled = app.config.get("HEALTH_WORKER_CHECK",
                             app.extensions["linguadesk.settings"].health_worker_check
                             and "DISPATCH" not in app.config)
    if not enabled:
        return None
    state = app.extensions.setdefault("linguadesk.workers", {"at": -1e9, "ok": None})
    with _refresh_lock:
        if time.monotonic() - state["at"] >= WORKER_CACHE_SECONDS:
            state["at"] = time.monotonic()

            def refresh() -> None:
                state["ok"] = bool(broker_status(timeout=1.0)["workers"]["ok"])

            threading.Thread(target=refresh, daemon=True, name="worker-check").start()
    return state["ok"]  # type: ignore[no-any-return]


_refresh_lock = threading.Lock()


def _cached_backlog(app: Flask) -> dict[str, Any]:
    """The backlog as seen at most ``BACKLOG_CACHE_SECONDS`` ago by this process."""
    seen = app.extensions.get("linguadesk.backlog")
    if seen is None or time.monotonic() - seen[0] >= BACKLOG_CACHE_SECONDS:
        seen = (time.monotonic(), backlog())
        app.extensions["linguadesk.backlog"] = seen
    return seen[1]  # type: ignore[no-any-return]


def warnings() -> list[str]:
    """What the dashboard should tell the editors about the desk's machinery."""
    found: list[str] = []
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    info = _cached_backlog(app) if not app.testing else backlog()
    if info["queued"] >= current_app.config.get("BACKLOG_WARN", BACKLOG_WARN):
        found.append(f"The machine translation queue is growing: {info['queued']} jobs wait.")
    if info["queued"] and info["oldest_queued_seconds"] > STALE_SECONDS:
        found.append(f"A job has waited {int(info['oldest_queued_seconds'] // 60)} minutes; "
                     "check that the workers are running.")
    if _workers_ok(app) is False:
        found.append("No worker is consuming the machine translation queue: nothing will be "
                     "translated until one starts.")
    return found

