"""Request guards for hostile input that would otherwise reach the database."""

from __future__ import annotations

from flask import Flask, abort, request

MAX_ID = 2**31 - 1  # the largest id a row can have on every database the desk runs on


def init_app(app: Flask) -> None:
    """Answer 404 for ids no row can have, before a query overflows on them."""

    @app.before_request
    def _ids_in_range() -> None:
        for name, value in (request.view_args or {}).items():
            if isinstance(value, int) and not 0 <= value <= MAX_ID:
                abort(404, description=f"No object with {name} {value}.")
