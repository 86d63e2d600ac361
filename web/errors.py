"""Turning errors into 4xx answers: JSON under /api, a page everywhere else."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask.globals import request_ctx
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflow.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
    TooLarge,
)
from workflow.services.signin import TooManyAttempts

# The one mapping from the domain's errors to HTTP; the most specific class wins.
STATUS: dict[type[DomainError], int] = {
    DomainError: 400,
    InvalidInput: 400,
    TooLarge: 413,
    NotFound: 404,
    Forbidden: 403,
    InvalidTransition: 409,
    Conflict: 409,
    TooManyAttempts: 429,
}


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
        return error_response(status_of(exc), exc.code, exc.message, **exc.details)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> ResponseReturnValue:
        return error_response(400, "csrf", "The form expired or was not sent from this site; "
                              "reload the page and try again.")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> ResponseReturnValue:
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name)
