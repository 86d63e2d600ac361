"""HTTP caching for the public site: an ETag from what a page depends on, and 304 for a match."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from flask import Response, current_app, make_response, request
from flask.typing import ResponseReturnValue

HERE = Path(__file__).resolve().parent


@cache
def _build() -> str:
    """The public templates and stylesheet as deployed: a new release changes every ETag."""
    files = sorted([*(HERE / "templates" / "public").glob("*"), HERE / "static" / "public.css"])
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def conditional(depends_on: object, render: Callable[[], ResponseReturnValue]) -> Response:
    """Answer 304 when the client's copy still matches ``depends_on``, else render it.

    ``depends_on`` is whatever the page is made from (publication ids, withdrawal times):
    publishing or withdrawing an edition changes it, so the next request gets a new page.
    """
    cfg = current_app.config
    key = repr((_build(), cfg["PUBLIC_URL"], request.path, depends_on))
    etag = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_control = f"public, max-age={cfg['PUBLIC_MAX_AGE']}, must-revalidate"
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
    else:
        response = make_response(render())
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control
    return response
