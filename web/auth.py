"""Signing in and out of the dashboard."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from web.context import uow
from web.errors import message_of, status_of
from workflow.services.sessions import end_session, start_session
from workflow.services.signin import Limits, TooManyAttempts, sign_in

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else the dashboard.

    Browsers drop tabs and newlines from URLs and read ``\\`` as ``/``, so a target holding
    any of them (or any control character) is refused whole rather than cleaned up.
    """
    fallback = url_for("dashboard.index")
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ch.isspace() or unicodedata.category(ch)[0] == "C"
                             for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def _limits() -> Limits:
    cfg = current_app.config
    return Limits(per_account=cfg["LOGIN_FREE_FAILURES_PER_ACCOUNT"],
                  per_client=cfg["LOGIN_FREE_FAILURES_PER_CLIENT"],
                  max_account_delay=timedelta(seconds=cfg["LOGIN_MAX_DELAY"]))


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The sign-in form."""
    error, status, headers = None, 200, {}
    if request.method == "POST":
        try:
            user = sign_in(uow(), request.form.get("email", ""),
                           request.form.get("password", ""), request.remote_addr or "?",
                           _limits())
        except TooManyAttempts as exc:
            user, error, status = None, message_of(exc), status_of(exc)
            headers["Retry-After"] = str(exc.details.get("retry_after", 1))
        else:
            if user is not None:
                session.clear()  # a fresh session at login: no fixation
                session["sid"] = start_session(uow(), user, request.remote_addr or "",
                                               request.user_agent.string)
                session.permanent = True  # the cookie lives as long as the session may
                return redirect(safe_next(request.args.get("next")))
            error, status = gettext("Wrong e-mail or password."), 401
    return render_template("login.html", error=error,
                           email=request.form.get("email", "")), status, headers


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out: the session ends on the server, so a copied cookie opens nothing either."""
    sid = session.get("sid")
    if isinstance(sid, str):
        end_session(uow(), sid)
    session.clear()
    return redirect(url_for("auth.login"))
