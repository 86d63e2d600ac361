"""The publisher's review policies per language."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow import audit
from workflow.errors import N_, Forbidden, InvalidInput
from workflow.languages import LANGUAGES
from workflow.models import ReviewPolicy, User
from workflow.permissions import Action, can
from workflow.uow import UnitOfWork


def set_preconfirm(uow: UnitOfWork, actor: User, language: str,
                   min_confidence: object) -> ReviewPolicy | None:
    """Pre-confirm confident drafts of ``language`` above ``min_confidence`` (None: off)."""
    if not can(actor, Action.SET_REVIEW_POLICY):
        raise Forbidden(N_("Only publishers set a language's review policy."))
    if language not in LANGUAGES:
        raise InvalidInput(N_("%(language)r is not a desk language; use one of %(languages)s."),
                           values={"language": language, "languages": ", ".join(LANGUAGES)},
                           field="language")
    policy = uow.session.get(ReviewPolicy, language)
    if min_confidence is None:
        if policy is not None:
            uow.session.delete(policy)
        note = f"{language}: pre-confirmation off; reviewers confirm every segment"
        policy = None
    else:
        if isinstance(min_confidence, bool) or not isinstance(min_confidence, int | float) \
                or not 0 < float(min_confidence) < 1:
            raise InvalidInput(N_("The minimum confidence is a number between 0 and 1 "
                                  "(exclusive), such as 0.9; or turn pre-confirmation off."),
                               field="min_confidence")
        if policy is None:
            policy = ReviewPolicy(language=language, min_confidence=float(min_confidence))
            uow.session.add(policy)
        policy.min_confidence, policy.set_by_id = float(min_confidence), actor.id
        note = (f"{language}: pre-confirm drafts with confidence above {float(min_confidence):.2f}"
                " that pass QA or match the memory")
    audit.record(uow.session, "policy.preconfirm", actor=actor, note=note)
    uow.commit()
    return policy


def preconfirm_thresholds(session: Session, actor: User) -> dict[str, float]:
    """Each language's pre-confirm threshold; a language missing here is reviewed in full."""
    if not can(actor, Action.SEE_QUALITY):
        raise Forbidden(N_("Only the desk's editors, reviewers and publishers see the review "
                           "policies."))
    rows = session.execute(select(ReviewPolicy.language, ReviewPolicy.min_confidence))
    return {language: threshold for language, threshold in rows.tuples()}
