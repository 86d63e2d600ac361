"""The admin's webhook page: configured endpoints and the delivery log."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from web.context import login_required, require_role, uow
from workflow.errors import DomainError
from workflow.services.webhooks import add_endpoint, delivery_log, endpoints

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


def _page(error: str | None = None, status: int = 200) -> ResponseReturnValue:
    user = require_role("admin")
    return render_template("webhooks.html", endpoints=endpoints(uow(), user),
                           deliveries=delivery_log(uow(), user), error=error), status


@bp.get("")
@login_required
def index() -> ResponseReturnValue:
    """Endpoints and the newest deliveries with their outcome."""
    return _page()


@bp.post("")
@login_required
def add() -> ResponseReturnValue:
    """Register an endpoint; its secret is shown on the page for the receiver to verify with."""
    user = require_role("admin")
    try:
        add_endpoint(uow(), user, request.form.get("url", ""),
                     request.form.get("secret") or None)
    except DomainError as exc:
        uow().rollback()
        return _page(exc.message, exc.status)
    return redirect(url_for("webhooks.index"))
