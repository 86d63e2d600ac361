"""The editors' dashboard: submit articles and watch every language's progress."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from web.context import current_user, login_required, uow
from workflow.errors import DomainError
from workflow.models import Article
from workflow.queries import article_filter, get_article
from workflow.services.articles import preview, submit_article
from workflow.services.jobs import retry
from workflow.services.publishing import history, live_languages, publish_source, unpublish

bp = Blueprint("dashboard", __name__)


def _articles() -> list[Article]:
    user = current_user()
    assert user is not None
    return list(uow().session.scalars(
        select(Article).where(article_filter(user))
        .options(selectinload(Article.translations), selectinload(Article.versions))
        .order_by(Article.created_at.desc(), Article.id.desc()).limit(200)
    ))


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """The list of articles with the state of each language."""
    return render_template("dashboard.html", articles=_articles(), form={}, error=None,
                           extraction=None)


def _corrections() -> dict[str, object] | None:
    """The extracted fields as the editor corrected them (only once they saw a preview)."""
    form = request.form
    if not form.get("corrected"):
        return None
    return {k: form.get(k, "") for k in ("standfirst", "author", "date", "source", "credits")}


@bp.post("/articles/preview")
@login_required
def preview_submission() -> ResponseReturnValue:
    """Show what would be extracted from the pasted text, in the form, to correct it."""
    form = request.form.copy()
    try:
        ex = preview(form.get("body", ""), form.get("format", "auto"),
                     max_chars=current_app.config["MAX_ARTICLE_CHARS"],
                     corrections=_corrections())
    except DomainError as exc:
        return render_template("dashboard.html", articles=_articles(), form=form,
                               error=exc.message, extraction=None), exc.status
    if not form.get("title", "").strip():
        form["title"] = ex.headline
    if not form.get("corrected"):
        for key in ("standfirst", "author", "date", "source"):
            form[key] = getattr(ex, key)
        form["credits"] = "\n".join(ex.credits)
    form["corrected"] = "1"
    return render_template("dashboard.html", articles=_articles(), form=form, error=None,
                           extraction=ex)


@bp.post("/articles")
@login_required
def submit() -> ResponseReturnValue:
    """Submit a new article; on bad input, show the form again with what was typed."""
    user = current_user()
    assert user is not None
    form = request.form
    try:
        article = submit_article(
            uow(), user, title=form.get("title", ""), body=form.get("body", ""),
            source_language=form.get("source_language", ""),
            target_languages_=form.getlist("target_languages"),
            format=form.get("format", "text"),
            max_chars=current_app.config["MAX_ARTICLE_CHARS"], corrections=_corrections(),
        )
    except DomainError as exc:
        uow().rollback()
        return render_template("dashboard.html", articles=_articles(), form=form,
                               error=exc.message, extraction=None), exc.status
    return redirect(url_for("dashboard.article", article_id=article.id))


@bp.get("/articles/<int:article_id>")
@login_required
def article(article_id: int) -> ResponseReturnValue:
    """One article: its source and every translation's state."""
    user = current_user()
    assert user is not None
    art = get_article(uow().session, article_id, user)
    return render_template("article.html", article=art, live=live_languages(uow(), art.id),
                           publications=history(uow(), art.id))


@bp.post("/translations/<int:translation_id>/retry")
@login_required
def retry_translation(translation_id: int) -> ResponseReturnValue:
    """Queue a failed translation again."""
    user = current_user()
    assert user is not None
    t = retry(uow(), translation_id, user)
    return redirect(url_for("dashboard.article", article_id=t.article_id))


@bp.post("/articles/<int:article_id>/publish-source")
@login_required
def publish_source_edition(article_id: int) -> ResponseReturnValue:
    """Publish the article in its own language."""
    user = current_user()
    assert user is not None
    publish_source(uow(), article_id, user)
    return redirect(url_for("dashboard.article", article_id=article_id))


@bp.post("/articles/<int:article_id>/editions/<lang>/unpublish")
@login_required
def unpublish_edition(article_id: int, lang: str) -> ResponseReturnValue:
    """Take an edition down (410); its history is kept."""
    user = current_user()
    assert user is not None
    unpublish(uow(), article_id, lang, user)
    return redirect(url_for("dashboard.article", article_id=article_id))
