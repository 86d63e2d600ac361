"""Every endpoint × every role: allowed or denied, pages and API alike.

A new endpoint without a row here fails ``test_every_endpoint_is_in_the_table``, so the
table cannot silently fall behind the app.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from tests.conftest import PASSWORD, Dispatched
from tests.helpers import csrf_from, login
from workflow.db import Database
from workflow.models import GlossaryTerm, TranslatedSegment, Translation, User
from workflow.services.articles import submit_article
from workflow.services.publishing import publish_source
from workflow.services.sources import add_source
from workflow.services.tokens import issue_token
from workflow.services.users import create_user
from workflow.uow import UnitOfWork


def _user(uow: UnitOfWork, email: str) -> User:
    user = uow.session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user

ROLES = ("anonymous", "reviewer_fr", "publisher", "editor", "reviewer", "admin")
EMAILS = {"editor": "editor@desk.test", "reviewer": "rev-es@desk.test",
          "reviewer_fr": "rev-fr@desk.test", "publisher": "pub@desk.test",
          "admin": "admin@desk.test"}
STAFF = frozenset(ROLES) - {"anonymous"}
# "lang" stands for the reviewer who holds the translation's language.
SEES = frozenset({"editor", "publisher", "admin", "lang"})


@dataclass(frozen=True)
class Call:
    endpoint: str
    method: str
    path: str
    allowed: frozenset[str]
    kind: str = "page"  # page (session + CSRF form), json (session + CSRF header), api (token)
    body: dict[str, Any] | None = None
    per_translation: bool = False
    upload: bool = False  # sends back what a GET of the same path gives, as a file


def calls(ids: dict[str, Any]) -> list[Call]:
    a, term, slug = ids["article"], ids["term"], ids["slug"]
    person = ids.get("person", 1)
    source = ids.get("source", 1)
    feed = {"kind": "feed", "url": "https://news.example/rss.xml", "source_language": "en",
            "targets": "es"}
    t = "/translations/{t}"
    s = t + "/segments/{s}"
    return [
        Call("auth.login", "GET", "/login", frozenset(ROLES)),
        Call("public.edition", "GET", f"/en/{slug}", frozenset(ROLES)),
        Call("dashboard.index", "GET", "/", STAFF),
        Call("dashboard.submit", "POST", "/articles", frozenset({"editor", "admin"}),
             body={"title": "Rain is expected tomorrow", "body": "Rain is expected tomorrow.",
                   "source_language": "en", "target_languages": ["es"]}),
        Call("dashboard.article", "GET", f"/articles/{a}", STAFF),
        Call("dashboard.progress", "GET", "/progress.json?ids=1,2", STAFF),
        Call("dashboard.preview_submission", "POST", "/articles/preview",
             frozenset({"editor", "admin"}),
             body={"title": "", "body": "Rain is expected tomorrow.", "format": "auto"}),
        # Unpublish runs before each publish-source row, so the edition is live every time.
        Call("dashboard.unpublish_edition", "POST", f"/articles/{a}/editions/en/unpublish",
             frozenset({"publisher", "admin"})),
        Call("dashboard.publish_source_edition", "POST", f"/articles/{a}/publish-source",
             frozenset({"publisher", "admin"})),
        Call("public.edition_as_json", "GET", f"/en/{slug}.json", frozenset(ROLES)),
        Call("public.front", "GET", "/en/", frozenset(ROLES)),
        Call("public.feed", "GET", "/en/feed.atom", frozenset(ROLES)),
        Call("public.sitemap_xml", "GET", "/sitemap.xml", frozenset(ROLES)),
        Call("health.healthz", "GET", "/healthz", frozenset(ROLES)),
        Call("api-docs.openapi_json", "GET", "/api/v1/openapi.json", frozenset(ROLES), kind="api"),
        Call("updates.edit", "GET", f"/articles/{a}/edit", frozenset({"editor", "admin"})),
        Call("updates.changes", "GET", t + "/changes", SEES, per_translation=True),
        Call("webhooks.index", "GET", "/admin/webhooks", frozenset({"admin"})),
        Call("webhooks.add", "POST", "/admin/webhooks", frozenset({"admin"}),
             body={"url": "https://hooks.example/hook"}),
        Call("account.index", "GET", "/account", STAFF),
        Call("account.create_token", "POST", "/account/tokens", STAFF,
             body={"name": "table", "expires_in": "1d"}),
        Call("account.revoke", "POST", "/account/tokens/{own_token}/revoke", STAFF),
        Call("account.profile", "POST", "/account/profile", STAFF,
             body={"name": "Table", "interface_language": "fr", "email_kinds": ["assigned"]}),
        Call("people.index", "GET", "/people", frozenset({"admin"})),
        Call("sources.index", "GET", "/sources", frozenset({"admin"})),
        Call("sources.add", "POST", "/sources", frozenset({"admin"}), body=feed),
        Call("sources.edit", "POST", f"/sources/{source}", frozenset({"admin"}), body=feed),
        Call("sources.pause", "POST", f"/sources/{source}/pause", frozenset({"admin"})),
        Call("sources.poll_now", "POST", f"/sources/{source}/poll", frozenset({"admin"})),
        # Last of the sources rows: the admin's turn deletes the source the others use.
        Call("sources.delete", "POST", f"/sources/{source}/delete", frozenset({"admin"})),
        Call("people.invite", "POST", "/people", frozenset({"admin"}),
             body={"email": "invited@desk.test", "roles": ["reviewer"], "languages": ["es"]}),
        Call("people.update", "POST", f"/people/{person}", frozenset({"admin"}),
             body={"roles": ["reviewer"], "languages": ["es", "fr"]}),
        Call("people.deactivate", "POST", f"/people/{person}/deactivate", frozenset({"admin"})),
        Call("people.activate", "POST", f"/people/{person}/activate", frozenset({"admin"})),
        Call("people.reset", "POST", f"/people/{person}/reset", frozenset({"admin"})),
        # A made-up secret opens nothing for anyone; real links are in test_people.py.
        Call("people.join", "GET", "/join/made-up", frozenset()),
        Call("people.join", "POST", "/join/made-up", frozenset(),
             body={"password": PASSWORD, "confirm": PASSWORD}),
        Call("people.reset_password", "GET", "/reset/made-up", frozenset()),
        Call("people.reset_password", "POST", "/reset/made-up", frozenset(),
             body={"password": PASSWORD, "confirm": PASSWORD}),
        Call("people.inbox", "GET", "/notifications", STAFF),
        Call("people.mark_read", "POST", "/notifications/read", STAFF),
        Call("people.unread", "GET", "/notifications/unread.json", STAFF),
        Call("account.password", "POST", "/account/password", STAFF,
             body={"current_password": PASSWORD, "new_password": PASSWORD,
                   "confirm": PASSWORD}),
        Call("dashboard.retry_translation", "POST", t + "/retry",
             frozenset({"editor", "publisher", "admin"}), per_translation=True),
        Call("review.workspace", "GET", t, SEES, per_translation=True),
        Call("review.preview", "GET", t + "/preview", SEES, per_translation=True),
        Call("review.save", "POST", s, frozenset({"lang", "admin"}),
             body={"text": "Texto revisado.", "revision": "1"}, per_translation=True),
        Call("review.save_json", "POST", s + ".json", frozenset({"lang", "admin"}), kind="json",
             body={"text": "Texto revisado.", "revision": 1}, per_translation=True),
        Call("review.comment", "POST", t + "/comments", SEES, body={"body": "Check the name."},
             per_translation=True),
        Call("review.claim_translation", "POST", t + "/claim", frozenset({"lang", "admin"}),
             per_translation=True),
        Call("review.assign_translation", "POST", t + "/assign", frozenset({"editor", "admin"}),
             body={"reviewer_id": "", "due": "2026-12-31"}, per_translation=True),
        Call("review.approve_translation", "POST", t + "/approve", frozenset({"lang", "admin"}),
             per_translation=True),
        Call("review.publish_translation", "POST", t + "/publish",
             frozenset({"publisher", "admin"}), per_translation=True),
        Call("review.send_back_translation", "POST", t + "/send-back",
             frozenset({"publisher", "admin"}), body={"note": "Wrong name."},
             per_translation=True),
        Call("review.download_xliff", "GET", t + "/xliff", frozenset({"lang", "admin"}),
             per_translation=True),
        Call("review.upload_xliff", "POST", t + "/xliff", frozenset({"lang", "admin"}),
             per_translation=True, upload=True),
        Call("api.export_translation_xliff", "GET", "/api/v1" + t + "/xliff",
             frozenset({"lang", "admin"}), kind="api", per_translation=True),
        Call("api.import_translation_xliff", "PUT", "/api/v1" + t + "/xliff",
             frozenset({"lang", "admin"}), kind="api", per_translation=True, upload=True),
        Call("api.export_memory", "GET", "/api/v1/memory.tmx", STAFF, kind="api"),
        Call("api.import_memory", "POST", "/api/v1/memory.tmx", frozenset({"admin"}),
             kind="api", upload=True),
        Call("review.change_slug", "POST", t + "/slug", frozenset({"publisher", "admin"}),
             body={"slug": "nueva-direccion"}, per_translation=True),
        Call("api.change_edition_slug", "PUT", f"/api/v1/articles/{a}/editions/es/slug",
             frozenset({"publisher", "admin"}), kind="api", body={"slug": "otra-direccion"}),
        Call("desk.inbox", "GET", "/inbox", frozenset({"reviewer", "reviewer_fr", "admin"})),
        Call("desk.glossary", "GET", "/glossary", STAFF),
        Call("desk.add_glossary_term", "POST", "/glossary", frozenset({"admin"}),
             body={"term": "council", "language": "es", "translation": "concejo"}),
        Call("desk.delete_glossary_term", "POST", f"/glossary/{term}/delete",
             frozenset({"admin"})),
        Call("desk.download_glossary", "GET", "/glossary.csv", STAFF),
        Call("desk.preview_glossary_import", "POST", "/glossary/import", frozenset({"admin"}),
             body={"content": "term,language,translation\nbudget,es,presupuesto\n",
                   "format": "csv"}),
        Call("desk.apply_glossary_import", "POST", "/glossary/import/apply",
             frozenset({"admin"}),
             body={"content": "term,language,translation\nbudget,es,presupuesto\n",
                   "format": "csv"}),
        Call("api.export_glossary_file", "GET", "/api/v1/glossary.tbx", STAFF, kind="api"),
        Call("api.import_glossary_file", "POST", "/api/v1/glossary.csv", frozenset({"admin"}),
             kind="api", upload=True),
        Call("desk.audit", "GET", "/audit", frozenset({"admin"})),
        Call("desk.quality", "GET", "/quality", STAFF),
        Call("desk.set_review_policy", "POST", "/quality/policies/es",
             frozenset({"publisher", "admin"}), body={"min_confidence": "0.9"}),
        Call("api.create_article", "POST", "/api/v1/articles", frozenset({"editor", "admin"}),
             kind="api", body={"title": "Rain is expected tomorrow", "body": "Rain.",
                               "source_language": "en", "target_languages": ["fr"]}),
        Call("api.read_article", "GET", f"/api/v1/articles/{a}", STAFF, kind="api"),
        Call("api.extract_article", "POST", "/api/v1/articles/extract",
             frozenset({"editor", "admin"}), kind="api",
             body={"body": "Rain is expected tomorrow.", "format": "text"}),
        Call("api.unpublish_edition", "POST", f"/api/v1/articles/{a}/editions/en/unpublish",
             frozenset({"publisher", "admin"}), kind="api"),
        Call("api.publish_source_edition", "POST", f"/api/v1/articles/{a}/publish-source",
             frozenset({"publisher", "admin"}), kind="api"),
        Call("api.publication_history", "GET", f"/api/v1/articles/{a}/publications", STAFF,
             kind="api"),
        Call("api.webhook_deliveries", "GET", "/api/v1/webhooks/deliveries", frozenset({"admin"}),
             kind="api"),
        Call("api.outdated_segments", "GET", "/api/v1" + t + "/outdated", SEES, kind="api",
             per_translation=True),
        Call("api.quality", "GET", "/api/v1/quality", STAFF, kind="api"),
        Call("api.read_review_policy", "GET", "/api/v1/policies/es", STAFF, kind="api"),
        Call("api.set_review_policy", "PUT", "/api/v1/policies/es",
             frozenset({"publisher", "admin"}), kind="api", body={"min_confidence": None}),
        Call("api.read_translation", "GET", "/api/v1" + t, SEES, kind="api",
             per_translation=True),
        Call("api.update_segment", "PUT", "/api/v1" + s, frozenset({"lang", "admin"}),
             kind="api", body={"text": "Texto de la API.", "revision": 1}, per_translation=True),
        Call("api.approve_translation", "POST", "/api/v1" + t + "/approve",
             frozenset({"lang", "admin"}), kind="api", per_translation=True),
        Call("api.publish_translation", "POST", "/api/v1" + t + "/publish",
             frozenset({"publisher", "admin"}), kind="api", per_translation=True),
        Call("api.send_back_translation", "POST", "/api/v1" + t + "/send-back",
             frozenset({"publisher", "admin"}), kind="api", body={"note": "Wrong name."},
             per_translation=True),
        Call("api.retry_translation", "POST", "/api/v1" + t + "/retry",
             frozenset({"editor", "publisher", "admin"}), kind="api", per_translation=True),
        # Source updates send every translation back to the queue: they come last, and each
        # role's update differs from the last one's (an unchanged text is refused).
        Call("updates.save", "POST", f"/articles/{a}/edit", frozenset({"editor", "admin"}),
             body={"title": "City council approves new budget",
                   "body": "The minister announced a new budget.\n\nRain is expected tomorrow."}),
        Call("api.update_article_source", "PUT", f"/api/v1/articles/{a}",
             frozenset({"editor", "admin"}), kind="api",
             body={"title": "City council approves new budget",
                   "body": "The minister announced a new budget."}),
        Call("auth.login", "POST", "/login", STAFF),  # with the role's own credentials
        Call("auth.logout", "POST", "/logout", STAFF),  # last: it ends the session
    ]


@pytest.fixture
def desk(app: Flask, people: dict[str, User], sqlite_db: Database, dispatched: Dispatched,
         translate_now: Callable[[int], str]) -> dict[str, Any]:
    """One article translated into Spanish and French, its source published, one term."""
    with UnitOfWork(sqlite_db) as uow:
        article = submit_article(uow, people["editor"], title="City council approves new budget",
                                 body="The minister announced a new budget.",
                                 source_language="en", target_languages_=["es", "fr"])
        ids: dict[str, Any] = {"article": article.id, "slug": article.slug}
        ids["person"] = create_user(uow, "someone@desk.test", PASSWORD, ["reviewer"], ["es"]).id
        publish_source(uow, article.id, people["publisher"])
        term = GlossaryTerm(term="budget", language="es", translation="presupuesto")
        uow.session.add(term)
        uow.commit()
        ids["term"] = term.id
        ids["source"] = add_source(uow, people["admin"], kind="feed", name="News",
                                   url="https://news.example/rss.xml", source_language="en",
                                   target_languages_=["es"], category=None, tag=None).id
    with sqlite_db.session() as s:
        for t in s.scalars(select(Translation)):
            assert translate_now(t.id) == "done"
            ids[t.language] = (t.id, s.scalar(select(TranslatedSegment.id).where(
                TranslatedSegment.translation_id == t.id).order_by(TranslatedSegment.position)))
    return ids


def expand(call: Call, ids: dict[str, Any]) -> list[tuple[str, str, frozenset[str]]]:
    """The call's concrete paths, with the roles allowed on each."""
    if not call.per_translation:
        return [(call.path, "", call.allowed)]
    out = []
    for lang, holder in (("es", "reviewer"), ("fr", "reviewer_fr")):
        tid, sid = ids[lang]
        allowed = {holder if r == "lang" else r for r in call.allowed}
        out.append((call.path.format(t=tid, s=sid), lang, frozenset(allowed)))
    return out


def send(client: FlaskClient, call: Call, path: str, token: str | None,
         csrf: str | None, role: str) -> TestResponse:
    headers: dict[str, str] = {}
    if call.endpoint == "auth.login" and call.method == "POST":
        creds = {"email": EMAILS[role], "password": PASSWORD} if role in EMAILS else {}
        return client.post(path, data={**creds, "csrf_token": csrf})
    if call.kind == "api":
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if call.upload:
            data = client.get(path, headers=headers).data
            return client.open(path, method=call.method, data=data, headers=headers)
        return client.open(path, method=call.method, json=call.body or {}, headers=headers)
    if call.method == "GET":
        return client.get(path)
    if call.kind == "json":
        headers["X-CSRFToken"] = csrf or ""
        return client.post(path, json=call.body, headers=headers)
    if call.upload:
        exported = io.BytesIO(client.get(path).data)
        return client.post(path, data={"csrf_token": csrf, "file": (exported, "t.xlf")})
    return client.open(path, method=call.method, data={**(call.body or {}), "csrf_token": csrf})


def verdict(response: TestResponse) -> str:
    if response.status_code in (401, 403, 404):
        return "denied"
    if response.status_code == 302 and "/login" in response.headers["Location"]:
        return "denied"
    if response.status_code in (200, 201, 302, 409):
        return "allowed"
    return f"unexpected {response.status_code}: {response.get_data(as_text=True)[:300]}"


def test_every_endpoint_is_in_the_table(app: Flask) -> None:
    endpoints = {(r.endpoint, m) for r in app.url_map.iter_rules() if r.endpoint != "static"
                 for m in r.methods or () if m not in ("HEAD", "OPTIONS")}
    tabled = {(c.endpoint, c.method) for c in calls({"article": 1, "term": 1, "slug": "x"})}
    assert endpoints == tabled


def test_every_endpoint_allows_exactly_the_roles_it_should(
        app: Flask, desk: dict[str, Any], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    wrong: list[str] = []
    for role in ROLES:
        client = app.test_client()
        token, own_token = None, 1  # anonymous: any token id is refused the same way
        if role != "anonymous":
            login(client, EMAILS[role])
            token = token_for(EMAILS[role])["Authorization"].split()[1]
            with UnitOfWork(sqlite_db) as uow:  # a second token, for the revoke row
                own_token = issue_token(uow, _user(uow, EMAILS[role]))[0].id
        csrf = csrf_from(client, "/login")
        for call in calls(desk):
            for path, lang, allowed in expand(call, desk):
                path = path.replace("{own_token}", str(own_token))
                got = verdict(send(client, call, path, token, csrf, role))
                if call.endpoint == "auth.login" and call.method == "POST":
                    csrf = csrf_from(client, "/login")  # a sign-in starts a fresh session
                if call.endpoint == "auth.logout":  # it always lands on the login page
                    ended = verdict(client.get("/")) == "denied"
                    got = "allowed" if role != "anonymous" and ended else "denied"
                want = "allowed" if role in allowed else "denied"
                if got != want:
                    wrong.append(f"{role} {call.method} {path} ({call.endpoint} {lang}): "
                                 f"{got}, want {want}")
    assert wrong == []


def test_a_reviewer_never_sees_another_languages_draft_on_any_page(
        app: Flask, desk: dict[str, Any]) -> None:
    client = app.test_client()
    login(client, EMAILS["reviewer"])
    french = "Le ministre a annoncé un nouveau budget."
    es_tid, _ = desk["es"]
    fr_tid, _ = desk["fr"]
    pages = ["/", f"/articles/{desk['article']}", "/inbox", "/glossary", "/quality",
             f"/translations/{es_tid}", f"/translations/{es_tid}/preview"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert french not in response.text, page
    assert client.get(f"/translations/{fr_tid}").status_code == 404
    assert "El ministro anunció un nuevo presupuesto." in client.get(
        f"/translations/{es_tid}").text


def test_the_workspace_offers_claim_and_assign_exactly_to_the_roles_allowed_to_do_them(
        app: Flask, desk: dict[str, Any]) -> None:
    es_tid, _ = desk["es"]
    allowed = {c.endpoint: c.allowed for c in calls(desk)}
    claimers = {"reviewer" if r == "lang" else r for r in allowed["review.claim_translation"]}
    assigners = allowed["review.assign_translation"]
    for role in ("reviewer", "publisher", "editor", "admin"):
        client = app.test_client()
        login(client, EMAILS[role])
        page = client.get(f"/translations/{es_tid}").text
        assert ('id="claim"' in page) == (role in claimers), role
        assert ('/assign"' in page) == (role in assigners), role
