"""Signing in and out of the dashboard."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from web.context import uow
from workflow.services.signin import Limits, TooManyAttempts, sign_in

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The sign-in form."""
    error, status = None, 200
    if request.method == "POST":
        limits = Limits(per_account=current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
                        per_address=current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"])
        try:
            user = sign_in(uow(), request.form.get("email", ""),
                           request.form.get("password", ""), request.remote_addr or "?",
                           limits)
        except TooManyAttempts as exc:
            user, error, status = None, exc.message, exc.status
        else:
            if user is not None:
                session.clear()  # a fresh session at login: no fixation
                session["user_id"] = user.id
                return redirect(_safe_next(request.args.get("next")))
            error, status = "Wrong e-mail or password.", 401
    return render_template("login.html", error=error,
                           email=request.form.get("email", "")), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out."""
    session.clear()
    return redirect(url_for("auth.login"))
