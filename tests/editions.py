"""Building published editions through the real use cases, for page, feed and browser tests."""

from __future__ import annotations

from collections.abc import Sequence

from workflow.db import Database
from workflow.engine import EngineFor, MTResult
from workflow.models import Translation, User
from workflow.services import jobs
from workflow.services.articles import submit_article
from workflow.services.publishing import publish, publish_source
from workflow.services.review import approve, save_segment
from workflow.uow import UnitOfWork

HOSTILE_SOURCE = (
    "<h1>City council approves new budget</h1>"
    "<p>The minister announced a new budget.</p>"
    "<p>Schools will reopen next week.</p>"
    '<p>Read <a href="javascript:window.pwned=1">the <b>plan</b></a> here.'
    '<img src="x" onerror="window.pwned=1; alert(1)"></p>'
    "<script>window.pwned = 1; alert('pwned')</script>"
    '<iframe src="javascript:alert(2)"></iframe>'
)
# A reviewer writing markup into a segment gets text, never an element.
REVIEWER_HOSTILE = '<img src=x onerror="window.pwned=1">'
ARABIC = {
    "title": "المجلس البلدي يوافق على ميزانية جديدة",
    "The minister announced a new budget.": "أعلن الوزير عن ميزانية جديدة.",
    "Schools will reopen next week.": "ستعيد المدارس فتح أبوابها الأسبوع المقبل.",
    "Read <g1>the <g2>plan</g2></g1> here.": "اقرأ <g1><g2>الخطة</g2></g1> هنا. "
                                             + REVIEWER_HOSTILE,
}
SPANISH_FIX = {"Read <g1>the <g2>plan</g2></g1> here.": "Lea <g1>el <g2>plan</g2></g1> aquí."}
# What the demo model gives for the rest; written by hand when no model is used.
SPANISH_ALL = {**SPANISH_FIX, "title": "El ayuntamiento aprueba un nuevo presupuesto",
               "The minister announced a new budget.": "El ministro anunció un nuevo presupuesto.",
               "Schools will reopen next week.": "Las escuelas reabrirán la próxima semana."}


class CopySource:
    """Drafts a language with no MT model by copying the source; a reviewer rewrites each one."""

    name = "copy-source"

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        """The source text itself, as a CAT tool's 'copy source' does."""
        return [MTResult(text=t, engine=self.name, model="none") for t in texts]


def _review(db: Database, tid: int, reviewer: User, rewrite: dict[str, str],
            every: bool) -> None:
    with UnitOfWork(db) as uow:
        t = uow.session.get(Translation, tid)
        assert t is not None
        segments = [(s.id, s.kind, s.source_text, s.revision) for s in t.segments]
    for seg_id, kind, source, revision in segments:
        text = rewrite.get("title" if kind == "title" else source)
        if text is None:
            assert not every, f"no hand translation for {source!r}"
            continue
        with UnitOfWork(db) as uow:
            save_segment(uow, tid, seg_id, text, revision, reviewer)


def publish_es_and_ar(db: Database, people: dict[str, User], engine_for: EngineFor | None,
                      ar_reviewer: User) -> str:
    """Submit the hostile source; publish it with a Spanish and an Arabic (by hand) edition.

    The Spanish draft comes from ``engine_for`` (the demo model) when given; otherwise it is
    drafted by copying the source and the reviewer writes every segment, as for Arabic.
    """
    with UnitOfWork(db) as uow:
        article = submit_article(uow, people["editor"], title="", body=HOSTILE_SOURCE,
                                 source_language="en", target_languages_=["es", "ar"],
                                 format="auto")
        slug, article_id = article.slug, article.id
        ids = {t.language: t.id for t in article.translations}

    def engines(source: str, target: str) -> object:
        if target == "ar" or engine_for is None:
            return CopySource()
        return engine_for(source, target)

    for lang, tid in ids.items():
        assert jobs.translate(lambda: UnitOfWork(db), tid, engines, worker="test") == "done", lang  # type: ignore[arg-type]
    if engine_for is None:
        _review(db, ids["es"], people["reviewer"], SPANISH_ALL, every=True)
    else:
        _review(db, ids["es"], people["reviewer"], SPANISH_FIX, every=False)
    _review(db, ids["ar"], ar_reviewer, ARABIC, every=True)
    for lang, reviewer in (("es", people["reviewer"]), ("ar", ar_reviewer)):
        with UnitOfWork(db) as uow:
            approve(uow, ids[lang], reviewer)
        with UnitOfWork(db) as uow:
            publish(uow, ids[lang], people["publisher"])
    with UnitOfWork(db) as uow:
        publish_source(uow, article_id, people["publisher"])
    return slug
