"""A burst of jobs through a real worker process: shared engine batches, each job once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.processes import Desk, wait_until
from workers.demo_corpus import CORPORA
from workflow.db import Database
from workflow.models import AuditEvent, TranslatedSegment, Translation, User
from workflow.services.articles import submit_article
from workflow.services.users import create_user
from workflow.uow import UnitOfWork

pytestmark = pytest.mark.integration


def _records(workdir: Path) -> list[dict[str, object]]:
    out = []
    for path in workdir.glob("worker-*.log"):
        for line in path.read_text(errors="replace").splitlines():
            if '"timings"' in line:
                out.append(json.loads(line)["timings"])
    return out


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.timeout(240)
def test_a_burst_of_jobs_is_translated_in_shared_batches_and_each_drafted_exactly_once(
        db: Database, demo_models: Path, tmp_path: Path) -> None:
    pairs = CORPORA[("en", "es")]
    with UnitOfWork(db) as uow:
        editor: User = create_user(uow, "burst@desk.test", "x" * 12, ["editor"], None)
    sent: list[int] = []
    for i in range(12):  # all queued before the worker starts: a burst waiting for it
        with UnitOfWork(db, dispatch=sent.extend) as uow:
            submit_article(uow, editor, title=pairs[i][0], body=pairs[i + 12][0],
                           source_language="en", target_languages_=["es"])
    desk = Desk(db.url, demo_models, tmp_path, LINGUADESK_ROUTES="*=ctranslate2")
    try:
        from celery import Celery

        sender = Celery("burst", broker=desk.redis_url)
        for tid in sent:
            sender.send_task("linguadesk.translate", args=[tid], queue=f"{desk.prefix}mt")
        desk.start_worker()

        def drafted() -> bool:
            with db.session() as s:
                return set(s.scalars(select(Translation.state))) == {"draft"}

        wait_until(drafted, 180, "every job to become a draft", desk.logs)
        # One task per message: those whose job a shared batch did found it done.
        wait_until(lambda: len(_records(tmp_path)) >= len(sent), 60,
                   "the worker to consume every message", desk.logs)
    finally:
        desk.close()
    batches = [list(r.get("jobs", [])) for r in _records(tmp_path)]  # type: ignore[call-overload]
    assert max(len(b) for b in batches) > 1, "no two jobs shared an engine batch"
    assert sorted(t for b in batches for t in b) == sorted(sent)  # each job in one batch
    with db.session() as s:
        actions = dict(s.execute(select(AuditEvent.action, func.count())
                                 .where(AuditEvent.translation_id.is_not(None))
                                 .group_by(AuditEvent.action)).all())
        segments = list(s.execute(select(TranslatedSegment.translation_id,
                                         TranslatedSegment.source_text,
                                         TranslatedSegment.mt_text)))
    assert actions["translation.start"] == actions["translation.finish"] == len(sent)
    assert len(segments) == 2 * len(sent)  # a title and a paragraph each, nothing twice
    expected = dict(pairs)
    assert all(mt == expected[source] for _, source, mt in segments)

