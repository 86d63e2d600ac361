"""Ingestion through the API and the dashboard: extraction, preview, and every bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import Dispatched
from tests.helpers import csrf_from, login
from workflow.db import Database
from workflow.models import Article, User
from workflow.services.articles import rebuild_body
from workflow.uow import UnitOfWork

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NEWS = (FIXTURES / "news_harbour.txt").read_text()
# Page copies in other languages, each with its expected extraction beside it.
PAGES = sorted(p.stem for p in FIXTURES.glob("news_*.json"))
NO_HEADLINE = {"error": "no_headline", "message": "No headline found in the text: give a title."}
MARKDOWN = "# Markets calm\n\nTraders were **relieved** on [Friday](https://ex.org/f).\n\n- one\n"
HTML = ("<h1>Port strike ends</h1><p>Dockers <em>voted</em> to return.</p>"
        "<blockquote>We won.</blockquote>")


def count_articles(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Article)) or 0


def test_a_news_page_copy_goes_in_with_format_auto_and_comes_out_extracted(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    response = client.post("/api/v1/articles", headers=token_for("editor@desk.test"), json={
        "body": NEWS, "format": "auto", "source_language": "en", "target_languages": ["es"]})
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["title"] == "Harbour city opens its first floating school"
    ex = data["extracted"]
    assert (ex["format"], ex["author"], ex["date"], ex["source"]) == (
        "news", "Amina Okafor", "2026-03-14", "The Coastal Weekly")
    assert ex["credits"] == ["Copyedited by Jonas Berg",
                             "Comments to letters@coastalweekly.example"]
    kinds = [b["kind"] for b in ex["blocks"]]
    assert kinds == ["standfirst", "paragraph", "paragraph", "paragraph"]
    assert ex["blocks"][1]["text"].startswith("The ferry, moored at pier four")
    with UnitOfWork(sqlite_db) as uow:
        article = uow.session.get(Article, data["id"])
        assert article is not None
        segments = [s.text for s in article.latest.segments]
        assert not any(s in ("About Us", "World", "Business") or "©" in s for s in segments)
        assert rebuild_body(article.latest) == article.latest.body


@pytest.mark.parametrize("raw,fmt,kinds", [
    (MARKDOWN, "markdown", ["paragraph", "list_item"]),
    (HTML, "html", ["paragraph", "quote"]),
])
def test_markdown_and_html_keep_structure_and_rebuild_exactly(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]], raw: str, fmt: str,
        kinds: list[str]) -> None:
    response = client.post("/api/v1/articles", headers=token_for("editor@desk.test"), json={
        "body": raw, "format": "auto", "source_language": "en", "target_languages": ["fr"]})
    assert response.status_code == 201, response.get_json()
    ex = response.get_json()["extracted"]
    assert ex["format"] == fmt and [b["kind"] for b in ex["blocks"]] == kinds
    with UnitOfWork(sqlite_db) as uow:
        version = uow.session.get(Article, response.get_json()["id"]).latest  # type: ignore[union-attr]
        assert rebuild_body(version) == version.body


def test_the_extract_endpoint_shows_what_was_found_and_writes_nothing(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    headers = token_for("editor@desk.test")
    as_json = client.post("/api/v1/articles/extract", headers=headers,
                          json={"body": NEWS, "format": "auto"})
    as_text = client.post("/api/v1/articles/extract?format=news", headers=headers,
                          data=NEWS.encode(), content_type="text/plain; charset=utf-8")
    for response in (as_json, as_text):
        assert response.status_code == 200
        data = response.get_json()
        assert data["headline"] == "Harbour city opens its first floating school"
        assert data["standfirst"].startswith("Two hundred children")
        assert "About Us" in data["dropped"]
    assert count_articles(sqlite_db) == 0


BAD = [
    ({"body": ""}, 400, "body is empty"),
    ({"body": " \n\t "}, 400, "body is empty"),
    ({"body": "x" * 200_001}, 413, "the limit is 200,000"),
    ({"body": "Bell\x07 rang."}, 400, "control character (U+0007)"),
    ({"source_language": "xx"}, 400, "Supported: ar, ca, de, en"),
    ({"target_languages": ["tlh"]}, 400, "Supported: ar, ca, de, en"),
    ({"target_languages": ["en"]}, 422, "is the source language"),
    ({"format": "pdf"}, 400, "use one of auto, text, markdown"),
    ({"body": "<script>alert(1)</script>", "format": "html"}, 422, "No body text"),
    ({"title": ""}, 422, "No headline found in the text: give a title."),
    ({"title": "  ", "body": "作者：林晓明 · 2026-11-20 · 来源：东海周报\n渡轮如今设有六间教室。"},
     422, "No headline found in the text: give a title."),
]


@pytest.mark.parametrize("change,status,message", BAD)
def test_bad_input_to_the_api_is_a_4xx_saying_what_to_fix_and_writes_nothing(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        dispatched: Dispatched, token_for: Callable[[str], dict[str, str]],
        change: dict[str, object], status: int, message: str) -> None:
    payload = {"title": "T", "body": "Some text.", "source_language": "en",
               "target_languages": ["es"], **change}
    response = client.post("/api/v1/articles", headers=token_for("editor@desk.test"),
                           json=payload)
    assert response.status_code == status
    assert message in response.get_json()["message"]
    assert count_articles(sqlite_db) == 0 and dispatched == []


def test_invalid_utf8_is_refused_by_the_api_and_the_dashboard(
        app: object, client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    bad = (b'{"title": "T", "body": "caf\xe9 ok", "source_language": "en", '
           b'"target_languages": ["es"]}')
    response = client.post("/api/v1/articles", headers=token_for("editor@desk.test"),
                           data=bad, content_type="application/json")
    assert response.status_code == 400
    assert "not valid UTF-8 (byte 0xE9" in response.get_json()["message"]
    login(client, "editor@desk.test")
    token = csrf_from(client, "/")
    form = (f"csrf_token={token}&title=T&body=caf%E9&source_language=en&target_languages=es"
            "&format=text")
    page = client.post("/articles", data=form.encode(),
                       content_type="application/x-www-form-urlencoded")
    assert page.status_code == 400 and "not valid UTF-8" in page.text
    assert count_articles(sqlite_db) == 0


@pytest.mark.parametrize("change,status,message", BAD)
def test_bad_input_in_the_dashboard_keeps_the_form_and_writes_nothing(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        change: dict[str, object], status: int, message: str) -> None:
    login(client, "editor@desk.test")
    data = {"title": "T", "body": "Some text.", "source_language": "en",
            "target_languages": ["es"], "format": "auto", "csrf_token": csrf_from(client, "/"),
            **change}
    response = client.post("/articles", data=data)
    assert response.status_code == status
    assert message.replace("'", "&#39;") in response.text
    assert count_articles(sqlite_db) == 0


def test_the_editor_previews_corrects_and_submits(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    login(client, "editor@desk.test")
    form = {"title": "", "body": NEWS, "format": "auto", "source_language": "en",
            "target_languages": ["es"], "csrf_token": csrf_from(client, "/")}
    shown = client.post("/articles/preview", data=form)
    assert shown.status_code == 200
    assert 'id="detected-format">news<' in shown.text
    assert 'value="Harbour city opens its first floating school"' in shown.text
    assert 'value="Amina Okafor"' in shown.text and "Copyedited by Jonas Berg" in shown.text
    assert count_articles(sqlite_db) == 0
    corrected = {**form, "title": "Harbour city opens a floating school", "corrected": "1",
                 "standfirst": "Children study on a ferry.", "author": "Amina Okafor",
                 "date": "2026-03-15", "source": "The Coastal Weekly",
                 "credits": "Copyedited by Jonas Berg"}
    done = client.post("/articles", data=corrected)
    assert done.status_code == 302
    with UnitOfWork(sqlite_db) as uow:
        (article,) = uow.session.scalars(select(Article)).all()
        version = article.latest
        assert version.title == "Harbour city opens a floating school"
        assert version.meta is not None and version.meta["date"] == "2026-03-15"
        assert version.meta["credits"] == ["Copyedited by Jonas Berg"]
        assert [(s.kind, s.text) for s in version.segments[:2]] == [
            ("title", "Harbour city opens a floating school"),
            ("standfirst", "Children study on a ferry.")]


def test_hostile_markup_is_removed_on_the_way_in_and_the_editor_is_told(
        client: FlaskClient, people: dict[str, User],
        token_for: Callable[[str], dict[str, str]]) -> None:
    raw = ('<p>Hi <a href="javascript:alert(1)">there</a><img src=x onerror=alert(1)></p>'
           "<script>alert(1)</script><iframe src=x></iframe>")
    response = client.post("/api/v1/articles", headers=token_for("editor@desk.test"), json={
        "title": "T", "body": raw, "format": "auto", "source_language": "en",
        "target_languages": ["es"]})
    assert response.status_code == 201
    ex = response.get_json()["extracted"]
    assert set(ex["removed"]) == {"javascript: link", "onerror attribute", "script element",
                                  "iframe element"}
    assert ex["blocks"] == [{"kind": "paragraph", "text": "Hi <g1>there</g1>",
                             "markup": {"g1": {"tag": "a"}}}]


def page_copy(name: str) -> tuple[str, dict[str, Any]]:
    return ((FIXTURES / f"{name}.txt").read_text(encoding="utf-8"),
            json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", PAGES)
def test_a_page_copy_in_another_language_goes_in_extracted_and_rebuilds_exactly(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]], name: str) -> None:
    raw, want = page_copy(name)
    target = "en" if want["language"] != "en" else "es"
    response = client.post("/api/v1/articles", headers=token_for("editor@desk.test"), json={
        "body": raw, "format": "auto", "source_language": want["language"],
        "target_languages": [target]})
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["title"] == want["headline"]
    ex = data["extracted"]
    assert ex["format"] == "news"
    assert {k: ex[k] for k in ("standfirst", "author", "date", "source", "credits")} == {
        k: want[k] for k in ("standfirst", "author", "date", "source", "credits")}
    assert [(b["kind"], b["text"]) for b in ex["blocks"]] == [
        ("standfirst", want["standfirst"]), *(("paragraph", p) for p in want["paragraphs"])]
    with UnitOfWork(sqlite_db) as uow:
        article = uow.session.get(Article, data["id"])
        assert article is not None
        texts = [s.text for s in article.latest.segments]
        assert not any(d in t for d in want["dropped"] + want["credits"] for t in texts)
        assert rebuild_body(article.latest) == article.latest.body


def test_without_a_title_or_a_headline_the_api_answers_no_headline_and_writes_nothing(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        dispatched: Dispatched, token_for: Callable[[str], dict[str, str]]) -> None:
    headers = token_for("editor@desk.test")
    for body in ("Rain is expected tomorrow.", "第一段。\n第二段。",
                 "بقلم ليلى حداد · ٢٠ نوفمبر ٢٠٢٦\nترسو العبّارة عند الرصيف الرابع."):
        response = client.post("/api/v1/articles", headers=headers, json={
            "body": body, "format": "auto", "source_language": "en",
            "target_languages": ["es"]})
        assert response.status_code == 422
        assert response.get_json() == NO_HEADLINE
    assert count_articles(sqlite_db) == 0 and dispatched == []


def test_the_extract_endpoint_says_when_a_title_will_be_needed(
        client: FlaskClient, people: dict[str, User],
        token_for: Callable[[str], dict[str, str]]) -> None:
    headers = token_for("editor@desk.test")
    bare = client.post("/api/v1/articles/extract", headers=headers,
                       json={"body": "Rain is expected tomorrow."})
    assert bare.status_code == 200
    assert bare.get_json()["headline"] == "" and bare.get_json()["notices"] == [NO_HEADLINE]
    raw, want = page_copy("news_zh_ferry")
    found = client.post("/api/v1/articles/extract", headers=headers, json={"body": raw})
    assert found.get_json()["headline"] == want["headline"]
    assert found.get_json()["notices"] == []


def test_the_dashboard_says_no_headline_in_the_preview_and_refuses_the_form(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    login(client, "editor@desk.test")
    form = {"title": "", "body": "第一段讲的是渡轮。\n第二段讲的是学校。", "format": "auto",
            "source_language": "zh", "target_languages": ["en"],
            "csrf_token": csrf_from(client, "/")}
    shown = client.post("/articles/preview", data=form)
    assert shown.status_code == 200
    assert NO_HEADLINE["message"] in shown.text
    assert "第一段讲的是渡轮。</li>" in shown.text and "第二段讲的是学校。</li>" in shown.text
    refused = client.post("/articles", data=form)
    assert refused.status_code == 422
    assert NO_HEADLINE["message"] in refused.text
    assert "第一段讲的是渡轮。" in refused.text  # what was typed is kept
    assert count_articles(sqlite_db) == 0


@pytest.mark.parametrize("name", ["news_ar_ferry", "news_zh_market"])
def test_the_dashboard_preview_fills_the_form_from_a_page_copy_in_another_language(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database, name: str) -> None:
    raw, want = page_copy(name)
    login(client, "editor@desk.test")
    shown = client.post("/articles/preview", data={
        "title": "", "body": raw, "format": "auto", "source_language": want["language"],
        "target_languages": ["en"], "csrf_token": csrf_from(client, "/")})
    assert shown.status_code == 200
    assert 'id="detected-format">news<' in shown.text
    assert NO_HEADLINE["message"] not in shown.text
    for key in ("headline", "author", "date", "source"):
        assert f'value="{want[key]}"' in shown.text
    assert count_articles(sqlite_db) == 0
