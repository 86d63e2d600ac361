"""What the desk learned from reviewers, and the review policies that act on it."""

from __future__ import annotations

from typing import Any

from flask import current_app

from web.api import schemas as s
from web.api.blueprint import WRITE_ERRORS, api_user, bp, errors
from web.context import uow
from workflow.quality import quality_for
from workflow.services.policies import preconfirm_thresholds, set_preconfirm


@bp.route("/quality", methods=["GET"])
@bp.doc(operationId="quality")
@bp.response(200, s.Quality)
@errors(401, 403)
def quality() -> object:
    """Per pair: engines, samples, chrF/TER with 95% intervals, confidence, the choice."""
    settings = current_app.extensions["linguadesk.settings"]
    pairs = quality_for(uow().session, api_user(), settings)
    return {"pairs": [p.as_json() for p in pairs]}


@bp.route("/policies/<lang:lang>", methods=["GET"])
@bp.doc(operationId="read_review_policy")
@bp.response(200, s.ReviewPolicyNow)
@errors(401, 403, 404)
def read_review_policy(lang: str) -> object:
    """The language's pre-confirm threshold (``min_confidence``), null when it is off."""
    thresholds = preconfirm_thresholds(uow().session, api_user())
    return {"language": lang, "min_confidence": thresholds.get(lang)}


@bp.route("/policies/<lang:lang>", methods=["PUT"])
@bp.doc(operationId="set_review_policy")
@bp.arguments(s.ReviewPolicy)
@bp.response(200, s.ReviewPolicyNow)
@errors(*WRITE_ERRORS)
def set_review_policy(data: dict[str, Any], lang: str) -> object:
    """Pre-confirm drafts above ``min_confidence`` that pass QA or match the memory."""
    policy = set_preconfirm(uow(), api_user(), lang, data["min_confidence"])
    return {"language": lang, "min_confidence": policy.min_confidence if policy else None}
