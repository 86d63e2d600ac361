"""What the domain refuses is said in the reader's language: a page's form error, an error
page, and the JSON API's ``message`` (its ``error`` code stays the same in every language);
with no preference it is the English the desk always wrote."""

from __future__ import annotations

from collections.abc import Callable
from html import unescape

from flask.testing import FlaskClient

from tests.conftest import make_user
from tests.helpers import csrf_from, login
from workflow.db import Database
from workflow.models import User
from workflow.services.articles import submit_article
from workflow.uow import UnitOfWork

SAME_LANGUAGE = {"title": "Ferry schools", "body": "Six classrooms reopen.",
                 "source_language": "es", "target_languages": ["es"], "format": "text"}


def _queued_spanish_translation(database: Database, editor: User) -> int:
    with UnitOfWork(database) as uow:
        article = submit_article(uow, editor, title="Ferry schools", body="Six classrooms.",
                                 source_language="en", target_languages_=["es"])
        return article.translations[0].id


def test_an_article_translated_into_its_own_language_is_refused_in_spanish_on_the_form(
        client: FlaskClient, people: dict[str, User]) -> None:
    login(client, "editor@desk.test")
    spanish = {"Accept-Language": "es-ES,es;q=0.9"}
    data = dict(SAME_LANGUAGE, csrf_token=csrf_from(client, "/"))
    page = client.post("/articles", data=data, headers=spanish)
    assert page.status_code == 422
    assert "El idioma de destino (es) es el idioma de origen; elija otro." in unescape(page.text)
    english = client.post("/articles", data=data)
    assert english.status_code == 422
    assert "The target language es is the source language; pick another." in unescape(
        english.text)


def test_an_invalid_transition_is_refused_in_the_language_the_publisher_chose(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    translation_id = _queued_spanish_translation(sqlite_db, people["editor"])
    login(client, "pub@desk.test")
    client.post("/account/profile", data={"name": "", "interface_language": "fr",
                                          "csrf_token": csrf_from(client, "/account")})
    page = client.post(f"/translations/{translation_id}/publish",
                       data={"csrf_token": csrf_from(client, "/")})
    assert page.status_code == 409
    # The state words are French too; French puts a no-break space before ; and :.
    assert ("Impossible de publier une traduction à l'état « en file d'attente »\u00a0; elle "
            "doit être à l'un de ces états\u00a0: approuvée, publiée.") in unescape(page.text)


def test_a_conflict_on_claiming_is_said_in_arabic_with_the_state_in_arabic(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    translation_id = _queued_spanish_translation(sqlite_db, people["editor"])
    login(client, "rev-es@desk.test")
    token = csrf_from(client, "/inbox")
    page = client.post(f"/translations/{translation_id}/claim", data={"csrf_token": token},
                       headers={"Accept-Language": "ar"})
    assert page.status_code == 409
    assert "حالة هذه الترجمة «في قائمة الانتظار»؛ لا يمكن استلام إلا المسودات." in unescape(
        page.text)
    english = client.post(f"/translations/{translation_id}/claim", data={"csrf_token": token})
    assert "This translation is queued; only drafts can be claimed." in unescape(english.text)


def test_the_api_says_what_it_refuses_in_french_when_asked_and_in_english_by_default(
        client: FlaskClient, people: dict[str, User],
        token_for: Callable[[str], dict[str, str]]) -> None:
    editor = token_for("editor@desk.test")
    body = {k: v for k, v in SAME_LANGUAGE.items() if k != "format"}
    french = client.post("/api/v1/articles", json=body,
                         headers={**editor, "Accept-Language": "fr-FR,fr;q=0.9"})
    english = client.post("/api/v1/articles", json=body, headers=editor)
    assert french.status_code == english.status_code == 422
    assert french.get_json()["error"] == english.get_json()["error"]
    assert french.get_json()["message"] == (
        "La langue cible es est la langue source\u00a0; choisissez-en une autre.")
    assert english.get_json()["message"] == (
        "The target language es is the source language; pick another.")


def test_a_reviewer_missing_from_the_desk_is_named_in_chinese_by_the_api(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    make_user(sqlite_db, "rev-zh@desk.test", ["reviewer"], ["zh"])
    missing = client.get("/api/v1/translations/99999",
                         headers={**token_for("rev-zh@desk.test"), "Accept-Language": "zh-CN"})
    assert missing.status_code == 404
    assert missing.get_json() == {"error": "not_found",
                                  "message": "没有你可查看的译文 99999。"}
