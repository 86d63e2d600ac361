"""People on the desk: the admins' people page, one-time links, and the notifications."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from web.context import login_required, require, signed_in_user, uow
from web.errors import message_of, status_of
from workflow.errors import DomainError, Forbidden, NotFound
from workflow.models import KINDS
from workflow.permissions import Action, lands_in_inbox
from workflow.services import notifications, people

bp = Blueprint("people", __name__)


def _admin_page(status: int = 200, **extra: object) -> ResponseReturnValue:
    unit = uow()
    return render_template("people.html", people=people.people(unit, signed_in_user()),
                           **extra), status


@bp.get("/people")
@login_required
def index() -> ResponseReturnValue:
    """Everyone on the desk, with their roles and languages, and the invitation form."""
    require(Action.MANAGE_PEOPLE)
    return _admin_page(done=request.args.get("done"))


@bp.post("/people")
@login_required
def invite() -> ResponseReturnValue:
    """Invite someone: the account is made and a one-time link is e-mailed to them."""
    form = request.form
    try:
        sent = people.invite(uow(), signed_in_user(), form.get("email"), form.get("name"),
                             form.getlist("roles"), form.getlist("languages"))
    except DomainError as exc:
        uow().rollback()
        if isinstance(exc, Forbidden):
            raise
        return _admin_page(status_of(exc), error=message_of(exc), form=form)
    return _sent(sent, gettext("Invitation sent to %(email)s.", email=sent.user.email))


def _sent(sent: people.LinkSent, done: str) -> ResponseReturnValue:
    """Back to the people page; without a mail server the e-mail never leaves, so the
    admin is shown the one-time link itself to hand over (on this page only, never in a URL)."""
    if current_app.config.get("MAIL_CONFIGURED"):
        return redirect(url_for("people.index", done=done))
    return _admin_page(done=gettext(
        "No mail server is configured (LINGUADESK_SMTP_URL), so no e-mail leaves: give "
        "%(email)s this one-time link yourself.", email=sent.user.email), link=sent.url)


def _change(action: str, user_id: int) -> ResponseReturnValue:
    form, unit, actor = request.form, uow(), signed_in_user()
    try:
        if action == "update":
            user = people.update_person(unit, actor, user_id, form.getlist("roles"),
                                        form.getlist("languages"))
            done = gettext("%(email)s: roles and languages saved.", email=user.email)
        elif action == "reset":
            sent = people.send_reset(unit, actor, user_id)
            return _sent(sent, gettext("A link to choose a password was sent to %(email)s.",
                                      email=sent.user.email))
        else:
            user = people.set_person_active(unit, actor, user_id, action == "activate")
            done = (gettext("%(email)s is active.", email=user.email) if user.active
                    else gettext("%(email)s is deactivated.", email=user.email))
    except DomainError as exc:
        unit.rollback()
        if isinstance(exc, Forbidden | NotFound):
            raise
        return _admin_page(status_of(exc), error=message_of(exc))
    return redirect(url_for("people.index", done=done))


@bp.post("/people/<int:user_id>")
@login_required
def update(user_id: int) -> ResponseReturnValue:
    """Set someone's roles and languages."""
    return _change("update", user_id)


@bp.post("/people/<int:user_id>/deactivate")
@login_required
def deactivate(user_id: int) -> ResponseReturnValue:
    """Deactivate someone: they cannot sign in, and their sessions end."""
    return _change("deactivate", user_id)


@bp.post("/people/<int:user_id>/activate")
@login_required
def activate(user_id: int) -> ResponseReturnValue:
    """Let a deactivated person sign in again."""
    return _change("activate", user_id)


@bp.post("/people/<int:user_id>/reset")
@login_required
def reset(user_id: int) -> ResponseReturnValue:
    """E-mail someone a one-time link to choose a new password."""
    return _change("reset", user_id)


def _choose(purpose: str, secret: str) -> ResponseReturnValue:
    unit = uow()
    link = people.open_link(unit, purpose, secret)  # 404 for an unknown, used or expired link
    error, status = None, 200
    if request.method == "POST":
        try:
            user = people.choose_password(unit, purpose, secret, request.form.get("password", ""),
                                          request.form.get("confirm", ""))
        except DomainError as exc:
            unit.rollback()
            if isinstance(exc, NotFound):
                raise
            error, status = message_of(exc), status_of(exc)
        else:
            landing = url_for("desk.inbox") if lands_in_inbox(user) else "/"
            return redirect(url_for("auth.login", next=landing, done="password"))
    return render_template("choose_password.html", user=link.user, purpose=purpose,
                           error=error), status


@bp.route("/join/<secret>", methods=["GET", "POST"])
def join(secret: str) -> ResponseReturnValue:
    """An invitation: the invited person chooses their password."""
    return _choose("invite", secret)


@bp.route("/reset/<secret>", methods=["GET", "POST"])
def reset_password(secret: str) -> ResponseReturnValue:
    """A password reset link: choose a new password."""
    return _choose("reset", secret)


@bp.get("/notifications")
@login_required
def inbox() -> ResponseReturnValue:
    """The signed-in person's notifications, newest first."""
    user = signed_in_user()
    return render_template("notifications.html", items=notifications.recent(uow(), user.id),
                           kinds=KINDS)


@bp.post("/notifications/read")
@login_required
def mark_read() -> ResponseReturnValue:
    """Mark every notification (or the one named) read."""
    raw = request.form.get("id", "").strip()
    ids = [int(raw)] if raw.isdigit() else None
    notifications.mark_read(uow(), signed_in_user().id, ids)
    return redirect(url_for("people.inbox"))


@bp.get("/notifications/unread.json")
@login_required
def unread() -> ResponseReturnValue:
    """How many notifications are unread (the bell asks this)."""
    return {"unread": notifications.unread_count(uow(), signed_in_user().id)}
