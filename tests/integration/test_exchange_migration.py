"""Migration 0009_exchange on SQLite and PostgreSQL: editions published before it keep
their address."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from workflow.db import MIGRATIONS


def _config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def test_editions_published_before_the_migration_keep_the_articles_slug(
        database_url: str) -> None:
    cfg = _config(database_url)
    command.upgrade(cfg, "heads")
    command.downgrade(cfg, "0010_confidence")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO articles (id, slug, source_language, current_version, "
                          "created_at, updated_at) VALUES (1, 'rain-is-expected', 'en', 1, "
                          "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        for number, language in ((1, "en"), (1, "es"), (2, "es")):
            conn.execute(text(
                "INSERT INTO publications (article_id, language, number, title, html, "
                "published_at) VALUES (1, :lang, :n, 'T', '<p>x</p>', CURRENT_TIMESTAMP)"),
                {"lang": language, "n": number})
    command.upgrade(cfg, "heads")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT language, slug, current FROM edition_slugs "
                                 "ORDER BY language")).all()
        assert [(lang, slug, bool(cur)) for lang, slug, cur in rows] == [
            ("en", "rain-is-expected", True), ("es", "rain-is-expected", True)]
        conn.execute(text("SELECT created_by, changed_at FROM memory_entries")).all()
    engine.dispose()
