"""Migration 0013_error_detail on SQLite and PostgreSQL: a job's reason and a segment's
pre-confirmation stored before it keep their English (with no template), and the columns go
again on the way down, the rows staying."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from workflow.db import MIGRATIONS
from workflow.errors import Said, dumped, told


def _config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def test_reasons_stored_before_keep_their_english_and_new_ones_their_template(
        database_url: str) -> None:
    cfg = _config(database_url)
    command.upgrade(cfg, "heads")
    command.downgrade(cfg, "0012_cache_confidence")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (email, name, password_hash, roles, languages, active, "
            "created_at) VALUES ('e@desk.test', 'E', 'x', 'editor', '', true, "
            "CURRENT_TIMESTAMP)"))
        conn.execute(text(
            "INSERT INTO articles (slug, source_language, current_version, created_by_id, "
            "created_at, updated_at) VALUES ('a', 'en', 1, 1, CURRENT_TIMESTAMP, "
            "CURRENT_TIMESTAMP)"))
        conn.execute(text(
            "INSERT INTO translations (article_id, language, state, version_number, attempts, "
            "error, created_at, updated_at) VALUES (1, 'es', 'failed', 1, 3, 'An older reason.', "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    command.upgrade(cfg, "heads")

    said = Said("The worker ran out of memory while translating.")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT error, error_detail FROM translations")).one() == (
            "An older reason.", None)
        conn.execute(text("INSERT INTO translations (article_id, language, state, "
                          "version_number, attempts, error, error_detail, created_at, updated_at) "
                          "VALUES (1, 'fr', 'failed', 1, 1, :e, :d, CURRENT_TIMESTAMP, "
                          "CURRENT_TIMESTAMP)"),
                     {"e": said.message, "d": dumped(said)})
        rows = conn.execute(text("SELECT error, error_detail FROM translations "
                                 "ORDER BY language")).all()
    spanish = {"The worker ran out of memory while translating.":
               "El worker se quedó sin memoria mientras traducía."}
    assert [told(e, d, lambda m: spanish.get(m, m)) for e, d in rows] == [
        "An older reason.", "El worker se quedó sin memoria mientras traducía."]

    command.downgrade(cfg, "0012_cache_confidence")  # the columns go, the rows stay
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM translations")).scalar() == 2
        columns = set(conn.execute(text("SELECT * FROM translations LIMIT 0")).keys())
        segment_columns = set(conn.execute(text("SELECT * FROM translated_segments LIMIT 0"))
                              .keys())
    assert "error_detail" not in columns and "error" in columns
    assert "preconfirmed_detail" not in segment_columns and "preconfirmed" in segment_columns
    engine.dispose()
