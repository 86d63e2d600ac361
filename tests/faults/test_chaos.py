"""The fault suite: workers SIGKILLed and Redis restarted empty while the desk works.

``make chaos`` runs the full size (200 jobs, 24 kills, 3 Redis restarts), once with jobs
sharing engine batches (the default) and once one job per task; the default suite runs
the shared way smaller.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import _drop_pg_database, _fresh_pg_database
from tests.faults.chaos import Chaos, Plan
from workflow.db import Database

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


@pytest.fixture
def chaos_db(pg_server: str) -> Iterator[Database]:
    """A fresh PostgreSQL database: several worker processes write to it at once."""
    name, url = _fresh_pg_database(pg_server)
    database = Database(url)
    database.migrate()
    try:
        yield database
    finally:
        database.engine.dispose()
        _drop_pg_database(pg_server, name)


def run_and_check(db: Database, models: Path, workdir: Path, plan: Plan) -> None:
    chaos = Chaos(db, models, workdir, plan)
    figures = chaos.run()
    print("\n" + figures.report())
    assert not figures.failures, "\n".join(figures.failures) + "\n" + chaos.desk.logs()
    assert figures.jobs_lost == 0
    assert figures.kills >= plan.kills and figures.redis_restarts >= plan.redis_restarts
    assert figures.drafts_or_later + figures.failed_after_poison_limit == figures.jobs
    if plan.share_chars:  # the kills and restarts hit batches that several jobs share
        assert figures.shared_batches > 0, "no jobs shared an engine batch"


@pytest.mark.timeout(180)
def test_a_small_desk_loses_no_job_while_workers_and_redis_are_killed(
        chaos_db: Database, demo_models: Path, tmp_path: Path) -> None:
    run_and_check(chaos_db, demo_models, tmp_path, Plan(
        articles=20, workers=2, kills=6, redis_restarts=2, lease_seconds=12,
        settle_timeout=100, share_chars=300, submit_pause=0.5))


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_two_hundred_jobs_survive_two_dozen_kills_and_three_redis_restarts(
        chaos_db: Database, demo_models: Path, tmp_path: Path) -> None:
    run_and_check(chaos_db, demo_models, tmp_path, Plan(
        articles=100, workers=4, kills=24, redis_restarts=3, lease_seconds=20,
        settle_timeout=480, share_chars=300))


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_two_hundred_jobs_one_per_task_survive_the_same_faults(
        chaos_db: Database, demo_models: Path, tmp_path: Path) -> None:
    run_and_check(chaos_db, demo_models, tmp_path, Plan(
        articles=100, workers=4, kills=24, redis_restarts=3, lease_seconds=20,
        settle_timeout=480, share_chars=0))
