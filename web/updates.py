"""Updating a source article, and showing reviewers what the update changed (pages; the
API's PUT /articles/{id} lives in web.api)."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from web.context import login_required, require, signed_in_user, uow
from web.diff import diff_html
from web.errors import message_of, status_of
from workflow.errors import DomainError
from workflow.languages import get_language
from workflow.permissions import Action
from workflow.queries import get_article, get_translation
from workflow.services.updates import outdated_for, update_article

bp = Blueprint("updates", __name__)


def _edit_page(article_id: int, form: dict[str, str] | None, error: str | None,
               status: int = 200) -> ResponseReturnValue:
    user = require(Action.UPDATE_SOURCE)
    art = get_article(uow().session, article_id, user)
    if form is None:
        form = {"title": art.latest.title, "body": art.latest.body}
    return render_template("update_article.html", article=art, form=form, error=error), status


@bp.get("/articles/<int:article_id>/edit")
@login_required
def edit(article_id: int) -> ResponseReturnValue:
    """The form that updates an article's source text."""
    return _edit_page(article_id, None, None)


@bp.post("/articles/<int:article_id>/edit")
@login_required
def save(article_id: int) -> ResponseReturnValue:
    """Save a new version; on bad input, show the form again with what was typed."""
    user = signed_in_user()
    form = {"title": request.form.get("title", ""), "body": request.form.get("body", "")}
    try:
        update_article(uow(), article_id, user, title=form["title"], body=form["body"],
                       max_chars=current_app.config["MAX_ARTICLE_CHARS"])
    except DomainError as exc:
        uow().rollback()
        return _edit_page(article_id, form, message_of(exc), status_of(exc))
    return redirect(url_for("dashboard.article", article_id=article_id))


@bp.get("/translations/<int:translation_id>/changes")
@login_required
def changes(translation_id: int) -> ResponseReturnValue:
    """What source updates changed under this translation, and what the reviewer had."""
    user = signed_in_user()
    t = get_translation(uow().session, translation_id, user)
    items = [(o, diff_html(o.source_text, o.new_source_text) if o.new_source_text else None)
             for o in outdated_for(uow(), t.id)]
    return render_template("changes.html", t=t, items=items, language=get_language(t.language))
