"""Live progress: the pipeline records sentences done; the page script reads it as JSON."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from tests.helpers import login
from workflow.db import Database
from workflow.models import TranslationProgress, User
from workflow.services import jobs
from workflow.services.articles import submit_article
from workflow.uow import UnitOfWork


def test_progress_json_follows_a_job_from_queued_to_draft_with_its_sentences(
        app: Flask, people: dict[str, User], sqlite_db: Database,
        translate_now: Callable[[int], str]) -> None:
    with UnitOfWork(sqlite_db) as uow:
        article = submit_article(uow, people["editor"], title="City council approves new budget",
                                 body="The minister announced a new budget. Schools will "
                                      "reopen next week.",
                                 source_language="en", target_languages_=["es", "fr"])
        es, fr = (t.id for t in article.translations if t.language in ("es", "fr"))
    editor = app.test_client()
    login(editor, "editor@desk.test")
    queued = editor.get(f"/progress.json?ids={es},{fr}").get_json()["translations"]
    assert [(t["state"], t["label"], t["done"]) for t in queued] == [
        ("queued", "Queued", None), ("queued", "Queued", None)]
    with UnitOfWork(sqlite_db) as uow:
        assert jobs.claim(uow, es, "test", 600)
        uow.session.add(TranslationProgress(translation_id=es, done=1, total=3))
        uow.commit()
    (mid,) = [t for t in editor.get(f"/progress.json?ids={es}").get_json()["translations"]]
    assert (mid["label"], mid["done"], mid["total"]) == ("Translating", 1, 3)
    assert translate_now(es) == "done"
    with sqlite_db.session() as s:
        row = s.get(TranslationProgress, es)
        assert row is not None and row.done == row.total == 3  # title and two sentences
    (done,) = editor.get(f"/progress.json?ids={es}").get_json()["translations"]
    assert (done["state"], done["label"], done["done"]) == ("draft", "Draft ready", None)
    french = app.test_client()
    login(french, "rev-fr@desk.test")
    seen = french.get(f"/progress.json?ids={es},{fr}").get_json()["translations"]
    assert [t["id"] for t in seen] == [fr]  # not the Spanish job
    bad = editor.get("/progress.json?ids=one,two")
    assert bad.status_code == 400 and "ids must be" in bad.get_json()["message"]
