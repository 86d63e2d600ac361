"""The JSON API under /api/v1: the same use cases as the pages, with bearer tokens."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from web.context import uow
from web.errors import error_response
from workflow import capabilities
from workflow.errors import Forbidden, InvalidInput
from workflow.models import Article, Publication, TranslatedSegment, Translation, User
from workflow.permissions import Action, can
from workflow.queries import get_article, get_translation
from workflow.services.articles import preview, submit_article
from workflow.services.jobs import retry
from workflow.services.publishing import history, publish, publish_source, unpublish
from workflow.services.review import approve, save_segment, send_back
from workflow.services.tokens import token_in_use
from workflow.services.webhooks import delivery_log

bp = Blueprint("api", __name__, url_prefix="/api/v1")
F = TypeVar("F", bound=Callable[..., Any])


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def token_required(view: F) -> F:
    """Answer 401 unless the request carries a live personal token; 403 when a read-only
    token asks to change something."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        row = token_in_use(uow(), token.strip()) if scheme.lower() == "bearer" else None
        if row is None:
            return error_response(401, "unauthorized",
                                  "Send 'Authorization: Bearer <token>' with a valid token "
                                  "(it may have expired or been revoked; create one on your "
                                  "account page or with 'linguadesk tokens create').")
        if row.read_only and request.method not in READ_METHODS:
            return error_response(403, "read_only_token",
                                  f"Token #{row.id} is read-only: it cannot {request.method}. "
                                  "Use a token created without the read-only scope.")
        g.api_user = row.user
        return view(*args, **kwargs)

    return cast(F, wrapped)


def api_user() -> User:
    """The token's owner."""
    return cast(User, g.api_user)


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput("Send a JSON object with Content-Type: application/json.")
    return data


def translation_summary(t: Translation) -> dict[str, Any]:
    """A translation without its segments."""
    return {"id": t.id, "language": t.language, "state": t.state, "attempts": t.attempts,
            "error": t.error}


def article_json(a: Article) -> dict[str, Any]:
    """An article with each translation's state."""
    v = a.latest
    return {"id": a.id, "slug": a.slug, "source_language": a.source_language,
            "version": v.number, "title": v.title, "format": v.format,
            "created_at": a.created_at.isoformat(),
            "translations": [translation_summary(t) for t in a.translations]}


def extracted_json(a: Article) -> dict[str, Any]:
    """What ingestion extracted and stored for the latest version."""
    v = a.latest
    meta = v.meta or {}
    return {"format": v.format, "headline": v.title, **{k: meta.get(k) for k in (
        "standfirst", "author", "date", "source", "credits", "removed")},
        "blocks": [{"kind": s.kind, "text": s.text, "markup": s.markup or {}}
                   for s in v.segments if s.kind != "title"]}


def segment_json(s: TranslatedSegment) -> dict[str, Any]:
    """A translated segment with its provenance."""
    return {"id": s.id, "position": s.position, "kind": s.kind, "source": s.source_text,
            "mt": s.mt_text, "engine": s.engine, "model": s.model, "text": s.text,
            "revision": s.revision, "state": s.state, "mt_flags": s.flags}


def translation_json(t: Translation) -> dict[str, Any]:
    """A translation with every segment."""
    return {**translation_summary(t), "article_id": t.article_id,
            "segments": [segment_json(s) for s in t.segments]}


def publication_json(p: Publication) -> dict[str, Any]:
    """A published edition."""
    return {"id": p.id, "article_id": p.article_id, "language": p.language,
            "number": p.number, "title": p.title, "summary": p.summary, "html": p.html,
            "published_at": p.published_at.isoformat(),
            "withdrawn_at": p.withdrawn_at.isoformat() if p.withdrawn_at else None}


def _corrections(data: dict[str, Any]) -> dict[str, object]:
    fields = ("standfirst", "author", "date", "source", "credits")
    return {k: data[k] for k in fields if k in data}


@bp.post("/articles/extract")
@token_required
def extract_article() -> ResponseReturnValue:
    """What ingestion extracts from raw text (JSON ``body`` + ``format``, or a text body with
    ``?format=``); nothing is written."""
    if not can(api_user(), Action.SUBMIT):
        raise Forbidden("Only editors extract articles (the first step of submitting one).")
    if request.mimetype == "application/json":
        data = json_body()
        raw, fmt = data.get("body"), data.get("format") or "auto"
    else:
        raw, fmt = request.get_data(as_text=True), request.args.get("format", "auto")
    ex = preview(raw, fmt, max_chars=current_app.config["MAX_ARTICLE_CHARS"])
    return jsonify(ex.as_dict())


@bp.post("/articles")
@token_required
def create_article() -> ResponseReturnValue:
    """Submit an article for translation."""
    data = json_body()
    article = submit_article(
        uow(), api_user(), title=data.get("title"), body=data.get("body"),
        source_language=data.get("source_language"),
        target_languages_=data.get("target_languages"), format=data.get("format") or "text",
        max_chars=current_app.config["MAX_ARTICLE_CHARS"], corrections=_corrections(data),
    )
    return jsonify({**article_json(article), "extracted": extracted_json(article),
                    "translated_by": translated_by(article)}), 201


def translated_by(a: Article) -> dict[str, str]:
    """Per target language, what will translate it, as the workers recorded it."""
    languages = [t.language for t in a.translations]
    known = capabilities.offers(uow().session, a.source_language, languages)
    return {code: known[code].words if known else capabilities.UNKNOWN for code in languages}


@bp.get("/articles/<int:article_id>")
@token_required
def read_article(article_id: int) -> ResponseReturnValue:
    """An article with each translation's state."""
    return jsonify(article_json(get_article(uow().session, article_id, api_user())))


@bp.post("/articles/<int:article_id>/publish-source")
@token_required
def publish_source_edition(article_id: int) -> ResponseReturnValue:
    """Publish the article in its own language."""
    return jsonify(publication_json(publish_source(uow(), article_id, api_user()))), 201


@bp.post("/articles/<int:article_id>/editions/<lang>/unpublish")
@token_required
def unpublish_edition(article_id: int, lang: str) -> ResponseReturnValue:
    """Take an edition down; its page answers 410 and its history is kept."""
    number = unpublish(uow(), article_id, lang, api_user())
    return jsonify({"article_id": article_id, "language": lang, "withdrawn_edition": number})


@bp.get("/articles/<int:article_id>/publications")
@token_required
def publication_history(article_id: int) -> ResponseReturnValue:
    """Every snapshot ever published for the article, withdrawn ones included."""
    get_article(uow().session, article_id, api_user())
    return jsonify([publication_json(p) for p in history(uow(), article_id)])


@bp.get("/webhooks/deliveries")
@token_required
def webhook_deliveries() -> ResponseReturnValue:
    """The webhook delivery log (admins only)."""
    return jsonify([{"id": d.id, "event": d.event, "url": d.endpoint.url, "state": d.state,
                     "attempts": d.attempts, "response_status": d.response_status,
                     "error": d.error, "created_at": d.created_at.isoformat()}
                    for d in delivery_log(uow(), api_user())])


@bp.get("/translations/<int:translation_id>")
@token_required
def read_translation(translation_id: int) -> ResponseReturnValue:
    """A translation with its segments."""
    return jsonify(translation_json(get_translation(uow().session, translation_id, api_user())))


@bp.put("/translations/<int:translation_id>/segments/<int:segment_id>")
@token_required
def update_segment(translation_id: int, segment_id: int) -> ResponseReturnValue:
    """Save a reviewer's text; 409 with the current text when ``revision`` is stale."""
    data = json_body()
    seg = save_segment(uow(), translation_id, segment_id, data.get("text"),
                       data.get("revision"), api_user(), confirm=data.get("confirm") is True)
    return jsonify(segment_json(seg))


@bp.post("/translations/<int:translation_id>/approve")
@token_required
def approve_translation(translation_id: int) -> ResponseReturnValue:
    """Approve a translation; 409 lists the QA issues when they block it."""
    body = request.get_json(silent=True)
    reason = body.get("reason") if isinstance(body, dict) else None
    t = approve(uow(), translation_id, api_user(), reason if isinstance(reason, str) else None)
    return jsonify(translation_summary(t))


@bp.post("/translations/<int:translation_id>/publish")
@token_required
def publish_translation(translation_id: int) -> ResponseReturnValue:
    """Publish an approved translation."""
    return jsonify(publication_json(publish(uow(), translation_id, api_user()))), 201


@bp.post("/translations/<int:translation_id>/send-back")
@token_required
def send_back_translation(translation_id: int) -> ResponseReturnValue:
    """Return a translation to review with a note."""
    note = json_body().get("note")
    t = send_back(uow(), translation_id, api_user(), note if isinstance(note, str) else "")
    return jsonify(translation_summary(t))


@bp.post("/translations/<int:translation_id>/retry")
@token_required
def retry_translation(translation_id: int) -> ResponseReturnValue:
    """Queue a failed translation again."""
    return jsonify(translation_summary(retry(uow(), translation_id, api_user())))
