"""Request guards for hostile input that would otherwise reach the database."""

from __future__ import annotations

import re

from flask import Flask, abort, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from web.errors import error_response

MAX_ID = 2**31 - 1  # the largest id a row can have on every database the desk runs on
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_JSON_DEPTH = 32  # the API's documents are a few levels deep; parsers recurse per level


def json_depth(value: object) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (walked without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item)
    return deepest


def _lone_surrogate(value: object) -> bool:
    """True when a JSON value holds half of a UTF-16 pair (valid JSON, unstorable text)."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list):
        return any(_lone_surrogate(v) for v in value)
    if isinstance(value, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in value.items())
    return False


def init_app(app: Flask) -> None:
    """Refuse ids no row can have and JSON text no database can store, before any query."""

    @app.before_request
    def _guard() -> ResponseReturnValue | None:
        for name, value in (request.view_args or {}).items():
            if isinstance(value, int) and not 0 <= value <= MAX_ID:
                abort(404, description=gettext("No object with %(name)s %(value)s.",
                                                   name=name, value=value))
        if not request.is_json:
            return None
        try:
            data = request.get_json(silent=True)
        except RecursionError:  # the parser gave up: deeper than Python's stack allows
            data, too_deep = None, True
        else:
            too_deep = json_depth(data) > MAX_JSON_DEPTH
        if too_deep:
            return error_response(400, "invalid_input", "The JSON nests arrays or objects too "
                                  f"deeply; send at most {MAX_JSON_DEPTH} levels.")
        if _lone_surrogate(data):
            return error_response(400, "invalid_input", "The JSON holds an unpaired UTF-16 "
                                  "surrogate escape (\\ud800-\\udfff); send valid Unicode text.")
        return None
