"""People and live progress in a real Chromium: an invitation by e-mail, then the inbox; the
dashboard following a translation without a reload."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import serving
from tests.conftest import Dispatched, create_test_app
from tests.processes import Desk, wait_until
from tests.smtp_server import Mailbox, SMTPServer
from workers.queue import enqueue_emails
from workflow.db import Database
from workflow.models import User
from workflow.services import jobs
from workflow.services.articles import submit_article
from workflow.uow import UnitOfWork

pytestmark = pytest.mark.browser


def test_an_admin_invites_a_reviewer_who_sets_a_password_and_sees_the_inbox(
        chromium: Any, sqlite_db: Database, people: dict[str, User], smtp: SMTPServer,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_test_app(sqlite_db.url, Dispatched(), MAILER=enqueue_emails)
    with serving(app) as url:
        app.config["PUBLIC_URL"] = url  # links in e-mails point where the desk is served
        desk = Desk(sqlite_db.url, tmp_path / "models", tmp_path, LINGUADESK_SMTP_URL=smtp.url)
        desk.apply_env(monkeypatch)
        try:
            desk.start_worker()
            admin = chromium.new_context().new_page()
            admin.set_default_timeout(15_000)
            admin.goto(f"{url}/login")
            admin.fill("#email", "admin@desk.test")
            admin.fill("#password", "correct horse battery")
            admin.press("#password", "Enter")
            admin.wait_for_url(f"{url}/")
            admin.click("text=People")
            admin.fill("#invite-email", "lena@desk.test")
            admin.fill("#invite-name", "Lena Ortiz")
            admin.check("#invite-role-reviewer")
            admin.select_option("#invite-languages", ["es"])
            admin.click("text=Send the invitation")
            assert "Invitation sent to lena@desk.test" in admin.inner_text("#people-done")
            assert admin.inner_text("tr[data-person='lena@desk.test'] .person-state") == "invited"
            wait_until(lambda: bool(smtp.mailbox.to("lena@desk.test")), 120,
                       "the invitation at the SMTP server", desk.logs)
            text = Mailbox.text_of(smtp.mailbox.to("lena@desk.test")[0])
            link = re.search(re.escape(url) + r"/join/[A-Za-z0-9_-]+", text)
            assert link, text

            lena = chromium.new_context().new_page()
            lena.set_default_timeout(15_000)
            lena.goto(link.group(0))
            assert "Welcome to Linguadesk" in lena.inner_text("h1")
            lena.fill("#password", "lena's own secret")
            lena.fill("#confirm", "lena's own secret")
            lena.click("text=Set my password")
            assert "Your password is set" in lena.inner_text("#password-set")
            lena.fill("#email", "lena@desk.test")
            lena.fill("#password", "lena's own secret")
            lena.press("#password", "Enter")
            lena.wait_for_url(f"{url}/inbox")
            assert "Waiting for a reviewer" in lena.inner_text("main")
            lena.goto(link.group(0))
            assert "unknown, used or expired" in lena.inner_text("main")
        finally:
            desk.close()


def test_the_dashboard_moves_from_translating_to_draft_ready_without_a_reload(
        open_as: Callable[[str], Any], sqlite_db: Database, people: dict[str, User],
        translate_now: Callable[[int], str]) -> None:
    with UnitOfWork(sqlite_db) as uow:
        article = submit_article(uow, people["editor"], title="City council approves new budget",
                                 body="The minister announced a new budget.",
                                 source_language="en", target_languages_=["es"])
        tid = article.translations[0].id
    with UnitOfWork(sqlite_db) as uow:  # a worker has taken the job
        assert jobs.claim(uow, tid, "test", 600)
    page = open_as("editor@desk.test")
    article_page = page.context.new_page()
    article_page.goto(page.url.rstrip("/") + f"/articles/{article.id}")
    for p in (page, article_page):
        assert p.locator(f"[data-translation='{tid}'] .state").inner_text() == "Translating"
        p.evaluate("() => { window.__same_page = true; }")
    assert translate_now(tid) == "done"  # the same worker finishes it
    for p in (page, article_page):
        p.wait_for_function(
            f"() => document.querySelector(\"[data-translation='{tid}'] .state\")"
            ".textContent === 'Draft ready'", timeout=15_000)
        assert p.evaluate("() => window.__same_page === true")  # no reload happened
        assert p.get_attribute(f"[data-translation='{tid}'] .bar > span", "class") == "p40"
