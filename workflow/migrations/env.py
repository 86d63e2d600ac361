"""Alembic environment: migrations run against the URL the caller configured."""

from alembic import context

from workflow.db import make_engine
from workflow.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run migrations with a live connection."""
    url = config.get_main_option("sqlalchemy.url")
    assert url
    connectable = make_engine(url)
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    connectable.dispose()


run_migrations_online()
