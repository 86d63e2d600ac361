"""Each edition's own slug: native script where set, chosen before publishing, unique per
language."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from flask.testing import FlaskClient
from lxml import etree

from tests.use_cases import FakeEngine
from workflow.db import Database
from workflow.models import User
from workflow.services.jobs import translate
from workflow.services.review import approve
from workflow.uow import UnitOfWork

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _submit(client: FlaskClient, headers: dict[str, str], title: str, source: str,
            targets: list[str]) -> dict[str, object]:
    created = client.post("/api/v1/articles", headers=headers, json={
        "title": title, "body": "Prices rose sharply this year.", "source_language": source,
        "target_languages": targets})
    assert created.status_code == 201, created.get_json()
    body: dict[str, object] = created.get_json()
    return body


def test_a_chinese_title_gives_a_chinese_slug_never_article_n(
        client: FlaskClient, people: dict[str, User],
        token_for: Callable[[str], dict[str, str]]) -> None:
    editor, publisher = token_for("editor@desk.test"), token_for("pub@desk.test")
    first = _submit(client, editor, "北京市议会批准新预算", "zh", ["en"])
    second = _submit(client, editor, "北京市议会批准新预算", "zh", ["en"])
    assert (first["slug"], second["slug"]) == ("北京市议会批准新预算", "北京市议会批准新预算-2")
    arabic = _submit(client, editor, "مجلس المدينة يوافق على الميزانية", "ar", ["en"])
    assert arabic["slug"] == "مجلس-المدينة-يوافق-على-الميزانية"
    assert client.post(f"/api/v1/articles/{first['id']}/publish-source",
                       headers=publisher).status_code == 201
    page = client.get("/zh/北京市议会批准新预算")
    assert page.status_code == 200
    canonical = f"http://localhost/zh/{quote('北京市议会批准新预算')}"
    assert f'<link rel="canonical" href="{canonical}">' in page.text
    sitemap = etree.fromstring(client.get("/sitemap.xml").data)
    assert [u.findtext(f"{SM}loc") for u in sitemap.iter(f"{SM}url")] == [canonical]


def test_the_publisher_sets_the_slug_before_publishing_and_it_is_unique_per_language(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    editor, publisher = token_for("editor@desk.test"), token_for("pub@desk.test")
    ids = []
    for title in ("Prices rise", "Prices rise"):
        article = _submit(client, editor, title, "en", ["es"])
        tid = article["translations"][0]["id"]  # type: ignore[index]
        translate(lambda: UnitOfWork(sqlite_db), tid, lambda s, t: FakeEngine(), "w")
        with UnitOfWork(sqlite_db) as uow:
            approve(uow, tid, people["admin"])
        ids.append((article["id"], tid))
    (first, first_t), (second, second_t) = ids
    chosen = client.put(f"/api/v1/articles/{first}/editions/es/slug",
                        json={"slug": "Suben los precios"}, headers=publisher)
    assert chosen.get_json()["slug"] == "suben-los-precios"
    taken = client.put(f"/api/v1/articles/{second}/editions/es/slug",
                       json={"slug": "suben-los-precios"}, headers=publisher)
    assert taken.status_code == 409 and "another article" in taken.get_json()["message"]
    for tid in (first_t, second_t):
        assert client.post(f"/api/v1/translations/{tid}/publish",
                           headers=publisher).status_code == 201
    assert "[es] Prices rise" in client.get("/es/suben-los-precios").text
    # The second edition gets the slug of its own title, "[es] Prices rise".
    assert client.get("/es/es-prices-rise").status_code == 200
