"""The JSON API under /api/v1, with its OpenAPI document generated from its schemas.

flask-smorest ties marshmallow schemas to the routes: one declaration parses and validates
the request, serializes the answer and writes ``/api/v1/openapi.json``. marshmallow was
chosen because it is mature, already fits Flask, and apispec turns it into OpenAPI 3.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api
from werkzeug.routing import IntegerConverter

from web.api import articles, exchange, quality, translations  # noqa: F401 - their routes join the blueprint
from web.api.blueprint import bp
from web.api.schemas import Error
from web.guards import MAX_ID
from workflow.languages import LANGUAGES

OPENAPI_VERSION = "3.0.3"


class IdConverter(IntegerConverter):
    """A row id. web.guards answers 404 beyond MAX_ID for every method alike, after routing
    (bounds in the converter would make werkzeug answer some methods 405 instead)."""


class DeskApi(Api):  # type: ignore[misc]
    """flask-smorest, leaving errors to web.errors: one error shape for the whole API."""

    DEFAULT_ERROR_RESPONSE_NAME = None
    ERROR_SCHEMA = Error

    def _register_error_handlers(self) -> None:
        return None


def _id_schema(converter: IdConverter) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _language_schema(converter: object) -> dict[str, Any]:
    return {"type": "string", "enum": sorted(LANGUAGES)}


def init_app(app: Flask) -> None:
    """Register the API and the route serving its document."""
    from web.public import LanguageConverter

    app.url_map.converters["id"] = IdConverter
    app.config.update(
        API_TITLE="Linguadesk API", API_VERSION="1", OPENAPI_VERSION=OPENAPI_VERSION,
        OPENAPI_URL_PREFIX="/api/v1", OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": "Submit articles, follow translations, review, publish. "
                                    "Send 'Authorization: Bearer <token>' (create one on "
                                    "your account page or with 'linguadesk tokens create')."},
            "security": [{"bearer": []}],
            "components": {"securitySchemes": {"bearer": {"type": "http",
                                                          "scheme": "bearer"}}},
        },
    )
    api = DeskApi()
    api.register_converter(IdConverter, _id_schema)
    api.register_converter(LanguageConverter, _language_schema)
    api.init_app(app)
    api.register_blueprint(bp)
