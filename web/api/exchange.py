"""Files in and out through the API: XLIFF per translation, the memory as TMX, the glossary
as CSV or TBX, and each edition's slug."""

from __future__ import annotations

from typing import Any

from flask import Response, request
from marshmallow import Schema, fields

from web.api.blueprint import WRITE_ERRORS, api_user, bp, errors
from web.api.schemas import LANGUAGE_CODES, Strict, Text
from web.context import uow
from web.exchange import glossary_download, import_report_json, plan_json, xliff_download
from workflow.edition_slugs import set_slug
from workflow.editions import edition_path
from workflow.errors import N_, InvalidInput, Word
from workflow.languages import get_language
from workflow.services.glossary_files import apply_import, export_glossary, plan_import
from workflow.services.memory_files import export_tmx, import_tmx
from workflow.services.xliff import export_xliff, import_xliff


def _file(description: str, *types: str) -> dict[str, Any]:
    return {"description": description,
            "content": {t: {"schema": {"type": "string"}} for t in types}}


def _body(*types: str) -> dict[str, Any]:
    return {"required": True,
            "content": {t: {"schema": {"type": "string", "minLength": 1}} for t in types}}


def _query(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
            for n in names]


def _languages(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "in": "query", "required": False,
             "schema": {"type": "string", "enum": LANGUAGE_CODES}} for n in names]


class XliffConflict(Schema):
    segment_id = fields.Integer(required=True)
    reason = fields.String(required=True)


class XliffImport(Schema):
    updated = fields.List(fields.Integer(), required=True)
    unchanged = fields.List(fields.Integer(), required=True)
    conflicts = fields.List(fields.Nested(XliffConflict), required=True)
    issues = fields.Dict(keys=fields.String(), values=fields.List(fields.Dict()), required=True)


class TmxImport(Schema):
    added = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    kept_newer = fields.Integer(required=True)
    skipped_languages = fields.List(fields.String(), required=True)


class GlossaryChange(Schema):
    action = fields.String(required=True)
    term = fields.String(required=True)
    language = fields.String(required=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(required=True)


class GlossaryImport(Schema):
    applied = fields.Boolean(required=True)
    digest = fields.String(required=True)
    added = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    changes = fields.List(fields.Nested(GlossaryChange), required=True)


class SlugEdit(Strict):
    slug = Text(required=True, max_chars=200)


class EditionSlug(Schema):
    article_id = fields.Integer(required=True)
    language = fields.String(required=True)
    slug = fields.String(required=True)
    path = fields.String(required=True)


XLIFF = "application/x-xliff+xml"


def _args(*allowed: str) -> None:
    """Refuse query parameters the operation does not declare (a typo would be ignored)."""
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        raise InvalidInput(N_("Unknown query parameter(s): %(unknown)s; this operation takes "
                              "%(allowed)s."),
                           values={"unknown": ", ".join(unknown),
                                   "allowed": ", ".join(allowed) or Word(N_("none"))})
    for name in ("source", "target", "language"):
        if name in allowed and request.args.get(name):
            get_language(request.args[name])


def _upload() -> bytes:
    data = request.get_data()
    if not data:
        raise InvalidInput(N_("Send the file as the request body."))
    return data


@bp.route("/translations/<id:translation_id>/xliff", methods=["GET"])
@bp.doc(operationId="export_xliff", parameters=[{
    "name": "version", "in": "query", "required": False,
    "schema": {"type": "string", "enum": ["1.2", "2.1"], "default": "1.2"}}],
    responses={200: _file("The XLIFF file, one unit per segment.", XLIFF)})
@errors(400, 401, 403, 404)
def export_translation_xliff(translation_id: int) -> Response:
    """The translation as XLIFF 1.2 (or 2.1 with ``?version=2.1``) for a CAT tool."""
    _args("version")
    version = request.args.get("version", "1.2")
    return xliff_download(export_xliff(uow(), translation_id, api_user(), version),
                          translation_id, version)


@bp.route("/translations/<id:translation_id>/xliff", methods=["PUT"])
@bp.doc(operationId="import_xliff", requestBody=_body(XLIFF))
@bp.response(200, XliffImport)
@errors(*WRITE_ERRORS, 413, 422)
def import_translation_xliff(translation_id: int) -> dict[str, Any]:
    """Save the targets of an XLIFF file (the body); segments changed on the desk since the
    export come back as conflicts, left as they are."""
    _args()
    return import_report_json(import_xliff(uow(), translation_id, _upload(), api_user()))


@bp.route("/memory.tmx", methods=["GET"])
@bp.doc(operationId="export_memory", parameters=_languages("source", "target"),
        responses={200: _file("The TMX 1.4 file.", "application/x-tmx+xml")})
@errors(400, 401, 403)
def export_memory() -> Response:
    """The translation memory as TMX 1.4 (``?source=en&target=es`` for one pair)."""
    _args("source", "target")
    data = export_tmx(uow(), api_user(), request.args.get("source") or None,
                      request.args.get("target") or None)
    return Response(data, mimetype="application/x-tmx+xml",
                    headers={"Content-Disposition": 'attachment; filename="memory.tmx"'})


@bp.route("/memory.tmx", methods=["POST"])
@bp.doc(operationId="import_memory", requestBody=_body("application/x-tmx+xml"))
@bp.response(200, TmxImport)
@errors(400, 401, 403, 413, 422)
def import_memory() -> dict[str, Any]:
    """Merge a TMX file (the body) into the memory; newer entries are never overwritten."""
    _args()
    report = import_tmx(uow(), api_user(), _upload())
    return {"added": report.added, "updated": report.updated, "unchanged": report.unchanged,
            "kept_newer": report.kept_newer, "skipped_languages": report.skipped_languages}


FORMAT = {"name": "fmt", "in": "path", "required": True,
          "schema": {"type": "string", "enum": ["csv", "tbx"]}}


@bp.route("/glossary.<fmt>", methods=["GET"])
@bp.doc(operationId="export_glossary", parameters=[FORMAT, *_languages("language", "source")],
        responses={200: _file("The glossary file.", "text/csv", "application/x-tbx+xml")})
@errors(400, 401)
def export_glossary_file(fmt: str) -> Response:
    """The glossary as CSV or TBX (``?language=es`` for one language)."""
    _args("language", "source")
    data = export_glossary(uow(), fmt, request.args.get("language") or None,
                           request.args.get("source") or "en")
    return glossary_download(data, fmt)


@bp.route("/glossary.<fmt>", methods=["POST"])
@bp.doc(operationId="import_glossary", parameters=[FORMAT, *_query("apply", "digest")],
        requestBody=_body("text/csv", "application/x-tbx+xml"))
@bp.response(200, GlossaryImport)
@errors(*WRITE_ERRORS, 413, 422)
def import_glossary_file(fmt: str) -> dict[str, Any]:
    """Preview what a CSV or TBX file (the body) changes; ``?apply=true`` applies it (with
    ``&digest=`` from the preview: only if it still makes those changes)."""
    _args("apply", "digest")
    data = _upload()
    if request.args.get("apply", "").lower() not in ("1", "true", "yes"):
        return plan_json(plan_import(uow(), api_user(), data, fmt), applied=False)
    return plan_json(apply_import(uow(), api_user(), data, fmt,
                                  request.args.get("digest") or None), applied=True)


@bp.route("/articles/<id:article_id>/editions/<lang:lang>/slug", methods=["PUT"])
@bp.doc(operationId="change_edition_slug")
@bp.arguments(SlugEdit)
@bp.response(200, EditionSlug)
@errors(*WRITE_ERRORS, 415, 422)
def change_edition_slug(data: dict[str, Any], article_id: int, lang: str) -> dict[str, Any]:
    """Set an edition's slug (publishers); the former address answers 301 to the new one."""
    slug = set_slug(uow(), api_user(), article_id, lang, data["slug"])
    return {"article_id": article_id, "language": lang, "slug": slug,
            "path": edition_path(lang, slug)}
