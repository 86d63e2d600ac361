"""Response headers that tell browsers what the desk allows, and the proxy hops it trusts."""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script or style anywhere: what the pages run comes from /static only.
DESK_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# The reader's site runs no script at all; who may frame it is the newsroom's choice.
PUBLIC_CSP = ("default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' https: "
              "data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
              "frame-ancestors {ancestors}")
HSTS = "max-age=63072000; includeSubDomains"


def _is_public() -> bool:
    return request.blueprint == "public"


def _headers(response: Response) -> Response:
    cfg = current_app.config
    headers = response.headers
    if _is_public():
        headers.setdefault("Content-Security-Policy",
                           PUBLIC_CSP.format(ancestors=cfg["PUBLIC_FRAME_ANCESTORS"]))
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    else:
        headers.setdefault("Content-Security-Policy", DESK_CSP)
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if not cfg["DEVELOPMENT"]:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every answer; read client addresses through the trusted proxies."""
    app.after_request(_headers)
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        # Only the hops we run ourselves may say who the client is; a client cannot.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
