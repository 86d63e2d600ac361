"""Response headers: CSP, nosniff, referrer, HSTS; the Host header; cookie flags and names."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.conftest import Dispatched, create_test_app
from tests.helpers import login, sign_in
from workflow.db import Database
from workflow.models import User
from workflow.services.articles import submit_article
from workflow.services.publishing import publish_source
from workflow.uow import UnitOfWork


def _policy(header: str) -> dict[str, str]:
    return {d.split()[0]: d.partition(" ")[2] for d in
            (part.strip() for part in header.split(";")) if d}


def _published(db: Database, people: dict[str, User]) -> str:
    with UnitOfWork(db) as uow:
        article = submit_article(uow, people["editor"], title="City council approves new budget",
                                 body="The minister announced a new budget.",
                                 source_language="en", target_languages_=["es"])
        publish_source(uow, article.id, people["publisher"])
        return article.slug


def test_desk_pages_carry_a_csp_without_inline_script_and_refuse_framing(
        app: Flask, people: dict[str, User]) -> None:
    client = app.test_client()
    login(client, "editor@desk.test")
    for path in ("/login", "/", "/glossary", "/account", "/api/v1/openapi.json"):
        response = client.get(path)
        csp = _policy(response.headers["Content-Security-Policy"])
        assert csp["script-src"] == "'self'", path
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"], path
        assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'", path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "same-origin", path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_desk_templates_hold_no_inline_script_style_or_handler(app: Flask) -> None:
    from pathlib import Path

    for template in Path(app.root_path, "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert not re.search(r"<style|\sstyle\s*=", text), template


def test_the_public_site_runs_no_script_and_its_framing_is_configurable(
        sqlite_db: Database, people: dict[str, User]) -> None:
    slug = _published(sqlite_db, people)
    default = create_test_app(sqlite_db.url, Dispatched()).test_client().get(f"/en/{slug}")
    csp = _policy(default.headers["Content-Security-Policy"])
    assert csp["script-src"] == "'none'" and csp["frame-ancestors"] == "'self'"
    assert default.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    framed = create_test_app(sqlite_db.url, Dispatched(),
                             PUBLIC_FRAME_ANCESTORS="https://partner.example")
    csp = _policy(framed.test_client().get(f"/en/{slug}").headers["Content-Security-Policy"])
    assert csp["frame-ancestors"] == "https://partner.example"


def test_hsts_is_sent_outside_development_only(sqlite_db: Database) -> None:
    production = create_test_app(sqlite_db.url, Dispatched()).test_client().get("/login")
    assert production.headers["Strict-Transport-Security"].startswith("max-age=")
    development = create_test_app(sqlite_db.url, Dispatched(), DEVELOPMENT=True,
                                  PUBLIC_URL=None).test_client().get("/login")
    assert "Strict-Transport-Security" not in development.headers


def test_a_request_for_another_host_is_refused_and_links_use_the_public_url(
        sqlite_db: Database, people: dict[str, User]) -> None:
    slug = _published(sqlite_db, people)
    app = create_test_app(sqlite_db.url, Dispatched(), PUBLIC_URL="https://news.example")
    client = app.test_client()
    for path in (f"/en/{slug}", "/en/feed.atom", "/sitemap.xml", "/login"):
        evil = client.get(path, headers={"Host": "evil.example"})
        assert evil.status_code == 400, path
        assert "evil.example" not in evil.text
    for host in ("news.example", "127.0.0.1:8000"):  # the site, and a health check on the box
        page = client.get(f"/en/{slug}", headers={"Host": host}).text
        assert f'<link rel="canonical" href="https://news.example/en/{slug}">' in page
        assert "hreflang=\"en\" href=\"https://news.example/en/" in page
        assert 'href="https://news.example/en/feed.atom"' in page
        assert host not in page or host == "news.example"
        feed = client.get("/en/feed.atom", headers={"Host": host}).text
        sitemap = client.get("/sitemap.xml", headers={"Host": host}).text
        for xml in (feed, sitemap):
            urls = re.findall(r"https?://[^\"<]+", xml)
            assert urls and all(u.startswith("https://news.example/") or "w3.org" in u
                                or "sitemaps.org" in u for u in urls), urls


def test_production_refuses_to_start_without_a_public_url(sqlite_db: Database) -> None:
    with pytest.raises(RuntimeError, match="LINGUADESK_PUBLIC_URL"):
        create_test_app(sqlite_db.url, Dispatched(), PUBLIC_URL=None)


@pytest.mark.parametrize(("env", "secure"), [(None, True), ("production", True),
                                             ("development", False)])
def test_session_cookies_are_secure_and_host_only_unless_explicitly_development(
        monkeypatch: pytest.MonkeyPatch, sqlite_db: Database, people: dict[str, User],
        env: str | None, secure: bool) -> None:
    from web import create_app

    if env is None:
        monkeypatch.delenv("LINGUADESK_ENV", raising=False)  # what the Dockerfile used to do
    else:
        monkeypatch.setenv("LINGUADESK_ENV", env)
    monkeypatch.setenv("LINGUADESK_PUBLIC_URL", "http://localhost")
    app = create_app({"TESTING": True, "DATABASE_URL": sqlite_db.url, "SECRET_KEY": "test",
                      "DISPATCH": Dispatched()})
    response = sign_in(app.test_client(), "editor@desk.test")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert ("Secure" in cookie) is secure
    assert cookie.startswith("__Host-") is secure
    assert "Domain=" not in cookie
