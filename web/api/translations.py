"""Translations through the API: read, edit segments, approve, publish, send back, retry."""

from __future__ import annotations

from typing import Any

from web.api import schemas as s
from web.api.articles import EDITION_LINKS
from web.api.blueprint import READ_ERRORS, WRITE_ERRORS, api_user, bp, errors
from web.context import uow
from workflow.models import TranslatedSegment, Translation
from workflow.queries import get_translation
from workflow.services.jobs import retry
from workflow.services.publishing import publish
from workflow.services.review import approve, save_segment, send_back
from workflow.services.updates import outdated_for
from workflow.services.webhooks import delivery_log


@bp.route("/translations/<id:translation_id>", methods=["GET"])
@bp.doc(operationId="read_translation", responses={200: {"links": {
    "ReadArticle": {"operationId": "read_article",
                    "parameters": {"article_id": "$response.body#/article_id"}},
    "EditFirstSegment": {"operationId": "update_segment", "parameters": {
        "translation_id": "$response.body#/id",
        "segment_id": "$response.body#/segments/0/id"}},
    **{name: {"operationId": operation, "parameters": {"translation_id": "$response.body#/id"}}
       for name, operation in (("Approve", "approve_translation"),
                               ("Publish", "publish_translation"),
                               ("SendBack", "send_back_translation"),
                               ("Retry", "retry_translation"),
                               ("Outdated", "outdated_segments"))},
}}})
@bp.response(200, s.Translation)
@errors(*READ_ERRORS)
def read_translation(translation_id: int) -> Translation:
    """A translation with its segments."""
    return get_translation(uow().session, translation_id, api_user())


@bp.route("/translations/<id:translation_id>/segments/<id:segment_id>", methods=["PUT"])
@bp.doc(operationId="update_segment")
@bp.arguments(s.SegmentEdit)
@bp.response(200, s.Segment)
@errors(*WRITE_ERRORS, 415)
def update_segment(data: dict[str, Any], translation_id: int,
                   segment_id: int) -> TranslatedSegment:
    """Save a reviewer's text; 409 with the current text when ``revision`` is stale."""
    return save_segment(uow(), translation_id, segment_id, data["text"], data["revision"],
                        api_user(), confirm=data["confirm"])


@bp.route("/translations/<id:translation_id>/outdated", methods=["GET"])
@bp.doc(operationId="outdated_segments")
@bp.response(200, s.OutdatedSegment(many=True))
@errors(*READ_ERRORS)
def outdated_segments(translation_id: int) -> object:
    """Segments source updates set aside, with the reviewer's text kept."""
    t = get_translation(uow().session, translation_id, api_user())
    return outdated_for(uow(), t.id)


@bp.route("/translations/<id:translation_id>/approve", methods=["POST"])
@bp.doc(operationId="approve_translation")
@bp.arguments(s.Approval, required=False)
@bp.response(200, s.TranslationSummary)
@errors(*WRITE_ERRORS, 415)
def approve_translation(data: dict[str, Any], translation_id: int) -> Translation:
    """Approve a translation; 409 lists the QA issues when they block it."""
    return approve(uow(), translation_id, api_user(), data.get("reason"))


@bp.route("/translations/<id:translation_id>/publish", methods=["POST"])
@bp.doc(operationId="publish_translation", responses={201: {"links": EDITION_LINKS}})
@bp.response(201, s.Publication, description="The new (or, for a repeated request, the same) "
             "edition.")
@errors(*WRITE_ERRORS)
def publish_translation(translation_id: int) -> object:
    """Publish an approved translation."""
    return publish(uow(), translation_id, api_user())


@bp.route("/translations/<id:translation_id>/send-back", methods=["POST"])
@bp.doc(operationId="send_back_translation")
@bp.arguments(s.SendBack)
@bp.response(200, s.TranslationSummary)
@errors(*WRITE_ERRORS, 415)
def send_back_translation(data: dict[str, Any], translation_id: int) -> Translation:
    """Return a translation to review with a note."""
    return send_back(uow(), translation_id, api_user(), data["note"])


@bp.route("/translations/<id:translation_id>/retry", methods=["POST"])
@bp.doc(operationId="retry_translation")
@bp.response(200, s.TranslationSummary)
@errors(*WRITE_ERRORS)
def retry_translation(translation_id: int) -> Translation:
    """Queue a failed translation again."""
    return retry(uow(), translation_id, api_user())


@bp.route("/webhooks/deliveries", methods=["GET"])
@bp.doc(operationId="webhook_deliveries")
@bp.response(200, s.WebhookDelivery(many=True))
@errors(401, 403)
def webhook_deliveries() -> object:
    """The webhook delivery log (admins only)."""
    return delivery_log(uow(), api_user())
