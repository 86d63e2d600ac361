"""The assign control lists the language's reviewers by name, with their load and due dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import select

from tests.conftest import make_user
from tests.helpers import csrf_from, login
from workflow.db import Database
from workflow.models import Assignment, Notification, User
from workflow.services.articles import submit_article
from workflow.uow import UnitOfWork

OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]+)</option>')


def _drafts(db: Database, editor: User, n: int) -> list[int]:
    ids = []
    with UnitOfWork(db) as uow:
        for i in range(n):
            article = submit_article(uow, editor, title=f"Story number {i + 1}",
                                     body="The bridge will close.", source_language="en",
                                     target_languages_=["es"])
            article.translations[0].state = "draft"
            ids.append(article.translations[0].id)
        uow.commit()
    return ids


def test_the_editor_picks_a_reviewer_by_name_seeing_each_ones_load_and_next_due_date(
        app: Flask, people: dict[str, User], sqlite_db: Database) -> None:
    busy = people["reviewer"]
    free = make_user(sqlite_db, "marta@desk.test", ["reviewer"], ["es"])
    first, second = _drafts(sqlite_db, people["editor"], 2)
    with UnitOfWork(sqlite_db) as uow:
        uow.session.add(Assignment(translation_id=first, reviewer_id=busy.id,
                                   due_at=datetime(2031, 3, 4, tzinfo=UTC)))
        uow.commit()
    editor = app.test_client()
    login(editor, "editor@desk.test")
    page = editor.get(f"/translations/{second}").text
    options = dict(OPTION.findall(page))
    assert options == {str(free.id): "marta@desk.test — 0 open",
                       str(busy.id): "rev-es@desk.test — 1 open, next due Mar 4, 2031"}
    assert "rev-fr@desk.test" not in page  # a French reviewer is not offered for Spanish
    token = csrf_from(editor, f"/translations/{second}")
    assert editor.post(f"/translations/{second}/assign", data={
        "csrf_token": token, "reviewer_id": str(busy.id), "due": ""}).status_code == 302
    with sqlite_db.session() as s:
        held = s.get(Assignment, second)
        assert held is not None and held.reviewer_id == busy.id
        assert s.scalar(select(Notification.message).where(
            Notification.user_id == busy.id)).startswith("editor@desk.test assigned you")
    bad = editor.post(f"/translations/{second}/assign", data={
        "csrf_token": token, "reviewer_id": "marta", "due": ""})
    assert bad.status_code == 400 and "Pick a reviewer from the list" in bad.text
