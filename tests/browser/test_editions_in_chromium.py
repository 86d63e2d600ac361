"""Readers' view in a real Chromium: lang/dir, the language switcher, hreflang, no hostile code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import make_user
from tests.editions import publish_es_and_ar
from workflow.db import Database
from workflow.engine import MTEngine
from workflow.models import User

pytestmark = pytest.mark.browser

HREFLANG_JS = """() => Object.fromEntries([...document.querySelectorAll(
  'link[rel=alternate][hreflang]')].map(l => [l.hreflang, l.href]))"""


def test_readers_switch_languages_and_hostile_markup_never_runs(
        sqlite_db: Database, people: dict[str, User], live_url: str, browser: Any,
        real_engine_for: Callable[[str, str], MTEngine]) -> None:
    # Drafted by the demo en→es and en→ar models; reviewers rewrite the marked-up segment.
    ar_reviewer = make_user(sqlite_db, "rev-ar@desk.test", ["reviewer"], ["ar"])
    slugs = publish_es_and_ar(sqlite_db, people, real_engine_for, ar_reviewer)
    urls = {lang: f"{live_url}/{lang}/{quote(slugs[lang])}" for lang in ("en", "es", "ar")}

    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(urls["es"])
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") \
        == ["es", "ltr"]
    assert page.inner_text("h1") == "El ayuntamiento aprueba un nuevo presupuesto"
    assert "El ministro anunció un nuevo presupuesto." in page.inner_text("article")

    page.click("nav.languages a[hreflang=ar]")
    page.wait_for_url(urls["ar"])
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") \
        == ["ar", "rtl"]
    assert page.inner_text("h1") == "المجلس البلدي يوافق على ميزانية جديدة"
    assert page.evaluate("() => getComputedStyle(document.body).direction") == "rtl"
    assert page.inner_text("nav.languages a[hreflang=es]") == "Español"

    for lang, url in urls.items():
        page.goto(url)
        alternates = page.evaluate(HREFLANG_JS)
        assert alternates == {**urls, "x-default": urls["en"]}, lang
        assert page.evaluate("() => document.querySelector('link[rel=canonical]').href") == url
        # Every alternate points back here: the set is reciprocal.
        for other in urls.values():
            back = browser.new_page()
            back.goto(other)
            assert back.evaluate(HREFLANG_JS)[lang] == url
            back.close()
        # Nothing hostile from the source (or a reviewer's text) exists or ran.
        assert page.evaluate("() => window.pwned") is None
        assert page.evaluate("() => document.querySelectorAll("
                             "'article script, article iframe, article img').length") == 0
        hrefs = page.evaluate("() => [...document.querySelectorAll('a')].map(a => a.href)")
        assert not any(h.lower().startswith("javascript:") for h in hrefs)
        handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(
            e => [...e.attributes].map(a => a.name)).filter(n => n.startsWith('on'))""")
        assert handlers == []
    # Clicking the neutralized link does nothing either.
    page.goto(urls["en"])
    page.click("article a")
    assert page.evaluate("() => window.pwned") is None
    assert dialogs == []
