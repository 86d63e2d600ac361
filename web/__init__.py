"""The Flask application factory: dashboard, review workspace, public site and JSON API."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from workflow.db import Database
from workflow.uow import Dispatch

csrf = CSRFProtect()


def _secret_key(instance: Path) -> str:
    """``LINGUADESK_SECRET_KEY``, or a random key kept in the instance folder."""
    if os.environ.get("LINGUADESK_SECRET_KEY"):
        return os.environ["LINGUADESK_SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def default_dispatch() -> Dispatch:
    """Send translate messages through Celery (imported lazily: tests may pass their own)."""
    from workers.queue import enqueue_translations

    return enqueue_translations


def default_notify() -> Dispatch:
    """Send webhook deliveries through Celery (imported lazily, like the dispatch)."""
    from workers.queue import enqueue_webhooks

    return enqueue_webhooks


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web app; ``test_config`` overrides settings (DATABASE_URL, DISPATCH, …)."""
    app = Flask(__name__, instance_path=str(Path("instance").resolve()))
    app.config.update(
        DATABASE_URL=None,
        MAX_ARTICLE_CHARS=int(os.environ.get("LINGUADESK_MAX_ARTICLE_CHARS", "200000")),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("LINGUADESK_ENV", "development") != "development",
        WTF_CSRF_TIME_LIMIT=None,
        JSON_SORT_KEYS=False,
        LOGIN_MAX_FAILURES_PER_ACCOUNT=5,
        LOGIN_MAX_FAILURES_PER_ADDRESS=20,
    )
    if test_config:
        app.config.update(test_config)
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_ARTICLE_CHARS"] * 4 + 65536
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(Path(app.instance_path))

    db = Database(app.config["DATABASE_URL"])
    if app.config.get("MIGRATE_ON_START"):
        db.migrate()
    app.extensions["linguadesk.db"] = db
    dispatch = app.config.get("DISPATCH")
    app.extensions["linguadesk.dispatch"] = dispatch if dispatch is not None else default_dispatch()
    notify = app.config.get("NOTIFY")
    app.extensions["linguadesk.notify"] = notify if notify is not None else default_notify()

    csrf.init_app(app)

    from web import (
        api,
        auth,
        context,
        dashboard,
        desk,
        errors,
        input_checks,
        public,
        review,
        webhooks,
    )

    app.url_map.converters["lang"] = public.LanguageConverter
    context.init_app(app)
    errors.init_app(app)
    input_checks.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(webhooks.bp)
    csrf.exempt(api.bp)  # bearer tokens, no cookies: nothing for a forged request to ride on

    from web import guards, health, openapi, updates

    guards.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(updates.bp)
    app.register_blueprint(updates.api_bp)
    csrf.exempt(updates.api_bp)
    return app
