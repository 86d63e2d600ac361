"""Building published editions through the real use cases, for page, feed and browser tests."""

from __future__ import annotations

from workflow.db import Database
from workflow.edition_slugs import current_slug
from workflow.engine import EngineFor
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
# The demo models know the title and the plain sentences; the reviewers write the one
# with inline markup (and the Arabic reviewer pastes markup, which must stay text).
FIXES = {
    "es": {"Read <g1>the <g2>plan</g2></g1> here.": "Lea <g1>el <g2>plan</g2></g1> aquí."},
    "ar": {"Read <g1>the <g2>plan</g2></g1> here.": "اقرأ <g1><g2>الخطة</g2></g1> هنا. "
                                                    + REVIEWER_HOSTILE},
}


def _review(db: Database, tid: int, reviewer: User, rewrite: dict[str, str]) -> None:
    """The reviewer saves their own text for each segment whose source is in ``rewrite``."""
    with UnitOfWork(db) as uow:
        t = uow.session.get(Translation, tid)
        assert t is not None
        segments = [(s.id, s.source_text, s.revision) for s in t.segments]
    for seg_id, source, revision in segments:
        text = rewrite.get(source)
        if text is None:
            continue
        with UnitOfWork(db) as uow:
            save_segment(uow, tid, seg_id, text, revision, reviewer)


def publish_es_and_ar(db: Database, people: dict[str, User], engine_for: EngineFor,
                      ar_reviewer: User) -> dict[str, str]:
    """Submit the hostile source; publish its Spanish and Arabic editions and the source's.

    Both drafts come from ``engine_for`` (the demo models); reviewers rewrite the segment
    the models do not know, then approve, and the publisher publishes. Returns each
    edition's own slug by language.
    """
    with UnitOfWork(db) as uow:
        article = submit_article(uow, people["editor"], title="", body=HOSTILE_SOURCE,
                                 source_language="en", target_languages_=["es", "ar"],
                                 format="auto")
        article_id = article.id
        ids = {t.language: t.id for t in article.translations}
    reviewers = {"es": people["reviewer"], "ar": ar_reviewer}
    for lang, tid in ids.items():
        outcome = jobs.translate(lambda: UnitOfWork(db), tid, engine_for, worker="test")
        assert outcome == "done", lang
        _review(db, tid, reviewers[lang], FIXES[lang])
        with UnitOfWork(db) as uow:
            approve(uow, tid, reviewers[lang])
        with UnitOfWork(db) as uow:
            publish(uow, tid, people["publisher"])
    with UnitOfWork(db) as uow:
        publish_source(uow, article_id, people["publisher"])
        return {lang: current_slug(uow.session, article_id, lang) or ""
                for lang in ("en", "es", "ar")}
