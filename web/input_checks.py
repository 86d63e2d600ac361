"""Checks on raw request bodies before any view reads them: text must be valid UTF-8."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Flask, request
from flask.typing import ResponseReturnValue

from web.errors import error_response

_TEXT_TYPES = ("application/json", "text/plain", "text/markdown", "text/html")


def _utf8_problem(raw: bytes) -> str | None:
    """Where ``raw`` stops being UTF-8, or None when it is."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (f"The request body is not valid UTF-8 (byte 0x{raw[exc.start]:02X} at position "
                f"{exc.start}); save or send the text as UTF-8.")
    return None


def check_encoding() -> ResponseReturnValue | None:
    """400 for a body (JSON, text, or a urlencoded form) that is not valid UTF-8."""
    if request.method not in ("POST", "PUT", "PATCH") or not request.content_length:
        return None
    mimetype = request.mimetype
    if mimetype not in _TEXT_TYPES and mimetype != "application/x-www-form-urlencoded":
        return None
    raw = request.get_data(cache=True)
    problem = _utf8_problem(raw)
    if problem is None and mimetype == "application/x-www-form-urlencoded":
        try:
            parse_qsl(raw.decode("utf-8"), encoding="utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            problem = (f"A form field is not valid UTF-8 (byte 0x{exc.object[exc.start]:02X}); "
                       "paste the text again from a UTF-8 source.")
    if problem is not None:
        return error_response(400, "invalid_encoding", problem)
    return None


def init_app(app: Flask) -> None:
    """Run the check first, before CSRF protection parses (and consumes) the form."""
    app.before_request_funcs.setdefault(None, []).insert(0, check_encoding)
