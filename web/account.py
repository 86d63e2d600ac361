"""Each user's own account: profile, notification choices, password and API tokens."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from web.context import login_required, signed_in_user, uow
from web.errors import message_of, status_of
from workflow.errors import DomainError
from workflow.models import KINDS, utcnow
from workflow.services.notifications import preferences
from workflow.services.people import update_profile
from workflow.services.tokens import issue_token, parse_duration, revoke_token, tokens_of
from workflow.services.users import change_password

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(status: int = 200, **extra: object) -> ResponseReturnValue:
    user = signed_in_user()
    return render_template("account.html", tokens=tokens_of(uow(), user), now=utcnow(),
                           prefs=preferences(uow(), user.id), kinds=KINDS, **extra), status


@bp.get("")
@login_required
def index() -> ResponseReturnValue:
    """The password form and the user's tokens."""
    return _page(changed=request.args.get("changed"), saved=request.args.get("saved"))


@bp.post("/profile")
@login_required
def profile() -> ResponseReturnValue:
    """Save the name, interface language and which notifications arrive by e-mail."""
    form = request.form
    try:
        update_profile(uow(), signed_in_user(), form.get("name", ""),
                       form.get("interface_language", ""), form.getlist("email_kinds"))
    except DomainError as exc:
        uow().rollback()
        return _page(status_of(exc), profile_error=message_of(exc))
    return redirect(url_for("account.index", saved=1))


@bp.post("/password")
@login_required
def password() -> ResponseReturnValue:
    """Change the password; every other session of this user ends."""
    form = request.form
    try:
        ended = change_password(uow(), signed_in_user(), form.get("current_password", ""),
                                form.get("new_password", ""), form.get("confirm", ""),
                                keep_session=session.get("sid"))
    except DomainError as exc:
        uow().rollback()
        return _page(status_of(exc), password_error=message_of(exc))
    return redirect(url_for("account.index", changed=ended))


@bp.post("/tokens")
@login_required
def create_token() -> ResponseReturnValue:
    """Create a token and show it this once (only its hash is kept)."""
    form = request.form
    try:
        expires = parse_duration(form["expires_in"]) if form.get("expires_in") else None
        row, token = issue_token(uow(), signed_in_user(), form.get("name", ""), expires,
                                 read_only=form.get("read_only") == "1")
    except DomainError as exc:
        uow().rollback()
        return _page(status_of(exc), token_error=message_of(exc))
    return _page(201, new_token=token, new_token_id=row.id)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> ResponseReturnValue:
    """Revoke one of the user's own tokens at once."""
    revoke_token(uow(), token_id, owner=signed_in_user())
    return redirect(url_for("account.index"))
