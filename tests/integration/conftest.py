"""Integration fixtures: API tokens and in-process translation with the real demo models."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from workers.engines.transformers_engine import TransformersEngine
from workers.routing import installed_models, models_for
from workflow.db import Database
from workflow.engine import MTEngine, UnsupportedPair
from workflow.services import jobs
from workflow.services.users import create_token
from workflow.uow import UnitOfWork


@pytest.fixture
def token_for(sqlite_db: Database) -> Callable[[str], dict[str, str]]:
    """Authorization headers with a fresh token for the user with that e-mail."""

    def make(email: str) -> dict[str, str]:
        with UnitOfWork(sqlite_db) as uow:
            return {"Authorization": f"Bearer {create_token(uow, email)}"}

    return make


@pytest.fixture(scope="session")
def real_engine_for(demo_models: Path) -> Callable[[str, str], MTEngine]:
    """Routing to the demo models through transformers, one engine per pair."""
    engines: dict[tuple[str, str], MTEngine] = {}

    def engine_for(source: str, target: str) -> MTEngine:
        serving = [m for m in models_for(installed_models(demo_models), source, target)
                   if m.manifest.pairs]
        if not serving:
            raise UnsupportedPair(f"no demo model for {source}→{target}")
        return engines.setdefault((source, target), TransformersEngine(serving[0].path))

    return engine_for


@pytest.fixture
def translate_now(sqlite_db: Database,
                  real_engine_for: Callable[[str, str], MTEngine]) -> Callable[[int], str]:
    """Run the translate use case in this process, as a worker would."""

    def run(translation_id: int) -> str:
        return jobs.translate(lambda: UnitOfWork(sqlite_db), translation_id, real_engine_for,
                              worker="test")

    return run
