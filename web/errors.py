"""Turning errors into 4xx answers: JSON under /api, a page everywhere else."""

from __future__ import annotations

from typing import Any, cast

from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask.typing import ResponseReturnValue
from flask_babel import gettext, lazy_gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from workflow.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
    TooLarge,
    Unprocessable,
    told,
)
from workflow.services.signin import TooManyAttempts

# The one mapping from the domain's errors to HTTP; the most specific class wins.
STATUS: dict[type[DomainError], int] = {
    DomainError: 400,
    InvalidInput: 400,
    TooLarge: 413,
    Unprocessable: 422,  # matches the API's schema, but its content cannot be used
    NotFound: 404,
    Forbidden: 403,
    InvalidTransition: 409,
    Conflict: 409,
    TooManyAttempts: 429,
}

# What a page says for an HTTP error that carries no message of ours (werkzeug's default is
# English); the API keeps werkzeug's text beside its machine-readable code.
PAGE_MESSAGES = {
    403: lazy_gettext("You may not open this page."),
    404: lazy_gettext("There is no page at this address."),
    405: lazy_gettext("This page does not answer that kind of request."),
    413: lazy_gettext("What was sent is too large for the desk."),
}


def message_of(exc: DomainError) -> str:
    """The domain's message in the request's language (its English outside a request)."""
    return exc.translated(gettext)


def told_in(english: str | None, kept: str | None) -> str | None:
    """A stored message (why a job stopped, a segment's pre-confirmation) in the request's
    language: ``kept`` is its template and values, ``english`` what rows from before show."""
    return told(english, kept, gettext)


def status_of(exc: DomainError) -> int:
    """The HTTP status that says no the way ``exc`` does."""
    return next(STATUS[k] for k in type(exc).__mro__ if k in STATUS)


def wants_json() -> bool:
    """True for API requests."""
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, **extra: object) -> ResponseReturnValue:
    """A JSON error for the API, an HTML page otherwise."""
    if request_ctx.url_adapter is None:  # an untrusted Host: no page can be built for it
        return Response("This site does not answer for that host name.\n", status=status,
                        mimetype="text/plain")
    if wants_json():
        return jsonify({"error": code, "message": message, **extra}), status
    return render_template("error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError) -> ResponseReturnValue:
        return error_response(status_of(exc), exc.code, message_of(exc),
                              **exc.details_in(gettext))

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> ResponseReturnValue:
        return error_response(400, "csrf", gettext(
            "The form expired or was not sent from this site; reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> ResponseReturnValue:
        messages = _validation_messages(exc)
        if messages is not None:  # a request that does not match the API's schema
            body_not_an_object = "json" in messages and (
                not request.is_json or "_schema" in messages["json"])
            flat = {f: m for per_location in messages.values() for f, m in per_location.items()}
            text = describe(flat)
            if body_not_an_object:
                text = (f"{text} " if "JSON" in text else "") + (
                    "Send a JSON object with Content-Type: application/json.")
            # ``field`` names the first to fix, as the domain's own input errors do.
            named = [f for f in flat if f != "_schema"]
            extra = {"field": named[0]} if named else {}
            return error_response(400, "invalid_input", text, **extra, fields=flat)
        code = (exc.name or "error").lower().replace(" ", "_")
        description = exc.description
        if not wants_json() and description == type(exc).description:  # werkzeug's English
            description = str(PAGE_MESSAGES.get(exc.code or 500, description))
        answer = error_response(exc.code or 500, code, description or exc.name)
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            # RFC 9110: a 405 names the methods the resource does answer.
            body, status = cast(tuple[Response, int], answer)[:2]
            return body, status, {"Allow": ", ".join(sorted(exc.valid_methods))}
        return answer


def _validation_messages(exc: HTTPException) -> dict[str, dict[str, Any]] | None:
    """Per location (json, query), the per-field messages webargs attached to a schema
    failure."""
    data = getattr(exc, "data", None)
    messages = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(messages, dict):
        return None
    return {location: fields if isinstance(fields, dict) else {"_schema": fields}
            for location, fields in messages.items()}


def describe(messages: dict[str, Any], prefix: str = "") -> str:
    """One sentence per field: ``title must be text.``, ``tags: Unknown field.``."""
    parts: list[str] = []
    for field, value in messages.items():
        name = f"{prefix}{field}"
        if isinstance(value, dict):
            parts.append(describe(value, prefix=f"{name}."))
            continue
        for text in map(str, value if isinstance(value, list) else [value]):
            if name == "_schema":
                parts.append(text)
                continue
            # The domain's messages start with the field's name: say which item it was.
            for word in (name.split(".")[-1], name.split(".")[0]):
                if text.startswith(word + " "):
                    parts.append(name + text[len(word):])
                    break
            else:
                parts.append(f"{name}: {text}" if text[:1].isupper() else f"{name} {text}")
    return " ".join(parts)
