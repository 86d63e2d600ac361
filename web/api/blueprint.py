"""The API's blueprint: bearer tokens checked before any view, and the documented errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import g, request
from flask.typing import ResponseReturnValue
from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser

from web.api.schemas import Error
from web.context import uow
from web.errors import error_response
from workflow.models import User
from workflow.services.tokens import token_in_use


class _Parser(FlaskParser):
    # A body that does not match its schema is a 400, as every other bad input here.
    DEFAULT_VALIDATION_STATUS = 400


class ApiBlueprint(Blueprint):  # type: ignore[misc]
    """flask-smorest's blueprint with the desk's status for invalid input."""

    ARGUMENTS_PARSER = _Parser()


bp = ApiBlueprint("api", __name__, url_prefix="/api/v1",
               description="Submit articles, follow translations, review, publish.")
F = TypeVar("F", bound=Callable[..., Any])

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

ERRORS = {
    400: "The input does not match this schema; the message says what to fix.",
    401: "No valid bearer token (missing, expired or revoked).",
    403: "Your role may not do this, or the token is read-only.",
    404: "No such object that you can see.",
    409: "The object is not in a state for this, or changed meanwhile.",
    413: "The input is larger than the server's limit.",
    415: "Send the body as one of the listed content types.",
    422: "Well-formed, but its content cannot be used (the message says why): no headline "
         "found, a target that is the source language, nothing changed.",
}
READ_ERRORS = (401, 404)
WRITE_ERRORS = (400, 401, 403, 404, 409)


def errors(*codes: int) -> Callable[[F], F]:
    """Document the error answers an operation gives, each in the one error shape."""

    def decorate(view: F) -> F:
        for code in codes:
            view = bp.alt_response(code, schema=Error, description=ERRORS[code])(view)
        return view

    return decorate


@bp.before_request
def _require_token() -> ResponseReturnValue | None:
    """401 unless the request carries a live personal token; 403 when a read-only token
    asks to change something."""
    if request.method == "OPTIONS":
        return None
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
    return None


def api_user() -> User:
    """The token's owner."""
    return cast(User, g.api_user)
