"""The JSON API's OpenAPI 3.0 document, written by hand next to the routes it describes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from workflow.states import State

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

MAX_ID = 2**31 - 1  # ids beyond this are answered 404 before any query runs

STATES = [s.value for s in State]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": _json(_ref("Error"), "The input cannot be accepted; the message says what to fix."),
    "401": _json(_ref("Error"), "No valid bearer token (missing, expired or revoked)."),
    "403": _json(_ref("Error"), "Your role may not do this, or the token is read-only."),
    "404": _json(_ref("Error"), "No such object that you can see."),
    "409": _json(_ref("Error"), "The object is not in a state for this, or changed meanwhile."),
    "413": _json(_ref("Error"), "The input is larger than the limit."),
    "415": _json(_ref("Error"), "Send JSON."),
}


def _op(summary: str, ok: str, schema: dict[str, Any], ok_text: str, *, params: list[str],
        body: dict[str, Any] | None = None, errors: tuple[str, ...] = ("401", "404"),
        ) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "parameters": [_id(p) for p in params],
        "responses": {ok: _json(schema, ok_text), **{e: ERRORS[e] for e in errors}},
    }
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


WRITE_ERRORS = ("400", "401", "403", "404", "409", "413")
TEXT = {"type": "string", "minLength": 1}

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error", "message"],
              "properties": {"error": {"type": "string"}, "message": {"type": "string"}}},
    "TranslationSummary": {
        "type": "object", "required": ["id", "language", "state", "attempts", "error"],
        "properties": {"id": {"type": "integer"}, "language": {"type": "string"},
                       "state": {"type": "string", "enum": STATES},
                       "attempts": {"type": "integer"},
                       "error": {"type": "string", "nullable": True}}},
    "Article": {
        "type": "object",
        "required": ["id", "slug", "source_language", "version", "title", "format",
                     "created_at", "translations"],
        "properties": {"id": {"type": "integer"}, "slug": {"type": "string"},
                       "source_language": {"type": "string"}, "version": {"type": "integer"},
                       "title": {"type": "string"}, "format": {"type": "string"},
                       "created_at": {"type": "string", "format": "date-time"},
                       "translations": {"type": "array", "items": _ref("TranslationSummary")}}},
    "ArticleCreated": {"allOf": [_ref("Article"), {
        "type": "object", "required": ["translated_by"],
        "properties": {"translated_by": {
            "type": "object", "additionalProperties": {"type": "string"},
            "description": "Per target language, what will translate it: an engine, a "
                           "chain of engines, or 'no engine: a reviewer translates from the "
                           "source' (the translation then arrives as a draft with empty "
                           "targets)."}}}]},
    "Segment": {
        "type": "object",
        "required": ["id", "position", "kind", "source", "mt", "engine", "model", "text",
                     "revision", "state"],
        "properties": {"id": {"type": "integer"}, "position": {"type": "integer"},
                       "kind": {"type": "string"}, "source": {"type": "string"},
                       "mt": {"type": "string", "nullable": True},
                       "engine": {"type": "string", "nullable": True},
                       "model": {"type": "string", "nullable": True},
                       "text": {"type": "string"}, "revision": {"type": "integer"},
                       "state": {"type": "string"}}},
    "Translation": {"allOf": [_ref("TranslationSummary"), {
        "type": "object", "required": ["article_id", "segments"],
        "properties": {"article_id": {"type": "integer"},
                       "segments": {"type": "array", "items": _ref("Segment")}}}]},
    "Publication": {
        "type": "object",
        "required": ["id", "article_id", "language", "number", "title", "html", "published_at"],
        "properties": {"id": {"type": "integer"}, "article_id": {"type": "integer"},
                       "language": {"type": "string"}, "number": {"type": "integer"},
                       "title": {"type": "string"}, "html": {"type": "string"},
                       "published_at": {"type": "string", "format": "date-time"}}},
    "OutdatedSegment": {
        "type": "object",
        "required": ["version", "position", "kind", "source", "new_source", "mt", "text",
                     "reviewed"],
        "properties": {"version": {"type": "integer"}, "position": {"type": "integer"},
                       "kind": {"type": "string"}, "source": {"type": "string"},
                       "new_source": {"type": "string", "nullable": True},
                       "mt": {"type": "string", "nullable": True}, "text": {"type": "string"},
                       "reviewed": {"type": "boolean"}}},
    "NewArticle": {
        "type": "object", "required": ["title", "body", "source_language", "target_languages"],
        "properties": {"title": TEXT, "body": TEXT, "source_language": {"type": "string"},
                       "target_languages": {"type": "array", "items": {"type": "string"}},
                       "format": {"type": "string"}}},
    "ArticleUpdate": {"type": "object", "required": ["title", "body"],
                      "properties": {"title": TEXT, "body": TEXT}},
    "SegmentEdit": {"type": "object", "required": ["text", "revision"],
                    "properties": {"text": TEXT, "revision": {"type": "integer"},
                                   "confirm": {"type": "boolean"}}},
    "SendBack": {"type": "object", "required": ["note"], "properties": {"note": TEXT}},
    "Approval": {"type": "object",
                 "properties": {"reason": {"type": "string",
                                           "description": "why QA warnings are overridden"}}},
    "ExtractRequest": {"type": "object", "required": ["body"],
                       "properties": {"body": TEXT, "format": {
                           "type": "string",
                           "enum": ["auto", "text", "markdown", "html", "html_page", "news"]}}},
    "Extraction": {
        "type": "object",
        "required": ["format", "headline", "standfirst", "author", "date", "source", "credits",
                     "blocks"],
        "properties": {"format": {"type": "string"}, "headline": {"type": "string"},
                       "standfirst": {"type": "string"}, "author": {"type": "string"},
                       "date": {"type": "string"}, "source": {"type": "string"},
                       "credits": {"type": "array", "items": {"type": "string"}},
                       "removed": {"type": "array", "items": {"type": "string"}},
                       "dropped": {"type": "array", "items": {"type": "string"}},
                       "notices": {"type": "array", "description": "what to add before "
                                   "submitting, e.g. no_headline: give a title",
                                   "items": {"type": "object", "required": ["error", "message"],
                                             "properties": {"error": {"type": "string"},
                                                            "message": {"type": "string"}}}},
                       "blocks": {"type": "array", "items": {
                           "type": "object", "required": ["kind", "text"],
                           "properties": {"kind": {"type": "string"},
                                          "text": {"type": "string"},
                                          "markup": {"type": "object"}}}}}},
    "Withdrawal": {"type": "object", "required": ["article_id", "language", "withdrawn_edition"],
                   "properties": {"article_id": {"type": "integer"},
                                  "language": {"type": "string"},
                                  "withdrawn_edition": {"type": "integer"}}},
    "WebhookDelivery": {
        "type": "object", "required": ["id", "event", "url", "state", "attempts"],
        "properties": {"id": {"type": "integer"}, "event": {"type": "string"},
                       "url": {"type": "string"}, "state": {"type": "string"},
                       "attempts": {"type": "integer"},
                       "response_status": {"type": "integer", "nullable": True},
                       "error": {"type": "string", "nullable": True},
                       "created_at": {"type": "string", "format": "date-time"}}},
}

A, T = ["article_id"], ["translation_id"]
PATHS: dict[str, Any] = {
    "/articles": {"post": _op("Submit an article for translation", "201", _ref("ArticleCreated"),
                              "The article, one queued translation per language.", params=[],
                              body=_ref("NewArticle"), errors=WRITE_ERRORS)},
    "/articles/{article_id}": {
        "get": _op("An article with each translation's state", "200", _ref("Article"),
                   "The article.", params=A),
        "put": _op("Update the source: a new version; changed segments are translated again",
                   "200", _ref("Article"), "The article at its new version.", params=A,
                   body=_ref("ArticleUpdate"), errors=WRITE_ERRORS),
    },
    "/articles/extract": {
        "post": _op("What ingestion extracts from pasted text (nothing is written)", "200",
                    _ref("Extraction"), "The extracted fields and blocks.", params=[],
                    body=_ref("ExtractRequest"), errors=("400", "401", "403", "413"))},
    "/articles/{article_id}/publications": {
        "get": _op("Every published snapshot of the article, withdrawn ones included", "200",
                   {"type": "array", "items": _ref("Publication")}, "The history.", params=A)},
    "/articles/{article_id}/editions/{lang}/unpublish": {
        "post": {**_op("Take an edition down (its page answers 410)", "200",
                       _ref("Withdrawal"), "The withdrawn edition.", params=A,
                       errors=WRITE_ERRORS),
                 "parameters": [_id("article_id"),
                                {"name": "lang", "in": "path", "required": True,
                                 "schema": {"type": "string", "pattern": "^[a-z]{2}$"}}]}},
    "/webhooks/deliveries": {
        "get": _op("The webhook delivery log (admins)", "200",
                   {"type": "array", "items": _ref("WebhookDelivery")}, "The log.", params=[],
                   errors=("401", "403"))},
    "/articles/{article_id}/publish-source": {
        "post": _op("Publish the article in its own language", "201", _ref("Publication"),
                    "The new edition.", params=A, errors=WRITE_ERRORS)},
    "/translations/{translation_id}": {
        "get": _op("A translation with its segments", "200", _ref("Translation"),
                   "The translation.", params=T)},
    "/translations/{translation_id}/segments/{segment_id}": {
        "put": _op("Save a reviewer's text (409 with the current text if revision is stale)",
                   "200", _ref("Segment"), "The saved segment.",
                   params=["translation_id", "segment_id"], body=_ref("SegmentEdit"),
                   errors=WRITE_ERRORS)},
    "/translations/{translation_id}/outdated": {
        "get": _op("Segments set aside by source updates, the reviewer's text kept", "200",
                   {"type": "array", "items": _ref("OutdatedSegment")}, "The list.",
                   params=T)},
    "/translations/{translation_id}/approve": {
        "post": {**_op("Approve a translation (409 lists blocking QA issues)", "200",
                       _ref("TranslationSummary"), "The approved translation.", params=T,
                       errors=WRITE_ERRORS),
                 "requestBody": {"required": False, "content": {
                     "application/json": {"schema": _ref("Approval")}}}}},
    "/translations/{translation_id}/publish": {
        "post": _op("Publish an approved translation", "201", _ref("Publication"),
                    "The new (or, for a repeated request, the same) edition.", params=T,
                    errors=WRITE_ERRORS)},
    "/translations/{translation_id}/send-back": {
        "post": _op("Return a translation to review with a note", "200",
                    _ref("TranslationSummary"), "The translation, back in review.", params=T,
                    body=_ref("SendBack"), errors=WRITE_ERRORS)},
    "/translations/{translation_id}/retry": {
        "post": _op("Queue a failed translation again", "200", _ref("TranslationSummary"),
                    "The queued translation.", params=T, errors=WRITE_ERRORS)},
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Linguadesk API", "version": "1",
             "description": "Submit articles, follow translations, review, publish. Send "
                            "'Authorization: Bearer <token>' (linguadesk tokens create)."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                   "schemas": SCHEMAS},
    "paths": PATHS,
}


@bp.get("/openapi.json")
def document() -> ResponseReturnValue:
    """The OpenAPI document of this API."""
    return jsonify(DOCUMENT)
