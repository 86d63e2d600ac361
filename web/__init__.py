"""The Flask application factory: dashboard, review workspace, public site and JSON API."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from workflow.db import Database
from workflow.settings import Settings, load
from workflow.uow import Dispatch

csrf = CSRFProtect()


def _secret_key(settings: Settings, instance: Path) -> str:
    """``LINGUADESK_SECRET_KEY``, or a random key kept in the instance folder."""
    if settings.secret_key:
        return settings.secret_key
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        # Created owner-only in one step: never readable by others, not even for a moment.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it meanwhile: use theirs
            return path.read_text().strip()
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def _config_from_settings(settings: Settings) -> dict[str, Any]:
    """The web app's config from the desk's settings (``workflow.settings``)."""
    return {
        "MAX_ARTICLE_CHARS": settings.max_article_chars,
        "DEVELOPMENT": settings.development,
        "PUBLIC_URL": settings.public_url,
        "TRUSTED_HOSTS": list(settings.trusted_hosts) if settings.trusted_hosts else None,
        "TRUSTED_PROXIES": settings.trusted_proxies,
        "PUBLIC_FRAME_ANCESTORS": settings.public_frame_ancestors,
        "PUBLIC_MAX_AGE": settings.public_max_age,
        "SESSION_IDLE_TIMEOUT": settings.session_idle_timeout,
        "SESSION_MAX_AGE": settings.session_max_age,
        "LOGIN_FREE_FAILURES_PER_ACCOUNT": settings.login_free_failures,
        "LOGIN_FREE_FAILURES_PER_CLIENT": settings.login_free_failures_per_client,
        "LOGIN_MAX_DELAY": settings.login_max_delay,
        "HEALTH_CACHE_SECONDS": settings.health_cache_seconds,
        "MAIL_CONFIGURED": settings.smtp_url is not None,
    }


def _derived_config(app: Flask) -> None:
    """Settings that follow from others unless a test or the environment set them."""
    cfg = app.config
    production = not cfg["DEVELOPMENT"]
    if production and not cfg["PUBLIC_URL"]:
        raise RuntimeError("Set LINGUADESK_PUBLIC_URL to the site's address (e.g. "
                           "https://news.example.org): every absolute link is built from it. "
                           "For a desk on your own machine, set LINGUADESK_ENV=development.")
    if cfg["PUBLIC_URL"] and cfg["TRUSTED_HOSTS"] is None:
        # The public host, and the names a health check on the machine itself uses.
        cfg["TRUSTED_HOSTS"] = [urlsplit(cfg["PUBLIC_URL"]).hostname or "", "localhost",
                                "127.0.0.1"]
    cfg.setdefault("SESSION_COOKIE_SECURE", production)
    # __Host- cookies are refused by browsers unless Secure, path / and no Domain: no
    # subdomain or plain-http page can set or shadow them.
    cfg.setdefault("SESSION_COOKIE_NAME", "__Host-linguadesk" if production else "linguadesk")
    cfg["PERMANENT_SESSION_LIFETIME"] = cfg["SESSION_MAX_AGE"]


def default_dispatch() -> Dispatch:
    """Send translate messages through Celery (imported lazily: tests may pass their own)."""
    from workers.queue import enqueue_translations

    return enqueue_translations


def default_notify() -> Dispatch:
    """Send webhook deliveries through Celery (imported lazily, like the dispatch)."""
    from workers.queue import enqueue_webhooks

    return enqueue_webhooks


def default_mailer() -> Dispatch:
    """Send outbox e-mails through Celery (imported lazily, like the dispatch)."""
    from workers.queue import enqueue_emails

    return enqueue_emails


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web app; ``test_config`` overrides settings (DATABASE_URL, DISPATCH, …)."""
    app = Flask(__name__, instance_path=str(Path("instance").resolve()))
    settings = load()
    app.extensions["linguadesk.settings"] = settings
    app.config.update(
        DATABASE_URL=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        JSON_SORT_KEYS=False,
        **_config_from_settings(settings),
    )
    # Flask's defaults would otherwise win over the setdefault in _derived_config.
    for key in ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_NAME"):
        app.config.pop(key, None)
    if test_config:
        app.config.update(test_config)
    _derived_config(app)
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_ARTICLE_CHARS"] * 4 + 65536
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(settings, Path(app.instance_path))

    db = Database(app.config["DATABASE_URL"])
    if app.config.get("MIGRATE_ON_START"):
        db.migrate()
    app.extensions["linguadesk.db"] = db
    dispatch = app.config.get("DISPATCH")
    app.extensions["linguadesk.dispatch"] = dispatch if dispatch is not None else default_dispatch()
    notify = app.config.get("NOTIFY")
    app.extensions["linguadesk.notify"] = notify if notify is not None else default_notify()
    mailer = app.config.get("MAILER")
    app.extensions["linguadesk.mailer"] = mailer if mailer is not None else default_mailer()

    csrf.init_app(app)

    from web import (
        account,
        api,
        auth,
        context,
        dashboard,
        desk,
        errors,
        input_checks,
        people,
        public,
        review,
        security,
        sources,
        webhooks,
    )

    app.url_map.converters["lang"] = public.LanguageConverter
    context.init_app(app)
    errors.init_app(app)
    input_checks.init_app(app)
    security.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(review.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(public.bp)
    api.init_app(app)
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(people.bp)
    app.register_blueprint(sources.bp)
    csrf.exempt(api.bp)  # bearer tokens, no cookies: nothing for a forged request to ride on

    from web import guards, health, updates

    guards.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(updates.bp)
    return app
