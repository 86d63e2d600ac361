"""No step is quadratic in segments: twice the segments take about twice the time.

Each step an article goes through, from submit to draft (segmentation, TM lookups, the MT
pipeline, saving, QA, source-update diffs, salvage), is timed on an article of n
segments and on one of 2n. Linear work doubles; quadratic work quadruples. The ratio
must stay under 3 (the fastest of a few runs each, so a busy machine does not decide).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from sqlalchemy import select

from tests.use_cases import FakeEngine, run_job, submit
from workflow.db import Database
from workflow.engine import EngineError, MTResult
from workflow.models import Translation, User
from workflow.mt_pipeline import translate_segments
from workflow.qa import Term, check_segment
from workflow.services.updates import match_segments, update_article
from workflow.uow import UnitOfWork

LINEAR = 3.0  # 2× the segments: linear work takes ~2×, quadratic ~4×
RUNS = 5


def _paragraph(i: int) -> str:
    return (f"Paragraph {i} says the council met on {i % 28 + 1} May. It voted {i} to 3, "
            f"with https://example.org/{i} as its record; the mayor wrote to desk{i}@city.test.")


def _ratio(run: Callable[[int], float], n: int) -> float:
    """How much longer 2n segments take than n: the fastest of RUNS runs each."""
    small = min(run(n) for _ in range(RUNS))
    large = min(run(2 * n) for _ in range(RUNS))
    return large / small


def _timed(step: Callable[[], object]) -> float:
    started = time.perf_counter()
    step()
    return time.perf_counter() - started


class Measured(FakeEngine):
    """A fake engine that counts tokens (one per word), so the pipeline measures sentences."""

    model_id = "fake-1"
    max_input_tokens = 60

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) + 1 for t in texts]


class ChokesOnBatches(FakeEngine):
    """Fails every call of more than one text: each job is salvaged segment by segment."""

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        if len(texts) > 1:
            raise EngineError("the model produced nothing for this batch")
        return super().translate(texts, source, target)


def test_the_mt_pipeline_and_qa_grow_linearly_with_segments() -> None:
    terms = [Term("council", do_not_translate=True), Term("mayor", "Bürgermeister")]

    def pipeline(n: int) -> float:
        texts = [_paragraph(i) for i in range(n)]
        return _timed(lambda: translate_segments(texts, "en", "de", Measured(),
                                                 terms=["council"]))

    def qa(n: int) -> float:
        pairs = [(_paragraph(i), _paragraph(i).upper()) for i in range(n)]
        return _timed(lambda: [check_segment(s, t, terms) for s, t in pairs])

    assert _ratio(pipeline, 600) < LINEAR
    assert _ratio(qa, 1500) < LINEAR


def test_matching_a_source_update_grows_linearly_with_segments() -> None:
    def diff(n: int) -> float:
        old = [("paragraph", _paragraph(i)) for i in range(n)]
        new = [(k, t + " Updated." if i % 10 == 3 else t) for i, (k, t) in enumerate(old)]
        del new[n // 2]
        return _timed(lambda: match_segments(old, new))

    assert _ratio(diff, 10000) < LINEAR


def _articles(db: Database, editor: User, n: int) -> list[int]:
    """RUNS Spanish jobs of ``n`` paragraphs each, queued; their ids."""
    body = "\n\n".join(_paragraph(i) for i in range(n))
    for k in range(RUNS):
        submit(db, editor, title=f"Council {n} {k}", body=body, target_languages_=["es"])
    with db.session() as s:
        return list(s.scalars(select(Translation.id).join(Translation.article)
                              .where(Translation.language == "es",
                                     Translation.state == "queued")
                              .order_by(Translation.id)))[-RUNS:]


def test_submitting_translating_saving_and_salvaging_a_job_grow_linearly_with_segments(
        sqlite_db: Database, people: dict[str, User]) -> None:
    editor = people["editor"]
    submits: dict[int, float] = {}

    def submitting(n: int) -> float:
        body = "\n\n".join(_paragraph(i) for i in range(n))
        took = _timed(lambda: submit(sqlite_db, editor, title=f"Submit {n}", body=body,
                                     target_languages_=["fr"]))
        submits[n] = min(took, submits.get(n, took))
        return took

    queued: dict[int, list[int]] = {}

    def job(engine: Callable[[], FakeEngine]) -> Callable[[int], float]:
        def run(n: int) -> float:  # each run takes its own fresh job of n segments
            if not queued.get(n):
                queued[n] = _articles(sqlite_db, editor, n)
            tid = queued[n].pop()
            return _timed(lambda: run_job(sqlite_db, tid, engine()))  # type: ignore[arg-type]
        return run

    assert _ratio(submitting, 150) < LINEAR
    # The lookups (segments left, TM exact hits, glossary), the engine call, the saving
    # and the pre-confirmation policy: the whole job.
    assert _ratio(job(FakeEngine), 150) < LINEAR
    queued.clear()
    assert _ratio(job(ChokesOnBatches), 150) < LINEAR  # salvage: segment by segment


def test_an_update_of_a_long_article_grows_linearly_with_segments(
        sqlite_db: Database, people: dict[str, User]) -> None:
    editor = people["editor"]

    def update(n: int) -> float:
        body = "\n\n".join(_paragraph(i) for i in range(n))
        article_id = submit(sqlite_db, editor, title=f"Update {n}", body=body,
                            target_languages_=["es"])
        changed = "\n\n".join(_paragraph(i) + (" Updated." if i % 10 == 3 else "")
                              for i in range(n))

        def step() -> None:
            with UnitOfWork(sqlite_db) as uow:
                update_article(uow, article_id, editor, title=f"Update {n}", body=changed)
        return _timed(step)

    assert _ratio(update, 150) < LINEAR
