"""The review workspace: source and draft side by side, approve, publish, send back.

Every action works as a plain form; the workspace script uses the JSON twins of the
segment save, sending the CSRF token in the X-CSRFToken header.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from markupsafe import Markup

from web.context import login_required, signed_in_user, uow
from web.diff import diff_html, glossary_marks
from web.errors import message_of, status_of
from web.exchange import import_report_json, xliff_download
from web.i18n import language_names, segment_label
from workflow import memory
from workflow.confidence import LOW
from workflow.edition_slugs import proposed_slug, set_slug
from workflow.errors import N_, Conflict, DomainError, InvalidInput
from workflow.glossary import term_spans, terms_for
from workflow.ingest.inline import strip_placeholders
from workflow.languages import get_language
from workflow.models import SegmentState, State, TranslatedSegment, Translation
from workflow.permissions import Action, can
from workflow.qa import SEVERITY_WORDS, Issue
from workflow.queries import get_translation
from workflow.services.assignments import assign, assignment_of, claim, reviewers_for
from workflow.services.comments import add_comment, comments_on
from workflow.services.publishing import publish, render_translation
from workflow.services.review import (
    EDITABLE,
    QABlocked,
    approve,
    save_segment,
    segment_issues,
    send_back,
)
from workflow.services.xliff import export_xliff, import_xliff
from workflow.uow import UnitOfWork

bp = Blueprint("review", __name__)



def _progress(t: Translation) -> dict[str, int]:
    done = sum(1 for s in t.segments if s.state == SegmentState.CONFIRMED)
    return {"confirmed": done, "total": len(t.segments)}


def issue_json(issue: Issue) -> dict[str, str]:
    """A QA issue for the page and its script, in the reader's language (``severity`` and
    ``check`` are codes; ``label`` names the severity)."""
    return {"check": issue.check, "severity": issue.severity,
            "label": gettext(SEVERITY_WORDS[issue.severity]),
            "message": issue.translated(gettext)}


def _page(translation_id: int, status: int = 200, **extra: object) -> ResponseReturnValue:
    user = signed_in_user()
    unit = uow()
    t = get_translation(unit.session, translation_id, user)
    entries = terms_for(unit.session, t.language)
    issues = segment_issues(unit, t)
    fuzzy = memory.fuzzy_matches(unit.session, t.article.source_language, t.language,
                                 [s.source_text for s in t.segments])
    comments = comments_on(unit, t.id, user)
    rows = [{
        "seg": s, "label": segment_label(s.state),
        "issues": [issue_json(i) for i in issues[s.id]],
        "flags": s.flags_in(gettext, language_names),
        "source_html": glossary_marks(term_spans(s.source_text, entries)),
        "diff": diff_html(s.mt_text, s.text) if s.mt_text else None,
        "fuzzy": fuzzy.get(s.source_text, []),
        "comments": [c for c in comments if c.segment_id == s.id],
    } for s in t.segments]
    return render_template(
        "review.html", t=t, rows=rows, language=get_language(t.language), low_confidence=LOW,
        source_language=get_language(t.article.source_language),
        general_comments=[c for c in comments if c.segment_id is None],
        assignment=assignment_of(unit, t.id), progress=_progress(t),
        can_edit=can(user, Action.EDIT, t) and t.state in EDITABLE,
        can_exchange=can(user, Action.EDIT, t),
        can_approve=can(user, Action.APPROVE, t),
        can_retry=t.state == State.FAILED and can(user, Action.RETRY, t),
        for_people=any(f["code"] == "no_engine" for s in t.segments for f in s.flags),
        can_publish=can(user, Action.PUBLISH, t),
        can_claim=can(user, Action.CLAIM, t),
        can_assign=can(user, Action.ASSIGN), slug=_slug(unit, t),
        reviewers=reviewers_for(unit, t.language) if can(user, Action.ASSIGN) else [], **extra,
    ), status


def _slug(unit: UnitOfWork, t: Translation) -> str:
    """The edition's address, or the one it will get from its title when published."""
    title = next((strip_placeholders(s.text) for s in t.segments if s.kind == "title"), "")
    return proposed_slug(unit.session, t.article, t.language, title)


@bp.get("/translations/<int:translation_id>")
@login_required
def workspace(translation_id: int) -> ResponseReturnValue:
    """Source and draft side by side, segment by segment."""
    return _page(translation_id)


@bp.get("/translations/<int:translation_id>/preview")
@login_required
def preview(translation_id: int) -> ResponseReturnValue:
    """The translated article as it would be published, from the current text."""
    t = get_translation(uow().session, translation_id, signed_in_user())
    rendered = render_translation(uow(), t)
    return render_template("preview.html", t=t, title=rendered.title,
                           body=Markup(rendered.html),
                           language=get_language(t.language))


@bp.post("/translations/<int:translation_id>/segments/<int:segment_id>")
@login_required
def save(translation_id: int, segment_id: int) -> ResponseReturnValue:
    """Save one segment; a stale revision shows the other person's text beside yours."""
    user = signed_in_user()
    text = request.form.get("text", "")
    try:
        revision = int(request.form.get("revision", ""))
    except ValueError:
        revision = -1
    confirm = request.form.get("action") == "confirm"
    try:
        save_segment(uow(), translation_id, segment_id, text, revision, user, confirm=confirm)
    except Conflict as exc:
        uow().rollback()
        return _page(translation_id, 409, conflict={"segment_id": segment_id, "mine": text,
                                                    "message": message_of(exc), **exc.details})
    except DomainError as exc:
        uow().rollback()
        return _page(translation_id, status_of(exc),
                     error={"segment_id": segment_id, "mine": text, "message": message_of(exc)})
    return redirect(url_for("review.workspace", translation_id=translation_id,
                            _anchor=f"seg-{segment_id}"))


def _segment_json(t: Translation, seg: TranslatedSegment, issues: list[Issue]) -> dict[str, Any]:
    return {"id": seg.id, "text": seg.text, "revision": seg.revision, "state": seg.state,
            "label": segment_label(seg.state),
            "issues": [issue_json(i) for i in issues],
            "diff": str(diff_html(seg.mt_text, seg.text)) if seg.mt_text else None}


@bp.post("/translations/<int:translation_id>/segments/<int:segment_id>.json")
@login_required
def save_json(translation_id: int, segment_id: int) -> ResponseReturnValue:
    """The script's save: JSON in and out; 409 carries the other person's text."""
    data = request.get_json(silent=True)
    unit = uow()
    try:
        if not isinstance(data, dict):
            raise InvalidInput(N_("Send a JSON object with text and revision."))
        seg = save_segment(unit, translation_id, segment_id, data.get("text"),
                           data.get("revision"), signed_in_user(),
                           confirm=bool(data.get("confirm")))
    except DomainError as exc:
        unit.rollback()
        return (jsonify({"error": exc.code, "message": message_of(exc), **exc.details}),
                status_of(exc))
    t = get_translation(unit.session, translation_id, signed_in_user())
    unit.session.refresh(t)
    issues = segment_issues(unit, t)[seg.id]
    return jsonify({"segment": _segment_json(t, seg, issues), "progress": _progress(t),
                    "translation_state": t.state})


@bp.post("/translations/<int:translation_id>/comments")
@login_required
def comment(translation_id: int) -> ResponseReturnValue:
    """Comment on the translation, or on one segment when segment_id is given."""
    raw = request.form.get("segment_id", "").strip()
    segment_id = int(raw) if raw.isdigit() else None
    add_comment(uow(), translation_id, signed_in_user(), request.form.get("body", ""), segment_id)
    anchor = f"seg-{segment_id}" if segment_id else "comments"
    return redirect(url_for("review.workspace", translation_id=translation_id, _anchor=anchor))


@bp.post("/translations/<int:translation_id>/claim")
@login_required
def claim_translation(translation_id: int) -> ResponseReturnValue:
    """A reviewer takes the draft."""
    claim(uow(), translation_id, signed_in_user())
    return redirect(url_for("review.workspace", translation_id=translation_id))


@bp.post("/translations/<int:translation_id>/assign")
@login_required
def assign_translation(translation_id: int) -> ResponseReturnValue:
    """An editor assigns the draft (to the least-loaded reviewer unless one is picked)."""
    raw = request.form.get("reviewer_id", "").strip()
    if raw and not raw.isdigit():
        raise InvalidInput(N_("Pick a reviewer from the list (reviewer_id is a user id)."),
                           field="reviewer_id")
    due_raw = request.form.get("due", "").strip()
    try:
        due = datetime.fromisoformat(due_raw).replace(tzinfo=UTC) if due_raw else None
    except ValueError as exc:
        raise InvalidInput(N_("The due date must look like 2026-12-31."), field="due") from exc
    assign(uow(), translation_id, signed_in_user(), int(raw) if raw else None, due)
    return redirect(url_for("review.workspace", translation_id=translation_id))


@bp.post("/translations/<int:translation_id>/approve")
@login_required
def approve_translation(translation_id: int) -> ResponseReturnValue:
    """Approve the translation; QA errors (or unexplained warnings) keep it in review."""
    try:
        approve(uow(), translation_id, signed_in_user(), request.form.get("reason"))
    except QABlocked as exc:
        uow().rollback()
        return _page(translation_id, status_of(exc), blocked=message_of(exc))
    return redirect(url_for("review.workspace", translation_id=translation_id))


@bp.post("/translations/<int:translation_id>/publish")
@login_required
def publish_translation(translation_id: int) -> ResponseReturnValue:
    """Publish the approved translation."""
    publish(uow(), translation_id, signed_in_user())
    return redirect(url_for("review.workspace", translation_id=translation_id))


@bp.post("/translations/<int:translation_id>/send-back")
@login_required
def send_back_translation(translation_id: int) -> ResponseReturnValue:
    """Return the translation to review with a note."""
    send_back(uow(), translation_id, signed_in_user(), request.form.get("note", ""))
    return redirect(url_for("review.workspace", translation_id=translation_id))


@bp.get("/translations/<int:translation_id>/xliff")
@login_required
def download_xliff(translation_id: int) -> ResponseReturnValue:
    """The translation as an XLIFF file for a CAT tool (1.2, or 2.1 with ?version=2.1)."""
    version = request.args.get("version", "1.2")
    data = export_xliff(uow(), translation_id, signed_in_user(), version)
    return xliff_download(data, translation_id, version)


@bp.post("/translations/<int:translation_id>/xliff")
@login_required
def upload_xliff(translation_id: int) -> ResponseReturnValue:
    """Read back an XLIFF file from a CAT tool; the page says what changed and what not."""
    upload = request.files.get("file")
    if upload is None:
        raise InvalidInput(N_("Choose the XLIFF file to upload."), field="file")
    unit = uow()
    try:
        report = import_xliff(unit, translation_id, upload.read(), signed_in_user())
    except DomainError as exc:
        unit.rollback()
        return _page(translation_id, status_of(exc), xliff_error=message_of(exc))
    return _page(translation_id, xliff_report=import_report_json(report))


@bp.post("/translations/<int:translation_id>/slug")
@login_required
def change_slug(translation_id: int) -> ResponseReturnValue:
    """The publisher sets the edition's address; a former one keeps redirecting (301)."""
    user = signed_in_user()
    t = get_translation(uow().session, translation_id, user)
    set_slug(uow(), user, t.article_id, t.language, request.form.get("slug", ""))
    return redirect(url_for("review.workspace", translation_id=translation_id))
