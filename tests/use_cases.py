"""Use-case helpers for the tests that run on a real database: a fake engine and shortcuts."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from tests.conftest import Dispatched
from workflow.db import Database
from workflow.engine import MTResult
from workflow.models import Translation, User
from workflow.services import jobs
from workflow.services.articles import submit_article
from workflow.uow import UnitOfWork


class FakeEngine:
    name = "fake"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        self.calls.append(list(texts))
        return [MTResult(f"[{target}] {t}", "fake", "fake-1") for t in texts]


def submit(db: Database, editor: User, dispatched: Dispatched | None = None, **kw: object) -> int:
    fields: dict[str, object] = {"title": "Budget day", "body": "One.\n\nTwo.",
                                 "source_language": "en", "target_languages_": ["es", "fr"]}
    fields.update(kw)
    with UnitOfWork(db, dispatch=dispatched) as uow:
        return submit_article(uow, editor, **fields).id  # type: ignore[arg-type]


def translation_id(db: Database, language: str) -> int:
    with db.session() as s:
        tid = s.scalar(select(Translation.id).where(Translation.language == language))
    assert tid is not None
    return tid


def run_job(db: Database, tid: int, engine: FakeEngine, worker: str = "w1") -> str:
    return jobs.translate(lambda: UnitOfWork(db), tid, lambda s, t: engine, worker)
