"""Per-request plumbing: one unit of work per request and the signed-in user."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_babel import gettext

from workflow.models import User
from workflow.permissions import WHO, Action, can
from workflow.services.sessions import Timeouts, session_user
from workflow.uow import UnitOfWork

F = TypeVar("F", bound=Callable[..., Any])


def uow() -> UnitOfWork:
    """This request's unit of work, opened on first use."""
    if "uow" not in g:
        unit = UnitOfWork(current_app.extensions["linguadesk.db"],
                          dispatch=current_app.extensions["linguadesk.dispatch"],
                          notify=current_app.extensions.get("linguadesk.notify"),
                          mailer=current_app.extensions.get("linguadesk.mailer"),
                          links_base=current_app.config["PUBLIC_URL"] or request.host_url)
        g.uow = unit.__enter__()
    return cast(UnitOfWork, g.uow)


def session_timeouts() -> Timeouts:
    """How long a desk session lives (idle, and at most), from the settings."""
    return Timeouts(idle=current_app.config["SESSION_IDLE_TIMEOUT"],
                    absolute=current_app.config["SESSION_MAX_AGE"])


def current_user() -> User | None:
    """The user of the live server-side session the cookie names, if any."""
    if "user" not in g:
        sid = session.get("sid")
        g.user = session_user(uow(), sid, session_timeouts()) if isinstance(sid, str) else None
    return cast(User | None, g.user)


def signed_in_user() -> User:
    """The signed-in user, in a view behind ``login_required`` (where there always is one)."""
    user = current_user()
    if user is None:
        raise RuntimeError("signed_in_user() called in a view without login_required")
    return user


def login_required(view: F) -> F:
    """Redirect to the login page unless someone is signed in."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return cast(F, wrapped)


def require(action: Action) -> User:
    """The signed-in user if they may do ``action``; otherwise 403 naming the roles it needs."""
    user = current_user()
    if user is None or not can(user, action):
        roles = gettext(" or ").join(sorted(WHO[action]))
        abort(403, description=gettext("This needs the %(roles)s role.", roles=roles))
    return user


def init_app(app: Flask) -> None:
    """Close the request's unit of work and expose the user to templates."""

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        unit = g.pop("uow", None)
        if unit is not None:
            unit.__exit__(None, None, None)

    @app.context_processor
    def _inject() -> dict[str, Any]:
        from workflow.languages import LANGUAGES
        from workflow.services.notifications import unread_count
        from workflow.states import PROGRESS, State

        user = current_user()
        # The bell is the desk's; the public site never shows it (nor pays its query).
        desk_page = request.blueprint != "public"
        unread = unread_count(uow(), user.id) if user is not None and desk_page else 0

        def may(action: str, target: Any = None) -> bool:
            return user is not None and can(user, action, target)

        return {"current_user": user, "can": may, "LANGUAGES": LANGUAGES,
                "unread_notifications": unread,
                "STATE_PROGRESS": {s.value: p for s, p in PROGRESS.items()},
                "State": State}
