"""The admin's sources page: feeds and WordPress sites, their last poll, and changes to them."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from web.context import login_required, require, uow
from web.errors import message_of, status_of
from workers.safe_http import refused_host
from workflow.errors import N_, DomainError, InvalidInput
from workflow.languages import LANGUAGES
from workflow.models import SourceKind
from workflow.permissions import Action
from workflow.services import sources as service
from workflow.settings import load

bp = Blueprint("sources", __name__, url_prefix="/sources")


def _page(error: str | None = None, status: int = 200, **extra: object) -> ResponseReturnValue:
    user = require(Action.MANAGE_SOURCES)
    return render_template("sources.html", sources=service.sources(uow(), user), error=error,
                           kinds=list(SourceKind), languages=sorted(LANGUAGES),
                           done=request.args.get("done"), **extra), status


def _fields() -> dict[str, object]:
    form = request.form
    url = form.get("url", "")
    host = refused_host(url, load().webhook_allow)
    if host is not None:
        raise InvalidInput(N_("%(host)s is a loopback, private, link-local or reserved address; "
                              "sources are read from public addresses only (an operator may "
                              "allow one with LINGUADESK_WEBHOOK_ALLOW)."),
                           values={"host": host}, field="url")
    return {"kind": form.get("kind", ""), "name": form.get("name", ""), "url": url,
            "source_language": form.get("source_language", ""),
            "target_languages_": form.getlist("target_languages") or form.get("targets", ""),
            "category": form.get("category", ""), "tag": form.get("tag", "")}


def _done(message: str) -> ResponseReturnValue:
    return redirect(url_for("sources.index", done=message))


@bp.get("")
@login_required
def index() -> ResponseReturnValue:
    """Every source with its last poll, and the form to add one."""
    return _page()


@bp.post("")
@login_required
def add() -> ResponseReturnValue:
    """Add a source; the next beat tick polls it."""
    user = require(Action.MANAGE_SOURCES)
    try:
        source = service.add_source(uow(), user, **_fields())
    except DomainError as exc:
        uow().rollback()
        return _page(message_of(exc), status_of(exc))
    return _done(gettext("Added %(name)s; it is polled within a minute.", name=source.name))


@bp.post("/<int:source_id>")
@login_required
def edit(source_id: int) -> ResponseReturnValue:
    """Change a source's address, languages or filter."""
    user = require(Action.MANAGE_SOURCES)
    try:
        source = service.edit_source(uow(), user, source_id, **_fields())
    except DomainError as exc:
        uow().rollback()
        return _page(message_of(exc), status_of(exc))
    return _done(gettext("Saved %(name)s.", name=source.name))


@bp.post("/<int:source_id>/pause")
@login_required
def pause(source_id: int) -> ResponseReturnValue:
    """Stop polling a source (``resume=1`` starts again)."""
    user = require(Action.MANAGE_SOURCES)
    resume = request.form.get("resume") == "1"
    source = service.set_paused(uow(), user, source_id, paused=not resume)
    return _done(gettext("Resumed %(name)s.", name=source.name) if resume
                 else gettext("Paused %(name)s.", name=source.name))


@bp.post("/<int:source_id>/poll")
@login_required
def poll_now(source_id: int) -> ResponseReturnValue:
    """Make a source due now, past any backoff."""
    user = require(Action.MANAGE_SOURCES)
    source = service.poll_soon(uow(), user, source_id)
    return _done(gettext("%(name)s is polled within a minute.", name=source.name))


@bp.post("/<int:source_id>/delete")
@login_required
def delete(source_id: int) -> ResponseReturnValue:
    """Forget a source; the articles it brought in stay."""
    user = require(Action.MANAGE_SOURCES)
    service.delete_source(uow(), user, source_id)
    return _done(gettext("Deleted the source; its articles stay."))
