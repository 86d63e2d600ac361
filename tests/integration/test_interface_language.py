"""The desk speaks the language its people ask for: their profile's choice, else their
browser's Accept-Language (best match among the desk's catalogues), else English; dates and
numbers are written as that language writes them."""

from __future__ import annotations

import re
from html import unescape

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import csrf_from, login
from web.i18n import number
from workflow.db import Database
from workflow.models import User
from workflow.services.articles import submit_article
from workflow.services.publishing import publish_source
from workflow.uow import UnitOfWork


def _html_tag(page: str) -> str:
    match = re.search(r"<html[^>]*>", page)
    assert match, "no <html> tag"
    return match.group(0)


def _choose(client: FlaskClient, language: str) -> None:
    """Save "Language of the desk" on the account page, as the person would."""
    response = client.post("/account/profile", data={
        "name": "", "interface_language": language, "email_kinds": ["assigned"],
        "csrf_token": csrf_from(client, "/account")})
    assert response.status_code == 302, response.text


def test_the_persons_choice_beats_the_browser_which_beats_english(
        client: FlaskClient, people: dict[str, User]) -> None:
    spanish_browser = {"Accept-Language": "es-ES,es;q=0.9"}
    login(client, "rev-es@desk.test")
    assert _html_tag(client.get("/inbox").text) == '<html lang="en" dir="ltr">'
    assert _html_tag(client.get("/inbox", headers=spanish_browser).text) == (
        '<html lang="es" dir="ltr">')
    _choose(client, "ar")
    page = client.get("/inbox", headers=spanish_browser).text
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "بانتظار مراجع" in page  # Waiting for a reviewer
    assert "selected>العربية</option>" in client.get("/account").text
    _choose(client, "")  # "As my browser asks"
    assert _html_tag(client.get("/inbox", headers=spanish_browser).text) == (
        '<html lang="es" dir="ltr">')
    assert _html_tag(client.get("/inbox").text) == '<html lang="en" dir="ltr">'


def test_a_visitor_whose_browser_asks_for_spanish_gets_the_sign_in_page_in_spanish(
        client: FlaskClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}).text
    assert _html_tag(page) == '<html lang="es" dir="ltr">'
    assert "<h1>Iniciar sesión</h1>" in page and "Contraseña" in page


def test_the_best_supported_language_of_the_browser_wins_and_chinese_is_simplified(
        client: FlaskClient) -> None:
    # German is not a desk language: the browser's next choice, Chinese, is.
    page = client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9,zh-CN;q=0.8"}).text
    assert _html_tag(page) == '<html lang="zh-Hans" dir="ltr">'
    assert "<h1>登录</h1>" in page


def test_a_browser_asking_for_no_desk_language_gets_english(client: FlaskClient) -> None:
    for header in ({"Accept-Language": "de-DE,ru;q=0.5"}, {}):
        page = client.get("/login", headers=header).text
        assert _html_tag(page) == '<html lang="en" dir="ltr">'
        assert "<h1>Sign in</h1>" in page


def test_arabic_turns_the_whole_desk_right_to_left(
        client: FlaskClient, people: dict[str, User]) -> None:
    login(client, "editor@desk.test")
    page = client.get("/", headers={"Accept-Language": "ar"}).text
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    assert "إرسال مقال" in page and "تسجيل الخروج" in page  # Submit an article; Sign out


def test_a_page_error_message_is_in_the_readers_language(
        client: FlaskClient, people: dict[str, User]) -> None:
    login(client, "editor@desk.test")
    page = client.get("/audit", headers={"Accept-Language": "fr"})
    assert page.status_code == 403
    assert "Le journal d'audit est réservé aux administrateurs." in unescape(page.text)


def test_a_missing_page_says_so_in_the_readers_language_and_the_api_keeps_its_code(
        client: FlaskClient) -> None:
    page = client.get("/no-such-page", headers={"Accept-Language": "es"})
    assert page.status_code == 404
    assert "No hay ninguna página en esta dirección." in page.text
    api = client.get("/api/v1/no-such-thing", headers={"Accept-Language": "es"})
    assert api.status_code == 404 and api.get_json()["error"] == "not_found"


def test_dates_on_the_dashboard_are_written_as_the_readers_language_writes_them(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    with UnitOfWork(sqlite_db) as uow:
        submit_article(uow, people["editor"], title="Ferry schools", body="Six classrooms.",
                       source_language="en", target_languages_=["fr"])
    login(client, "editor@desk.test")
    english = client.get("/").text
    french = client.get("/", headers={"Accept-Language": "fr-FR"}).text
    stamp = r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^"]*">'
    assert re.search(stamp + r"\d{1,2}/\d{1,2}/\d\d, \d{1,2}:\d\d\s[AP]M</time>", english)
    assert re.search(stamp + r"\d\d/\d\d/\d{4} \d\d:\d\d</time>", french)
    assert "En file d'attente" in unescape(french)  # the state, Queued


def test_a_public_edition_keeps_its_own_language_whatever_the_reader_chose(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    with UnitOfWork(sqlite_db) as uow:
        article = submit_article(uow, people["editor"], title="Ferry schools",
                                 body="Six classrooms.", source_language="en",
                                 target_languages_=["fr"])
        slug = article.slug
        publisher = uow.session.get(User, people["publisher"].id)
        assert publisher is not None
        publish_source(uow, article.id, publisher)
    login(client, "rev-es@desk.test")
    _choose(client, "ar")
    edition = client.get(f"/en/{slug}", headers={"Accept-Language": "zh"})
    assert edition.status_code == 200
    assert _html_tag(edition.text).startswith('<html lang="en" dir="ltr"')
    assert _html_tag(client.get("/inbox").text) == '<html lang="ar" dir="rtl">'


def test_numbers_are_grouped_and_pointed_as_the_readers_language_writes_them(
        app: Flask) -> None:
    written = {}
    for language in ("en", "es", "fr", "zh"):
        with app.test_request_context("/", headers={"Accept-Language": language}):
            written[language] = number(12345.6, 1)
    assert written == {"en": "12,345.6", "es": "12.345,6", "fr": "12\u202f345,6",
                       "zh": "12,345.6"}
