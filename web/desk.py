"""The desk's own pages: a reviewer's inbox, the glossary, the audit log, MT quality and the
review policies."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from web.charts import line_chart
from web.context import login_required, require, signed_in_user, uow
from web.errors import message_of, status_of
from web.exchange import glossary_download
from workflow import audit as audit_trail
from workflow import post_edit
from workflow.errors import N_, DomainError, InvalidInput
from workflow.glossary import add_term, all_terms, delete_term
from workflow.languages import LANGUAGES
from workflow.permissions import Action, can
from workflow.quality import quality_for
from workflow.services.assignments import inbox as inbox_of
from workflow.services.glossary_files import apply_import, export_glossary, plan_import
from workflow.services.policies import preconfirm_thresholds, set_preconfirm

bp = Blueprint("desk", __name__)
AUDIT_PAGE = 200



@bp.get("/inbox")
@login_required
def inbox() -> ResponseReturnValue:
    """What the reviewer holds (with due dates) and what waits in their languages."""
    user = require(Action.REVIEW)
    return render_template("inbox.html", box=inbox_of(uow(), user))


@bp.get("/glossary")
@login_required
def glossary() -> ResponseReturnValue:
    """The glossary, by language; admins add and remove entries here."""
    return render_template("glossary.html", terms=all_terms(uow().session),
                           can_manage=can(signed_in_user(), Action.MANAGE_GLOSSARY))


@bp.post("/glossary")
@login_required
def add_glossary_term() -> ResponseReturnValue:
    """Add or replace a glossary entry."""
    form = request.form
    add_term(uow(), signed_in_user(), term=form.get("term", ""), language=form.get("language", ""),
             translation=form.get("translation", ""),
             do_not_translate=bool(form.get("do_not_translate")),
             forbidden=bool(form.get("forbidden")), note=form.get("note", ""))
    return redirect(url_for("desk.glossary"))


@bp.post("/glossary/<int:term_id>/delete")
@login_required
def delete_glossary_term(term_id: int) -> ResponseReturnValue:
    """Remove a glossary entry."""
    delete_term(uow(), signed_in_user(), term_id)
    return redirect(url_for("desk.glossary"))


@bp.get("/glossary.<fmt>")
@login_required
def download_glossary(fmt: str) -> ResponseReturnValue:
    """The glossary as a CSV or TBX file."""
    return glossary_download(export_glossary(uow(), fmt), fmt)


def _upload() -> tuple[bytes, str]:
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.read()
        fmt = request.form.get("format") or upload.filename.rpartition(".")[2].lower()
    else:  # the preview page sends the file's text back with the Apply button
        data = request.form.get("content", "").encode()
        fmt = request.form.get("format", "")
    if not data:
        raise InvalidInput(N_("Choose a CSV or TBX glossary file."), field="file")
    return data, fmt


@bp.post("/glossary/import")
@login_required
def preview_glossary_import() -> ResponseReturnValue:
    """What the uploaded file would change, with a button to apply exactly that."""
    data, fmt = _upload()
    plan = plan_import(uow(), signed_in_user(), data, fmt)
    return render_template("glossary_import.html", plan=plan, fmt=fmt,
                           content=data.decode("utf-8-sig", errors="replace"))


@bp.post("/glossary/import/apply")
@login_required
def apply_glossary_import() -> ResponseReturnValue:
    """Apply a previewed import, if the glossary has not changed since the preview."""
    data, fmt = _upload()
    apply_import(uow(), signed_in_user(), data, fmt, request.form.get("digest", ""))
    return redirect(url_for("desk.glossary"))


@bp.get("/audit")
@login_required
def audit() -> ResponseReturnValue:
    """Every recorded action, newest first, filterable by article, user and action."""
    if not can(signed_in_user(), Action.READ_AUDIT):
        abort(403, description=gettext("The audit log is for admins."))
    args = request.args
    article = args.get("article", "").strip()
    if article and not article.isdigit():
        abort(400, description=gettext("article must be an article id (a number)."))
    email = args.get("user", "").strip().lower()
    action = args.get("action", "").strip()
    session = uow().session
    events = audit_trail.search(session, article_id=int(article) if article else None,
                                email=email, action=action, limit=AUDIT_PAGE)
    return render_template("audit.html", events=events, actions=audit_trail.actions(session),
                           filters={"article": article, "user": email, "action": action})


@bp.get("/quality")
@login_required
def quality() -> ResponseReturnValue:
    """Post-edit distance per engine and language over time, and the review policies."""
    return _quality_page()


def _quality_page(status: int = 200, **extra: object) -> ResponseReturnValue:
    user = require(Action.SEE_QUALITY)
    session = uow().session
    rows = post_edit.by_engine_language_day(session)
    charts = [line_chart(rows, "ter", gettext("TER per engine and language (lower is better)"),
                         "chart-ter"),
              line_chart(rows, "chrf", gettext("chrF per engine and language (higher is better)"),
                         "chart-chrf")] if rows else []
    return render_template("quality.html", rows=rows, charts=charts,
                           pairs=quality_for(session, user,
                                             current_app.extensions["linguadesk.settings"]),
                           languages=list(LANGUAGES.values()),
                           thresholds=preconfirm_thresholds(session, user),
                           can_set_policy=can(user, Action.SET_REVIEW_POLICY), **extra), status


@bp.post("/quality/policies/<lang:lang>")
@login_required
def set_review_policy(lang: str) -> ResponseReturnValue:
    """A publisher sets the language's pre-confirm threshold, or turns it off."""
    user = require(Action.SET_REVIEW_POLICY)
    raw = request.form.get("min_confidence", "").strip()
    try:
        threshold = None if request.form.get("action") == "off" else _threshold(raw)
        set_preconfirm(uow(), user, lang, threshold)
    except DomainError as exc:
        uow().rollback()
        return _quality_page(status_of(exc), policy_error={
            "language": lang, "value": raw, "message": message_of(exc)})
    return redirect(url_for("desk.quality", _anchor=f"policy-{lang}"))


def _threshold(raw: str) -> float:
    """The form's threshold as a number (a decimal comma is read as a point); the service
    says which numbers it takes."""
    try:
        return float(raw.replace(",", "."))
    except ValueError as exc:
        raise InvalidInput(N_("Write the minimum confidence as a number between 0 and 1, such "
                              "as 0.9."), field="min_confidence") from exc
