"""The reviewer's use cases: correct segments, approve, and the publisher's send-back."""

from __future__ import annotations

from sqlalchemy import select, update

from workflow.errors import Conflict, Forbidden, InvalidInput, NotFound
from workflow.models import TranslatedSegment, Translation, User, utcnow
from workflow.queries import get_translation
from workflow.states import Event, State, audit, may, transition
from workflow.uow import UnitOfWork
from workflow.validation import clean_text

EDITABLE = {State.DRAFT.value, State.IN_REVIEW.value}


def save_segment(
    uow: UnitOfWork,
    translation_id: int,
    segment_id: int,
    text: object,
    revision: object,
    actor: User,
) -> TranslatedSegment:
    """Store the reviewer's text for one segment if nobody saved it since ``revision``."""
    t = get_translation(uow.session, translation_id, actor)
    if not may(actor, Event.EDIT, t.language):
        raise Forbidden(f"You do not review {t.language}; you cannot edit this translation.")
    if t.state not in EDITABLE:
        raise Conflict(f"This translation is {t.state}; only drafts and translations in "
                       "review can be edited.", state=t.state)
    new_text = clean_text(text, "text", max_chars=20_000).strip()
    if isinstance(revision, bool) or not isinstance(revision, int):
        raise InvalidInput("revision must be the integer revision you edited.", field="revision")
    if t.state == State.DRAFT.value:
        transition(t, Event.EDIT, actor)
    result = uow.session.execute(
        update(TranslatedSegment)
        .where(TranslatedSegment.id == segment_id,
               TranslatedSegment.translation_id == t.id,
               TranslatedSegment.revision == revision)
        .values(text=new_text, revision=TranslatedSegment.revision + 1, state="edited",
                edited_by_id=actor.id, edited_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    seg = uow.session.scalars(
        select(TranslatedSegment).where(TranslatedSegment.id == segment_id,
                                        TranslatedSegment.translation_id == t.id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if seg is None:
        raise NotFound(f"Translation {t.id} has no segment {segment_id}.")
    if result.rowcount != 1:  # type: ignore[attr-defined]
        uow.rollback()
        raise Conflict(
            "Someone saved this segment after you opened it. Their text is shown; "
            "merge your change into it and save again.",
            current_text=seg.text, current_revision=seg.revision,
        )
    audit(actor, "segment.save", t, note=f"segment {seg.position} → revision {seg.revision}")
    uow.commit()
    return seg


def approve(uow: UnitOfWork, translation_id: int, actor: User) -> Translation:
    """Approve a reviewed translation for publishing."""
    t = get_translation(uow.session, translation_id, actor)
    transition(t, Event.APPROVE, actor)
    uow.commit()
    return t


def send_back(uow: UnitOfWork, translation_id: int, actor: User, note: str) -> Translation:
    """Return an approved or published translation to review, saying why."""
    t = get_translation(uow.session, translation_id, actor)
    transition(t, Event.SEND_BACK, actor, note=note)
    uow.commit()
    return t
