"""Migration 0012_cache_confidence on SQLite and PostgreSQL: outputs cached before it are
still served (with no confidence), outputs cached after it keep the engine's."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from workflow.db import MIGRATIONS, Database
from workflow.mt_cache import DatabaseMTCache, text_hash
from workflow.mt_pipeline import CachedOutput
from workflow.uow import UnitOfWork


def _config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def test_cached_outputs_keep_their_confidence_and_older_ones_are_still_served(
        database_url: str) -> None:
    cfg = _config(database_url)
    command.upgrade(cfg, "heads")
    command.downgrade(cfg, "0009_exchange")
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO mt_cache (engine, model, source_language, target_language, text_hash, "
            "source_text, output, created_at) VALUES ('transformers', 'm', 'en', 'es', :h, "
            "'Old.', 'Viejo.', CURRENT_TIMESTAMP)"), {"h": text_hash("Old.")})
    engine.dispose()
    command.upgrade(cfg, "heads")

    db = Database(database_url)
    cache = DatabaseMTCache(lambda: UnitOfWork(db))
    cache.put_many("transformers", "m", "en", "es", {"New.": CachedOutput("Nuevo.", 0.875)})
    assert cache.get_many("transformers", "m", "en", "es", ["Old.", "New.", "Unseen."]) == {
        "Old.": CachedOutput("Viejo.", None), "New.": CachedOutput("Nuevo.", 0.875)}
    db.engine.dispose()
    command.downgrade(cfg, "0009_exchange")  # and back: the column goes, the outputs stay
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM mt_cache")).scalar() == 2
    engine.dispose()
