"""The editors' dashboard: submit articles and watch every language's progress."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from web import health
from web.context import login_required, require, signed_in_user, uow
from web.errors import message_of, status_of
from web.i18n import STATE_LABELS
from workflow import capabilities
from workflow.edition_slugs import live_addresses
from workflow.errors import DomainError, NoHeadline
from workflow.languages import LANGUAGES
from workflow.listing import ArticleRow, article_page
from workflow.permissions import Action, can
from workflow.queries import get_article
from workflow.services.articles import preview, submit_article
from workflow.services.jobs import retry
from workflow.services.progress import statuses
from workflow.services.publishing import history, live_languages, publish_source, unpublish

bp = Blueprint("dashboard", __name__)


PAGE_SIZE = 25


def _page() -> int:
    raw = request.args.get("page", "1")
    return min(int(raw), 100_000) if raw.isdigit() and int(raw) > 0 else 1


def _articles(page: int = 1) -> list[ArticleRow]:
    user = signed_in_user()
    return article_page(uow().session, user, page, PAGE_SIZE)


def engine_notes() -> dict[str, dict[str, str]]:
    """Source → target → what will translate it, as the workers recorded (no model loads)."""
    known = capabilities.table(uow().session)
    # The two notes the workflow writes in English, in the reader's language.
    unknown = gettext("not known yet: no worker has said what it can translate")
    by_people = gettext("no engine: a reviewer translates from the source")

    def note(src: str, tgt: str) -> str:
        if known is None:
            return unknown
        offer = known.get(src, {}).get(tgt)
        return offer.how if offer is not None and offer.how else by_people

    return {src: {tgt: note(src, tgt) for tgt in LANGUAGES if tgt != src} for src in LANGUAGES}


def _render(form: Any, error: str | None, status: int = 200,
            extraction: object = None) -> ResponseReturnValue:
    page = _page()
    articles = _articles(page)
    # Links are built once per page, not once per row: url_for is the list's hot spot.
    links = {"article": url_for("dashboard.article", article_id=0).removesuffix("0"),
             "workspace": url_for("review.workspace", translation_id=0).removesuffix("0")}
    notes = engine_notes() if can(signed_in_user(), Action.SEE_ENGINE_NOTES) else {}
    return render_template("dashboard.html", articles=articles[:PAGE_SIZE], page=page,
                           has_next=len(articles) > PAGE_SIZE, warnings=health.warnings(),
                           links=links, form=form, error=error, extraction=extraction,
                           engine_notes=notes,
                           # Each label translated once per page, not twice per row's language.
                           state_labels={state: str(label)
                                         for state, label in STATE_LABELS.items()},
                           chosen_source=form.get("source_language") or "en"), status


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """The list of articles with the state of each language, a page at a time."""
    return _render({}, None)


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
    require(Action.SUBMIT)
    form = request.form.copy()
    try:
        ex = preview(form.get("body", ""), form.get("format", "auto"),
                     max_chars=current_app.config["MAX_ARTICLE_CHARS"],
                     corrections=_corrections())
    except DomainError as exc:
        return _render(form, message_of(exc), status_of(exc))
    if not form.get("title", "").strip():
        form["title"] = ex.headline
    if not form.get("corrected"):
        for key in ("standfirst", "author", "date", "source"):
            form[key] = getattr(ex, key)
        form["credits"] = "\n".join(ex.credits)
    form["corrected"] = "1"
    # The extraction is still shown; a missing headline is said above it, as submitting would.
    missing = None if form["title"].strip() else message_of(NoHeadline())
    return _render(form, missing, extraction=ex)


@bp.post("/articles")
@login_required
def submit() -> ResponseReturnValue:
    """Submit a new article; on bad input, show the form again with what was typed."""
    user = signed_in_user()
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
        return _render(form, message_of(exc), status_of(exc))
    return redirect(url_for("dashboard.article", article_id=article.id))


@bp.get("/articles/<int:article_id>")
@login_required
def article(article_id: int) -> ResponseReturnValue:
    """One article: its source and every translation's state."""
    user = signed_in_user()
    art = get_article(uow().session, article_id, user)
    return render_template("article.html", article=art, live=live_languages(uow(), art.id),
                           addresses=live_addresses(uow().session, art.id),
                           publications=history(uow(), art.id))


@bp.post("/translations/<int:translation_id>/retry")
@login_required
def retry_translation(translation_id: int) -> ResponseReturnValue:
    """Queue a failed translation again."""
    user = signed_in_user()
    t = retry(uow(), translation_id, user)
    return redirect(url_for("dashboard.article", article_id=t.article_id))


@bp.post("/articles/<int:article_id>/publish-source")
@login_required
def publish_source_edition(article_id: int) -> ResponseReturnValue:
    """Publish the article in its own language."""
    user = signed_in_user()
    publish_source(uow(), article_id, user)
    return redirect(url_for("dashboard.article", article_id=article_id))


@bp.post("/articles/<int:article_id>/editions/<lang>/unpublish")
@login_required
def unpublish_edition(article_id: int, lang: str) -> ResponseReturnValue:
    """Take an edition down (410); its history is kept."""
    user = signed_in_user()
    unpublish(uow(), article_id, lang, user)
    return redirect(url_for("dashboard.article", article_id=article_id))


MAX_WATCHED = 200


@bp.get("/progress.json")
@login_required
def progress() -> ResponseReturnValue:
    """State and sentence progress of the translations in ``ids`` (the page script polls it)."""
    raw = [part.strip() for part in request.args.get("ids", "").split(",") if part.strip()]
    if not raw or len(raw) > MAX_WATCHED or not all(p.isdigit() and len(p) < 10 for p in raw):
        return jsonify({"error": "invalid_input",
                        "message": f"ids must be 1 to {MAX_WATCHED} translation ids separated "
                                   "by commas, e.g. ids=4,5,6."}), 400
    found = statuses(uow().session, signed_in_user(), (int(p) for p in raw))
    # The state in words of the reader's language, as the page around it is written.
    return jsonify({"translations": [
        {**s.as_json(), "label": str(STATE_LABELS.get(s.state, s.label))} for s in found]})
