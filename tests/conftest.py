"""Fixtures shared by every tier: databases (SQLite and PostgreSQL), users, the app."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from workflow.db import Database
from workflow.models import User
from workflow.services.users import create_user
from workflow.uow import UnitOfWork

PG_ADMIN_URL = os.environ.get("LINGUADESK_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The PostgreSQL admin URL; required in CI, skipped elsewhere when none runs."""
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
        pytest.skip("PostgreSQL is not running")
    return PG_ADMIN_URL


def _fresh_pg_database(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"ld_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = admin_url.rsplit("/", 1)[0]
    return name, f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}"


def _drop_pg_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind: a SQLite file and a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'desk.db'}"
        return
    admin = request.getfixturevalue("pg_server")
    name, url = _fresh_pg_database(admin)
    try:
        yield url
    finally:
        _drop_pg_database(admin, name)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file, for tests that need only one database kind."""
    return f"sqlite:///{tmp_path / 'desk.db'}"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A migrated database."""
    database = Database(database_url)
    database.migrate()
    yield database
    database.engine.dispose()


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Database]:
    """A migrated SQLite database."""
    database = Database(sqlite_url)
    database.migrate()
    yield database
    database.engine.dispose()


class Dispatched(list[int]):
    """Collects the translation ids the app asked to enqueue (a stand-in for Redis)."""

    def __call__(self, ids: list[int]) -> None:
        self.extend(ids)


PASSWORD = "correct horse battery"


def make_user(database: Database, email: str, roles: list[str],
              languages: list[str] | None = None) -> User:
    """Create a user with the shared test password."""
    with UnitOfWork(database) as uow:
        return create_user(uow, email, PASSWORD, roles, languages)


@pytest.fixture
def people(sqlite_db: Database) -> dict[str, User]:
    """One user per role (the reviewer holds Spanish), plus a French reviewer."""
    return {
        "editor": make_user(sqlite_db, "editor@desk.test", ["editor"]),
        "reviewer": make_user(sqlite_db, "rev-es@desk.test", ["reviewer"], ["es"]),
        "reviewer_fr": make_user(sqlite_db, "rev-fr@desk.test", ["reviewer"], ["fr"]),
        "publisher": make_user(sqlite_db, "pub@desk.test", ["publisher"]),
        "admin": make_user(sqlite_db, "admin@desk.test", ["admin"]),
    }


@pytest.fixture
def dispatched() -> Dispatched:
    """The ids the app enqueued."""
    return Dispatched()


@pytest.fixture
def app(sqlite_db: Database, dispatched: Dispatched, tmp_path: Path) -> Flask:
    """The web app on a migrated SQLite file, with enqueued ids collected in ``dispatched``."""
    return create_test_app(sqlite_db.url, dispatched)


def create_test_app(url: str, dispatch: object = None, **settings: object) -> Flask:
    """A testing app on ``url``; ``dispatch`` None means the real Celery dispatch.

    It runs as production does (Secure ``__Host-`` cookies, HSTS, trusted hosts), with
    ``http://localhost`` (the test client's host) as its public URL; ``settings`` override.
    """
    from web import create_app

    config: dict[str, object] = {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test",
                                 "WTF_CSRF_ENABLED": True, "DEVELOPMENT": False,
                                 "PUBLIC_URL": "http://localhost", **settings}
    if dispatch is not None:
        config["DISPATCH"] = dispatch
    # E-mails are collected, not sent to the shared Redis, unless a test passes a MAILER.
    config.setdefault("MAILER", Dispatched())
    config.setdefault("MAIL_CONFIGURED", True)  # as if LINGUADESK_SMTP_URL were set
    return create_app(config)


@pytest.fixture(scope="session", autouse=True)
def interface_catalogues() -> None:
    """The desk's .mo catalogues, compiled from the committed .po files when missing or old."""
    from web.i18n import compile_catalogues

    compile_catalogues()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture(scope="session")
def demo_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny en→es and en→fr models, trained once per test session.

    ``LINGUADESK_TEST_MODELS`` names a folder to build them in once and reuse across runs.
    """
    from workers.demo_model import build_all

    cached = os.environ.get("LINGUADESK_TEST_MODELS")
    if cached:
        build_all(Path(cached))  # builds only what is missing
        return Path(cached)
    out = tmp_path_factory.mktemp("models")
    build_all(out)
    return out


@pytest.fixture
def smtp() -> Iterator[object]:
    """A real SMTP server on 127.0.0.1 that keeps what it receives (see tests/smtp_server.py)."""
    from tests.smtp_server import SMTPServer

    server = SMTPServer()
    try:
        yield server
    finally:
        server.stop()
