"""The admin's webhook page: configured endpoints and the delivery log."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from web.context import login_required, require, uow
from web.errors import message_of, status_of
from workers.safe_http import refused_host
from workflow.errors import N_, DomainError, InvalidInput
from workflow.permissions import Action
from workflow.services.webhooks import add_endpoint, delivery_log, endpoints
from workflow.settings import load

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


def _page(error: str | None = None, status: int = 200, **extra: object) -> ResponseReturnValue:
    user = require(Action.MANAGE_WEBHOOKS)
    return render_template("webhooks.html", endpoints=endpoints(uow(), user),
                           deliveries=delivery_log(uow(), user), error=error, **extra), status


@bp.get("")
@login_required
def index() -> ResponseReturnValue:
    """Endpoints and the newest deliveries with their outcome."""
    return _page()


@bp.post("")
@login_required
def add() -> ResponseReturnValue:
    """Register an endpoint; its secret is shown this once, for the receiver to verify with."""
    user = require(Action.MANAGE_WEBHOOKS)
    url = request.form.get("url", "")
    try:
        host = refused_host(url, load().webhook_allow)
        if host is not None:
            raise InvalidInput(N_("%(host)s is a loopback, private, link-local or reserved "
                                  "address; webhooks go to public addresses only (an operator "
                                  "may allow one with LINGUADESK_WEBHOOK_ALLOW)."),
                               values={"host": host}, field="url")
        endpoint = add_endpoint(uow(), user, url, request.form.get("secret") or None)
    except DomainError as exc:
        uow().rollback()
        return _page(message_of(exc), status_of(exc))
    return _page(status=201, new_endpoint=endpoint)
