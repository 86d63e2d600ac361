"""The reviewer's use cases: correct segments, approve, and the publisher's send-back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update

from workflow import memory, messages, post_edit
from workflow.errors import N_, Conflict, Forbidden, InvalidInput, NotFound
from workflow.glossary import qa_terms, terms_for
from workflow.models import QAOverride, TranslatedSegment, Translation, User, utcnow
from workflow.permissions import Action, can, reviews
from workflow.qa import Issue, check_segment
from workflow.queries import get_translation
from workflow.services.assignments import assignment_of, take
from workflow.services.notifications import notify
from workflow.states import Event, SegmentState, State, audit, check, state_word, transition
from workflow.uow import UnitOfWork
from workflow.validation import MAX_SEGMENT_CHARS, clean_text

EDITABLE = frozenset({State.DRAFT, State.IN_REVIEW})


def save_segment(
    uow: UnitOfWork,
    translation_id: int,
    segment_id: int,
    text: object,
    revision: object,
    actor: User,
    confirm: bool = False,
) -> TranslatedSegment:
    """Store the reviewer's text for one segment if nobody saved it since ``revision``.

    ``confirm`` marks the segment as done; otherwise it is left as edited.
    """
    t = get_translation(uow.session, translation_id, actor)
    if not can(actor, Action.EDIT, t):
        raise Forbidden(N_("You do not review %(language)s; you cannot edit this translation."),
                        values={"language": t.language})
    if t.state not in EDITABLE:
        raise Conflict(N_("This translation is %(state)s; only drafts and translations in review "
                          "can be edited."), values={"state": state_word(t.state)}, state=t.state)
    new_text = clean_text(text, "text", max_chars=MAX_SEGMENT_CHARS).strip()
    if isinstance(revision, bool) or not isinstance(revision, int):
        raise InvalidInput(N_("revision must be the integer revision you edited."),
                           field="revision")
    seg = store_segment(uow, t, segment_id, new_text, revision, actor, confirm)
    uow.commit()
    return seg


def store_segment(uow: UnitOfWork, t: Translation, segment_id: int, new_text: str,
                  revision: int, actor: User, confirm: bool) -> TranslatedSegment:
    """Write one checked segment text at ``revision``, with its audit event; no commit.

    The caller has checked that ``actor`` may edit ``t`` and that ``t`` is editable.
    """
    if t.state == State.DRAFT.value:
        transition(t, Event.EDIT, actor)
    if reviews(actor, t.language):
        take(uow, t, actor)  # the first reviewer to edit a draft claims it
    result = uow.session.execute(
        update(TranslatedSegment)
        .where(TranslatedSegment.id == segment_id,
               TranslatedSegment.translation_id == t.id,
               TranslatedSegment.revision == revision)
        .values(text=new_text, revision=TranslatedSegment.revision + 1,
                state=SegmentState.CONFIRMED if confirm else SegmentState.EDITED,
                edited_by_id=actor.id, edited_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    seg = uow.session.scalars(
        select(TranslatedSegment).where(TranslatedSegment.id == segment_id,
                                        TranslatedSegment.translation_id == t.id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if seg is None:
        raise NotFound(N_("Translation %(id)s has no segment %(segment_id)s."),
                       values={"id": t.id, "segment_id": segment_id})
    if result.rowcount != 1:  # type: ignore[attr-defined]
        uow.rollback()
        raise Conflict(
            N_("Someone saved this segment after you opened it. Their text is shown; "
               "merge your change into it and save again."),
            current_text=seg.text, current_revision=seg.revision,
        )
    audit(actor, "segment.save", t, note=f"segment {seg.position} → revision {seg.revision}")
    return seg


def segment_issues(uow: UnitOfWork, t: Translation) -> dict[int, list[Issue]]:
    """The QA issues of every segment of ``t``, by segment id."""
    terms = qa_terms(terms_for(uow.session, t.language))
    return {s.id: check_segment(s.source_text, s.text, terms) for s in t.segments}


class QABlocked(Conflict):
    """Approval refused: QA errors, or warnings nobody gave a reason to let through.

    ``issues`` (in ``details``) lists every issue found, each message in English; a reader
    gets them in their language from ``details_in``.
    """

    code = "qa_blocked"

    def __init__(self, message: str, /, *, values: dict[str, object],
                 found: list[tuple[int, Issue]]) -> None:
        super().__init__(message, values=values, issues=_issues_json(found, str))
        self.found = found

    def details_in(self, gettext: Callable[[str], str]) -> dict[str, Any]:
        """The issues with their messages in the language ``gettext`` translates into."""
        return {**self.details, "issues": _issues_json(self.found, gettext)}


def _issues_json(found: list[tuple[int, Issue]],
                 gettext: Callable[[str], str]) -> list[dict[str, object]]:
    return [{"segment_id": sid, "check": i.check, "severity": i.severity,
             "message": i.translated(gettext)} for sid, i in found]


def approve(uow: UnitOfWork, translation_id: int, actor: User,
            override_reason: str | None = None) -> Translation:
    """Approve a reviewed translation: QA errors block it; warnings need a kept reason.

    Confirmed segments then enter the translation memory, and the post-edit distance
    between the MT output and the final text is recorded.
    """
    t = get_translation(uow.session, translation_id, actor)
    check(t.state, Event.APPROVE, actor, t.language)
    issues = segment_issues(uow, t)
    found = [(sid, i) for sid, seg_issues in issues.items() for i in seg_issues]
    errors = tuple(i for _, i in found if i.severity == "error")
    reason = (override_reason or "").strip()
    if errors:
        raise QABlocked(N_("%(count)s QA error(s) block approval: %(errors)s"),
                        values={"count": len(errors), "errors": errors}, found=found)
    if found and not reason:
        raise QABlocked(N_("%(count)s QA warning(s): fix them, or give a reason to approve "
                           "anyway."), values={"count": len(found)}, found=found)
    for sid, i in found:
        uow.session.add(QAOverride(translation_id=t.id, segment_id=sid, check=i.check,
                                   message=i.message, reason=reason, by_id=actor.id))
    transition(t, Event.APPROVE, actor, note=f"QA warnings let through: {reason}"
               if found else None)
    source_language = t.article.source_language
    for seg in t.segments:
        if seg.state == SegmentState.CONFIRMED:
            by = seg.edited_by.email if seg.edited_by is not None else actor.email
            memory.remember(uow.session, source_language, t.language, seg.source_text,
                            seg.text, t.id, by)
    post_edit.record(uow.session, t)
    uow.commit()
    return t


def send_back(uow: UnitOfWork, translation_id: int, actor: User, note: str) -> Translation:
    """Return an approved or published translation to review, saying why."""
    t = get_translation(uow.session, translation_id, actor)
    transition(t, Event.SEND_BACK, actor, note=note)
    held = assignment_of(uow, t.id)
    if held is not None and held.reviewer_id != actor.id:
        title, who, said = t.article.latest.title, actor.display_name, note.strip()
        notify(uow, held.reviewer, "sent_back",
               lambda r: messages.sent_back(r, who, t.language, title), f"/translations/{t.id}",
               translation_id=t.id, details=lambda r: messages.their_note(r, said))
    uow.commit()
    return t
