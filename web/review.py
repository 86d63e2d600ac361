"""The review workspace: source and draft side by side, approve, publish, send back."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from web.context import current_user, login_required, uow
from workflow.errors import Conflict, DomainError
from workflow.languages import get_language
from workflow.queries import get_translation
from workflow.services.publishing import publish
from workflow.services.review import approve, save_segment, send_back
from workflow.states import Event, may

bp = Blueprint("review", __name__)


def _page(translation_id: int, status: int = 200, **extra: object) -> ResponseReturnValue:
    user = current_user()
    assert user is not None
    t = get_translation(uow().session, translation_id, user)
    return render_template(
        "review.html", t=t, language=get_language(t.language),
        source_language=get_language(t.article.source_language),
        can_edit=may(user, Event.EDIT, t.language) and t.state in ("draft", "in_review"),
        can_approve=may(user, Event.APPROVE, t.language),
        can_publish=may(user, Event.PUBLISH, t.language), **extra,
    ), status


@bp.get("/translations/<int:translation_id>")
@login_required
def workspace(translation_id: int) -> ResponseReturnValue:
    """Source and draft side by side, segment by segment."""
    return _page(translation_id)


@bp.post("/translations/<int:translation_id>/segments/<int:segment_id>")
@login_required
def save(translation_id: int, segment_id: int) -> ResponseReturnValue:
    """Save one segment; a stale revision shows the other person's text beside yours."""
    user = current_user()
    assert user is not None
    text = request.form.get("text", "")
    try:
        revision = int(request.form.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        save_segment(uow(), translation_id, segment_id, text, revision, user)
    except Conflict as exc:
        uow().rollback()
        return _page(translation_id, 409, conflict={"segment_id": segment_id, "mine": text,
                                                    "message": exc.message, **exc.details})
    except DomainError as exc:
        uow().rollback()
        return _page(translation_id, exc.status,
                     error={"segment_id": segment_id, "mine": text, "message": exc.message})
    return redirect(url_for("review.workspace", translation_id=translation_id,
                            _anchor=f"seg-{segment_id}"))


@bp.post("/translations/<int:translation_id>/approve")
@login_required
def approve_translation(translation_id: int) -> ResponseReturnValue:
    """Approve the translation."""
    user = current_user()
    assert user is not None
    approve(uow(), translation_id, user)
    return redirect(url_for("review.workspace", translation_id=translation_id))


@bp.post("/translations/<int:translation_id>/publish")
@login_required
def publish_translation(translation_id: int) -> ResponseReturnValue:
    """Publish the approved translation."""
    user = current_user()
    assert user is not None
    publish(uow(), translation_id, user)
    return redirect(url_for("review.workspace", translation_id=translation_id))


@bp.post("/translations/<int:translation_id>/send-back")
@login_required
def send_back_translation(translation_id: int) -> ResponseReturnValue:
    """Return the translation to review with a note."""
    user = current_user()
    assert user is not None
    send_back(uow(), translation_id, user, request.form.get("note", ""))
    return redirect(url_for("review.workspace", translation_id=translation_id))
