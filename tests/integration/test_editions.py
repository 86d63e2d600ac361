"""Published editions: pages with alternates, 410 after unpublishing, feeds, sitemap, JSON."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from lxml import etree, html
from sqlalchemy import select

from tests.conftest import make_user
from tests.editions import publish_es_and_ar
from web.public import edition_url
from workflow.db import Database
from workflow.editions import edition_path
from workflow.engine import MTEngine
from workflow.models import Article, Translation, User
from workflow.services.publishing import history, publish, publish_source, unpublish
from workflow.uow import UnitOfWork

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
BASE = "http://localhost"


@pytest.fixture
def published(sqlite_db: Database, people: dict[str, User],
              real_engine_for: Callable[[str, str], MTEngine]) -> dict[str, str]:
    """Each edition's slug of an article live in en, es and ar (drafted by the demo models,
    reviewed)."""
    ar = make_user(sqlite_db, "rev-ar@desk.test", ["reviewer"], ["ar"])
    return publish_es_and_ar(sqlite_db, people, real_engine_for, ar)


def page(client: FlaskClient, path: str) -> html.HtmlElement:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return html.fromstring(response.data)


def test_each_edition_has_lang_dir_canonical_and_the_full_reciprocal_hreflang_set(
        client: FlaskClient, published: dict[str, str]) -> None:
    expected = {lang: f"{BASE}/{lang}/{quote(published[lang])}" for lang in ("en", "es", "ar")}
    for lang, direction in (("en", "ltr"), ("es", "ltr"), ("ar", "rtl")):
        doc = page(client, f"/{lang}/{published[lang]}")
        assert doc.get("lang") == lang and doc.get("dir") == direction
        assert doc.xpath("//link[@rel='canonical']/@href") == [expected[lang]]
        alternates = {link.get("hreflang"): link.get("href")
                      for link in doc.xpath("//link[@rel='alternate'][@hreflang]")}
        assert alternates == {**expected, "x-default": expected["en"]}
        switcher = {a.get("hreflang"): (a.text, a.get("href"))
                    for a in doc.xpath("//nav[@class='languages']/a")}
        assert switcher == {"en": ("English", expected["en"]), "es": ("Español", expected["es"]),
                            "ar": ("العربية", expected["ar"])}
        assert doc.xpath("//link[@type='application/atom+xml']/@href") == [
            f"{BASE}/{lang}/feed.atom"]


def test_inline_markup_comes_back_in_place_and_hostile_markup_never_reaches_a_page(
        client: FlaskClient, published: dict[str, str]) -> None:
    es = client.get(f"/es/{published['es']}").text
    assert "<h1>El ayuntamiento aprueba un nuevo presupuesto</h1>" in es
    assert "<p>El ministro anunció un nuevo presupuesto.</p>" in es
    assert '<p>Lea <a rel="noopener noreferrer">el <strong>plan</strong></a> aquí.</p>' in es
    ar = client.get(f"/ar/{published['ar']}").text
    assert '<a rel="noopener noreferrer"><strong>الخطة</strong></a>' in ar
    assert "&lt;img src=x onerror=" in ar  # the reviewer's markup is shown as text
    for lang in ("en", "es", "ar"):
        body = client.get(f"/{lang}/{published[lang]}").text
        assert "<script" not in body
        assert not re.search(r"<[^>]+\son\w+=", body) and "javascript:" not in body
        assert "<iframe" not in body


def test_unpublishing_answers_410_keeps_history_and_republishing_adds_an_edition(
        client: FlaskClient, published: dict[str, str], sqlite_db: Database,
        people: dict[str, User]) -> None:
    with UnitOfWork(sqlite_db) as uow:
        article_id = uow.session.scalars(select(Article.id)
                                         .where(Article.slug == published["en"])).one()
        assert unpublish(uow, article_id, "es", people["publisher"]) == 1
    with UnitOfWork(sqlite_db) as uow:
        states = dict(uow.session.execute(select(Translation.language, Translation.state)
                                          .where(Translation.article_id == article_id)).all())
    assert states == {"es": "approved", "ar": "published"}  # withdrawn is no longer live
    gone = client.get(f"/es/{published['es']}")
    assert gone.status_code == 410 and "withdrawn" in gone.text
    en = page(client, f"/en/{published['en']}")
    assert "es" not in en.xpath("//link[@rel='alternate']/@hreflang")
    with UnitOfWork(sqlite_db) as uow:

        # The live source edition already shows this text: no second copy of it.
        assert publish_source(uow, article_id, people["publisher"]).number == 1
        es_id = uow.session.scalars(select(Translation.id).where(
            Translation.article_id == article_id, Translation.language == "es")).one()
        assert publish(uow, es_id, people["publisher"]).number == 2
        rows = [(p.language, p.number, p.withdrawn_at is not None)
                for p in history(uow, article_id)]
    assert rows == [("ar", 1, False), ("en", 1, False), ("es", 1, True), ("es", 2, False)]
    assert client.get(f"/es/{published['es']}").status_code == 200


def test_front_page_lists_each_language_newest_first(
        client: FlaskClient, published: dict[str, str], sqlite_db: Database,
        people: dict[str, User]) -> None:
    from workflow.services.articles import submit_article

    with UnitOfWork(sqlite_db) as uow:
        newer = submit_article(uow, people["editor"], title="Rain is expected tomorrow.",
                               body="The bridge will close for repairs.", source_language="en",
                               target_languages_=["es"])
        publish_source(uow, newer.id, people["publisher"])
    doc = page(client, "/en/")
    assert doc.xpath("//ol[@class='editions']/li/a/text()") == [
        "Rain is expected tomorrow.", "City council approves new budget"]
    assert page(client, "/ar/").xpath("//ol[@class='editions']/li/a/text()") == [
        "المجلس البلدي يوافق على ميزانية جديدة"]


def test_feeds_and_sitemap_are_xml_listing_exactly_the_live_editions(
        client: FlaskClient, published: dict[str, str], sqlite_db: Database,
        people: dict[str, User]) -> None:
    urls = {lang: f"{BASE}/{lang}/{quote(published[lang])}" for lang in ("en", "es", "ar")}
    for lang in urls:
        response = client.get(f"/{lang}/feed.atom")
        assert response.mimetype == "application/atom+xml"
        feed = etree.fromstring(response.data)
        assert feed.tag == f"{ATOM}feed"
        assert [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")] == [urls[lang]]
    sitemap = etree.fromstring(client.get("/sitemap.xml").data)
    locs = sorted(u.findtext(f"{SM}loc") for u in sitemap.iter(f"{SM}url"))
    assert locs == sorted(urls.values())
    for url in sitemap.iter(f"{SM}url"):
        alternates = {link.get("hreflang"): link.get("href")
                      for link in url.iter(f"{XHTML}link")}
        assert alternates == {**urls, "x-default": urls["en"]}
    with UnitOfWork(sqlite_db) as uow:
        article_id = uow.session.scalars(select(Article.id)
                                         .where(Article.slug == published["en"])).one()
        unpublish(uow, article_id, "ar", people["publisher"])
    assert etree.fromstring(client.get("/ar/feed.atom").data).find(f"{ATOM}entry") is None
    sitemap = etree.fromstring(client.get("/sitemap.xml").data)
    assert sorted(u.findtext(f"{SM}loc") for u in sitemap.iter(f"{SM}url")) == sorted(
        [urls["en"], urls["es"]])


def test_each_edition_is_available_as_json_knowing_the_others(
        client: FlaskClient, published: dict[str, str]) -> None:
    data = client.get(f"/ar/{published['ar']}.json").get_json()
    assert data["language"] == "ar" and data["dir"] == "rtl" and data["edition"] == 1
    assert data["title"] == "المجلس البلدي يوافق على ميزانية جديدة"
    assert set(data["editions"]) == {"en", "es", "ar"}
    assert client.get(f"/fr/{published['ar']}.json").status_code == 404


def test_the_publisher_unpublishes_from_the_dashboard(
        app: Flask, published: dict[str, str]) -> None:
    from tests.helpers import csrf_from, login

    publisher = app.test_client()
    login(publisher, "pub@desk.test")
    article_page = publisher.get("/articles/1")
    assert "Unpublish" in article_page.text
    token = csrf_from(publisher, "/articles/1")
    done = publisher.post("/articles/1/editions/es/unpublish", data={"csrf_token": token})
    assert done.status_code == 302
    assert app.test_client().get(f"/es/{published['es']}").status_code == 410


def test_each_edition_lives_at_its_own_slug_and_a_changed_slug_redirects_with_301(
        client: FlaskClient, published: dict[str, str], sqlite_db: Database,
        people: dict[str, User], token_for: Callable[[str], dict[str, str]]) -> None:
    assert published == {
        "en": "city-council-approves-new-budget",
        "es": "el-ayuntamiento-aprueba-un-nuevo-presupuesto",
        "ar": "المجلس-البلدي-يوافق-على-ميزانية-جديدة",  # native script, set for Arabic
    }
    publisher = token_for("pub@desk.test")
    changed = client.put("/api/v1/articles/1/editions/es/slug",
                         json={"slug": "Presupuesto aprobado"}, headers=publisher)
    assert changed.status_code == 200
    assert changed.get_json()["path"] == "/es/presupuesto-aprobado"
    moved = client.get(f"/es/{published['es']}")
    assert moved.status_code == 301
    assert moved.headers["Location"].endswith("/es/presupuesto-aprobado")
    assert client.get(f"/es/{published['es']}.json").status_code == 301
    doc = page(client, f"/ar/{published['ar']}")
    alternates = {link.get("hreflang"): link.get("href")
                  for link in doc.xpath("//link[@rel='alternate'][@hreflang]")}
    assert alternates["es"] == f"{BASE}/es/presupuesto-aprobado"
    sitemap = etree.fromstring(client.get("/sitemap.xml").data)
    assert f"{BASE}/es/presupuesto-aprobado" in [u.findtext(f"{SM}loc")
                                                 for u in sitemap.iter(f"{SM}url")]
    feed = etree.fromstring(client.get("/es/feed.atom").data)
    assert [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")] == [
        f"{BASE}/es/presupuesto-aprobado"]

    # Stable after publishing: republishing with another title keeps the address.
    with UnitOfWork(sqlite_db) as uow:
        es_id = uow.session.scalars(select(Translation.id).where(
            Translation.language == "es")).one()
    reviewer = token_for("rev-es@desk.test")
    assert client.post(f"/api/v1/translations/{es_id}/send-back", json={"note": "Title"},
                       headers=publisher).status_code == 200
    segs = client.get(f"/api/v1/translations/{es_id}", headers=reviewer).get_json()["segments"]
    assert client.put(f"/api/v1/translations/{es_id}/segments/{segs[0]['id']}",
                      json={"text": "Otro título", "revision": segs[0]["revision"],
                            "confirm": True}, headers=reviewer).status_code == 200
    client.post(f"/api/v1/translations/{es_id}/approve", json={"reason": "ok"},
                headers=reviewer)
    assert client.post(f"/api/v1/translations/{es_id}/publish",
                       headers=publisher).status_code == 201
    assert "Otro título" in client.get("/es/presupuesto-aprobado").text
    taken = client.put("/api/v1/articles/1/editions/es/slug",
                       json={"slug": "!!!"}, headers=publisher)
    assert taken.status_code == 422
    assert client.put("/api/v1/articles/1/editions/es/slug", json={"slug": "x"},
                      headers=reviewer).status_code == 403


def test_the_edition_address_the_desk_writes_is_the_route_the_public_site_answers(
        app: Flask) -> None:
    with app.test_request_context("/"):
        assert url_for("public.edition", lang="es", slug="budget-day") == \
            edition_path("es", "budget-day") == "/es/budget-day"
        assert edition_url("es", "budget-day", absolute=False) == "/es/budget-day"
        assert url_for("public.edition", lang="ar", slug="ميزانية-جديدة") == \
            edition_path("ar", "ميزانية-جديدة")


def test_public_pages_answer_304_until_an_edition_changes_then_200_with_a_new_etag(
        client: FlaskClient, published: dict[str, str], sqlite_db: Database,
        people: dict[str, User]) -> None:
    en = published["en"]
    paths = [f"/en/{en}", f"/en/{en}.json", "/es/", "/es/feed.atom",
             "/en/feed.atom", "/sitemap.xml"]

    def tags() -> dict[str, str]:
        seen = {}
        for path in paths:
            first = client.get(path)
            assert first.status_code == 200, path
            assert "max-age" in first.headers["Cache-Control"], path
            seen[path] = first.headers["ETag"]
            again = client.get(path, headers={"If-None-Match": seen[path]})
            assert again.status_code == 304 and again.data == b"", path
            assert again.headers["ETag"] == seen[path]
        return seen

    before = tags()
    assert len(set(before.values())) == len(paths)  # each page validates on its own
    with UnitOfWork(sqlite_db) as uow:
        article_id = uow.session.scalars(select(Article.id)
                                         .where(Article.slug == en)).one()
        es_id = uow.session.scalars(select(Translation.id).where(
            Translation.article_id == article_id, Translation.language == "es")).one()
        unpublish(uow, article_id, "es", people["publisher"])
    withdrawn = tags()  # the English page lost its Spanish alternate; listings lost an entry
    for path in paths:
        stale = client.get(path, headers={"If-None-Match": before[path]})
        assert stale.status_code == 200 and stale.headers["ETag"] == withdrawn[path], path
    with UnitOfWork(sqlite_db) as uow:
        publish(uow, es_id, people["publisher"])
    republished = tags()
    assert all(republished[p] != withdrawn[p] for p in paths)
    # The listings hold a new edition now; the English page is again what it was.
    assert all(republished[p] != before[p] for p in paths[2:])


def test_a_changed_slug_never_keeps_a_304_at_the_old_address_and_renews_every_etag(
        client: FlaskClient, published: dict[str, str],
        token_for: Callable[[str], dict[str, str]]) -> None:
    old_es, ar = f"/es/{published['es']}", f"/ar/{published['ar']}"
    paths = [old_es, f"{old_es}.json", ar, f"{ar}.json", "/es/", "/es/feed.atom",
             "/sitemap.xml"]
    before = {p: client.get(p).headers["ETag"] for p in paths}
    assert all(client.get(p, headers={"If-None-Match": before[p]}).status_code == 304
               for p in paths)
    publisher = token_for("pub@desk.test")

    def move_to(slug: str) -> None:
        assert client.put("/api/v1/articles/1/editions/es/slug", json={"slug": slug},
                          headers=publisher).status_code == 200

    move_to("presupuesto-aprobado")
    # The former address answers its 301 even to a client holding its old ETag.
    for path, new in ((old_es, "/es/presupuesto-aprobado"),
                      (f"{old_es}.json", "/es/presupuesto-aprobado.json")):
        moved = client.get(path, headers={"If-None-Match": before[path]})
        assert moved.status_code == 301 and moved.headers["Location"].endswith(new), path
    # Pages that link to the Spanish edition are new pages: their old ETags get a 200.
    moved_tags = {}
    for path in paths[2:]:
        stale = client.get(path, headers={"If-None-Match": before[path]})
        assert stale.status_code == 200 and stale.headers["ETag"] != before[path], path
        assert "presupuesto-aprobado" in stale.text, path
        moved_tags[path] = stale.headers["ETag"]
    # Back to the former address: it serves again, and the pages change once more.
    move_to(published["es"])
    assert client.get("/es/presupuesto-aprobado").status_code == 301
    assert client.get(old_es).status_code == 200
    for path in paths[2:]:
        stale = client.get(path, headers={"If-None-Match": moved_tags[path]})
        assert stale.status_code == 200 and "presupuesto-aprobado" not in stale.text, path
