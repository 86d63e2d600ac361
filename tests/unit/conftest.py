"""Unit tests use no database, Redis or worker: the fixtures that bring one fail here."""

from __future__ import annotations

import pytest

SERVICE_FIXTURES = ("sqlite_url", "sqlite_db", "database_url", "db", "pg_server", "people",
                    "app", "client")


@pytest.fixture(autouse=True)
def _no_services(request: pytest.FixtureRequest) -> None:
    used = sorted(set(request.fixturenames) & set(SERVICE_FIXTURES))
    if used:
        pytest.fail(f"{request.node.nodeid} uses {', '.join(used)}: a test on a database "
                    "belongs in tests/integration.", pytrace=False)
