"""The Content-Security-Policy holds in Chromium: no page breaks it, injected script never runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from workflow.db import Database
from workflow.services.publishing import publish_source
from workflow.uow import UnitOfWork

pytestmark = pytest.mark.browser

WATCH = """document.addEventListener('securitypolicyviolation', e =>
  (window.__violations = window.__violations || [])
    .push(e.violatedDirective + ' ' + e.blockedURI));"""

INJECT = """() => {
  const s = document.createElement('script');
  s.textContent = 'window.injected = true';
  document.body.appendChild(s);
  document.body.setAttribute('onclick', 'window.clicked = true');
  document.body.click();
  const st = document.createElement('div');
  st.setAttribute('style', 'width: 123px');
  document.body.appendChild(st);
  return [window.injected === true, window.clicked === true, st.offsetWidth === 123];
}"""


def test_every_page_keeps_the_policy_and_injected_script_is_blocked(
        open_as: Callable[[str], Any], server: str, draft: Callable[..., int],
        sqlite_db: Database) -> None:
    tid = draft("City council approves new budget", "The minister announced a new budget.")
    with UnitOfWork(sqlite_db) as uow:
        from workflow.models import Translation, User

        t = uow.session.get(Translation, tid)
        admin = uow.session.query(User).filter_by(email="admin@desk.test").one()
        assert t is not None
        article_id, slug = t.article_id, t.article.slug
        publish_source(uow, article_id, admin)
    page = open_as("admin@desk.test")
    page.context.add_init_script(WATCH)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    paths = ["/", f"/articles/{article_id}", f"/translations/{tid}",
             f"/translations/{tid}/preview", "/inbox", "/glossary", "/audit", "/quality",
             "/account", "/admin/webhooks", "/people", "/notifications", f"/en/{slug}", "/en/",
             "/login"]
    for path in paths:
        page.goto(f"{server}{path}")
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__violations || []") == [], path
        if path == f"/translations/{tid}":  # the workspace's own script still works
            page.keyboard.press("Control+/")
            assert page.locator("dialog#shortcuts").is_visible()
            page.keyboard.press("Escape")
        assert page.evaluate(INJECT) == [False, False, False], path
        assert page.evaluate("() => (window.__violations || []).length") >= 2, path
    assert not [m for m in console if "Content Security Policy" in m and "injected" in m]
