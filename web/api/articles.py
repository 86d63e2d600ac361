"""Articles through the API: extract, submit, read, update, publish the source, unpublish."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, request
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from web.api import schemas as s
from web.api.blueprint import READ_ERRORS, WRITE_ERRORS, api_user, bp, errors
from web.context import uow
from web.errors import describe
from workflow import capabilities
from workflow.errors import N_, Forbidden, InvalidInput
from workflow.ingest.extract import FORMATS, META_FIELDS
from workflow.models import Article
from workflow.permissions import Action, can
from workflow.queries import get_article
from workflow.services.articles import preview, submit_article
from workflow.services.publishing import history, publish_source, unpublish
from workflow.services.updates import update_article
from workflow.validation import TEXT_PATTERN

TEXT_TYPES = ("text/plain", "text/markdown", "text/html")


def _link(operation: str, **parameters: str) -> dict[str, Any]:
    return {"operationId": operation, "parameters": parameters}


ARTICLE_LINKS = {
    "ReadArticle": _link("read_article", article_id="$response.body#/id"),
    "UpdateArticle": _link("update_article", article_id="$response.body#/id"),
    "PublicationHistory": _link("publication_history", article_id="$response.body#/id"),
    "PublishSource": _link("publish_source_edition", article_id="$response.body#/id"),
    "ReadFirstTranslation": _link("read_translation",
                                  translation_id="$response.body#/translations/0/id"),
}
# A published edition can be taken down, and then its history shows it withdrawn.
EDITION_LINKS = {
    "Unpublish": _link("unpublish_edition", article_id="$response.body#/article_id",
                       lang="$response.body#/language"),
    "PublicationHistory": _link("publication_history",
                                article_id="$response.body#/article_id"),
}


@dataclass
class Created:
    """A new article with what ingestion extracted and what will translate it."""

    article: Article
    extracted: dict[str, Any]
    translated_by: dict[str, str]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.article, name)


def extracted(a: Article) -> dict[str, Any]:
    """What ingestion extracted and stored for the latest version."""
    v = a.latest
    meta = v.meta or {}
    return {"format": v.format, "headline": v.title,
            **{k: meta.get(k, [] if k == "credits" else "") for k in META_FIELDS},
            "removed": meta.get("removed", []),
            "blocks": [{"kind": seg.kind, "text": seg.text, "markup": seg.markup or {}}
                       for seg in v.segments if seg.kind != "title"]}


def translated_by(a: Article) -> dict[str, str]:
    """Per target language, what will translate it, as the workers recorded it."""
    languages = [t.language for t in a.translations]
    known = capabilities.offers(uow().session, a.source_language, languages)
    return {code: known[code].words if known else capabilities.UNKNOWN for code in languages}


def _extract_input() -> tuple[object, str]:
    """The raw text and format of an extract request: a JSON object or a text body."""
    try:  # ?format= is for a text body, but a bad one is reported with either
        query = s.ExtractQuery().load(request.args.to_dict())
    except ValidationError as exc:
        raise InvalidInput(describe(exc.normalized_messages())) from exc
    if request.mimetype == "application/json":
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise InvalidInput(N_("Send a JSON object with Content-Type: application/json."))
        try:
            loaded = s.ExtractRequest().load(data)
        except ValidationError as exc:
            raise InvalidInput(describe(exc.normalized_messages()),
                               fields=exc.normalized_messages()) from exc
        return loaded["body"], loaded["format"]
    if request.mimetype not in TEXT_TYPES:
        abort(415, description=f"Send application/json or one of {', '.join(TEXT_TYPES)}.")
    return request.get_data(as_text=True), query["format"]


@bp.route("/articles/extract", methods=["POST"])
@bp.doc(operationId="extract_article", parameters=[{
    "name": "format", "in": "query", "required": False, "description": "for a text body",
    "schema": {"type": "string", "enum": list(FORMATS), "default": "auto"}}],
        requestBody={"required": True, "content": {
            "application/json": {"schema": s.ExtractRequest},
            "text/plain": {"schema": {"type": "string", "pattern": TEXT_PATTERN}}}})
@bp.response(200, s.Extraction)
@errors(400, 401, 403, 413, 415, 422)
def extract_article() -> ResponseReturnValue:
    """What ingestion extracts from raw text; nothing is written."""
    if not can(api_user(), Action.SUBMIT):
        raise Forbidden(N_("Only editors extract articles (the first step of submitting one)."))
    raw, fmt = _extract_input()
    return preview(raw, fmt, max_chars=current_app.config["MAX_ARTICLE_CHARS"]).as_dict()


@bp.route("/articles", methods=["POST"])
@bp.doc(operationId="create_article", responses={201: {"links": ARTICLE_LINKS}})
@bp.arguments(s.NewArticle)
@bp.response(201, s.ArticleCreated)
@errors(*WRITE_ERRORS, 413, 415, 422)
def create_article(data: dict[str, Any]) -> Created:
    """Submit an article for translation: one queued translation per target language."""
    article = submit_article(
        uow(), api_user(), title=data.get("title"), body=data["body"],
        source_language=data["source_language"], target_languages_=data["target_languages"],
        format=data["format"], max_chars=current_app.config["MAX_ARTICLE_CHARS"],
        corrections={k: data[k] for k in META_FIELDS if k in data},
    )
    return Created(article, extracted(article), translated_by(article))


@bp.route("/articles/<id:article_id>", methods=["GET"])
@bp.doc(operationId="read_article")
@bp.response(200, s.Article)
@errors(*READ_ERRORS)
def read_article(article_id: int) -> Article:
    """An article with each translation's state."""
    return get_article(uow().session, article_id, api_user())


@bp.route("/articles/<id:article_id>", methods=["PUT"])
@bp.doc(operationId="update_article", responses={200: {"links": ARTICLE_LINKS}})
@bp.arguments(s.ArticleUpdate)
@bp.response(200, s.Article)
@errors(*WRITE_ERRORS, 413, 415, 422)
def update_article_source(data: dict[str, Any], article_id: int) -> Article:
    """Update the source: a new version; changed segments are translated again."""
    update_article(uow(), article_id, api_user(), title=data["title"], body=data["body"],
                   max_chars=current_app.config["MAX_ARTICLE_CHARS"])
    return get_article(uow().session, article_id, api_user())


@bp.route("/articles/<id:article_id>/publish-source", methods=["POST"])
@bp.doc(operationId="publish_source_edition", responses={201: {"links": EDITION_LINKS}})
@bp.response(201, s.Publication)
@errors(*WRITE_ERRORS)
def publish_source_edition(article_id: int) -> object:
    """Publish the article in its own language."""
    return publish_source(uow(), article_id, api_user())


@bp.route("/articles/<id:article_id>/editions/<lang:lang>/unpublish", methods=["POST"])
@bp.doc(operationId="unpublish_edition")
@bp.response(200, s.Withdrawal)
@errors(*WRITE_ERRORS)
def unpublish_edition(article_id: int, lang: str) -> dict[str, object]:
    """Take an edition down; its page answers 410 and its history is kept."""
    number = unpublish(uow(), article_id, lang, api_user())
    return {"article_id": article_id, "language": lang, "withdrawn_edition": number}


@bp.route("/articles/<id:article_id>/publications", methods=["GET"])
@bp.doc(operationId="publication_history")
@bp.response(200, s.Publication(many=True))
@errors(*READ_ERRORS)
def publication_history(article_id: int) -> object:
    """Every snapshot ever published for the article, withdrawn ones included."""
    get_article(uow().session, article_id, api_user())
    return history(uow(), article_id)
