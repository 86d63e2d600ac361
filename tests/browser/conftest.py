"""Browser fixtures: the app served on 127.0.0.1 in a thread, and a real headless Chromium."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, Dispatched, create_test_app
from tests.integration.conftest import real_engine_for, translate_now  # noqa: F401
from workflow.db import Database
from workflow.models import User
from workflow.services.articles import submit_article
from workflow.uow import UnitOfWork

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free local port in a thread; yield its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    """The app on a free local port; its base URL."""
    with serving(app) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the session."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing at /usr/bin/chromium; scripts/setup.sh installs it")
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def open_as(chromium: Any, server: str) -> Iterator[Callable[[str], Any]]:
    """A fresh browser context signed in as ``email`` by typing, one per call."""
    contexts: list[Any] = []

    def sign_in(email: str) -> Any:
        context = chromium.new_context()
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{server}/login")
        # The e-mail field has autofocus; wait until it holds the focus before typing.
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.id === 'email'")
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        assert page.input_value("#email") == email and page.input_value("#password") == PASSWORD
        page.keyboard.press("Enter")
        page.wait_for_url(f"{server}/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def draft(sqlite_db: Database, people: dict[str, User],
          translate_now: Callable[[int], str]) -> Callable[..., int]:  # noqa: F811
    """Submit an article into Spanish and machine-translate it; the translation's id."""

    def make(title: str, body: str) -> int:
        with UnitOfWork(sqlite_db) as uow:
            article = submit_article(uow, people["editor"], title=title, body=body,
                                     source_language="en", target_languages_=["es"])
            (t,) = article.translations
            tid = t.id
        assert translate_now(tid) == "done"
        return tid

    return make


@pytest.fixture
def live_url(sqlite_db: Database) -> Iterator[str]:
    """A second app on the same database, served in a thread (for the public site)."""
    app = create_test_app(sqlite_db.url, Dispatched())
    with serving(app) as url:
        app.config["PUBLIC_URL"] = url  # the site's public address is where it is served
        yield url


@pytest.fixture
def browser(chromium: Any) -> Iterator[Any]:
    """A fresh browser context on the session's Chromium."""
    context = chromium.new_context()
    try:
        yield context
    finally:
        context.close()
