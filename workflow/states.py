"""The one state machine every translation goes through (who may fire what: permissions)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, Update, update
from sqlalchemy.orm import Session

from workflow.audit import record
from workflow.errors import N_, Forbidden, InvalidInput, InvalidTransition, Word
from workflow.models import AuditEvent, DeliveryState, SegmentState, State, Translation, User
from workflow.permissions import Action, can


class Event(StrEnum):
    """Something that happens to a translation."""

    START = "start"  # a worker claims the job
    FINISH = "finish"  # machine translation is done
    FAIL = "fail"  # the job cannot be done; the reason is kept
    REQUEUE = "requeue"  # a worker gave the job back, or its lease ran out
    EDIT = "edit"  # a reviewer starts working on the draft
    APPROVE = "approve"
    SEND_BACK = "send_back"  # a publisher returns it to review with a note
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"  # the edition is withdrawn; the approved text may go out again
    RETRY = "retry"  # someone asks a failed job to run again
    UPDATE_SOURCE = "update_source"  # the editor changed the source: translate what changed


__all__ = [
    "TRANSITIONS",
    "DeliveryState",
    "Event",
    "SegmentState",
    "State",
    "audit",
    "check",
    "conditional",
    "recorded",
    "transition",
]


@dataclass(frozen=True)
class Rule:
    """One allowed transition: from which states, to which (who may: ``permissions.WHO``)."""

    sources: frozenset[State]
    target: State
    needs_note: bool = False


S = State
TRANSITIONS: dict[Event, Rule] = {
    Event.START: Rule(frozenset({S.QUEUED, S.TRANSLATING}), S.TRANSLATING),
    Event.FINISH: Rule(frozenset({S.TRANSLATING}), S.DRAFT),
    Event.FAIL: Rule(frozenset({S.QUEUED, S.TRANSLATING}), S.FAILED),
    Event.REQUEUE: Rule(frozenset({S.TRANSLATING}), S.QUEUED),
    Event.EDIT: Rule(frozenset({S.DRAFT}), S.IN_REVIEW),
    Event.APPROVE: Rule(frozenset({S.DRAFT, S.IN_REVIEW}), S.APPROVED),
    Event.SEND_BACK: Rule(frozenset({S.APPROVED, S.PUBLISHED}), S.IN_REVIEW, needs_note=True),
    Event.PUBLISH: Rule(frozenset({S.APPROVED, S.PUBLISHED}), S.PUBLISHED),
    Event.UNPUBLISH: Rule(frozenset({S.PUBLISHED}), S.APPROVED),
    Event.RETRY: Rule(frozenset({S.FAILED}), S.QUEUED),
    Event.UPDATE_SOURCE: Rule(frozenset(S), S.QUEUED),
}

# What an event does and what a state is, as the domain's messages say them ("Cannot send
# back a translation that is draft"): marked for the catalogue, each reader's words.
ACTIONS: dict[Event, str] = {
    Event.START: N_("start"), Event.FINISH: N_("finish"), Event.FAIL: N_("fail"),
    Event.REQUEUE: N_("requeue"), Event.EDIT: N_("edit"), Event.APPROVE: N_("approve"),
    Event.SEND_BACK: N_("send back"), Event.PUBLISH: N_("publish"),
    Event.UNPUBLISH: N_("unpublish"), Event.RETRY: N_("retry"),
    Event.UPDATE_SOURCE: N_("update source"),
}
STATE_WORDS: dict[str, str] = {
    S.QUEUED: N_("queued"), S.TRANSLATING: N_("translating"), S.DRAFT: N_("draft"),
    S.IN_REVIEW: N_("in_review"), S.APPROVED: N_("approved"), S.PUBLISHED: N_("published"),
    S.FAILED: N_("failed"),
}


def action(event: Event) -> Word:
    """What ``event`` does, as a word of the reader's language in a message."""
    return Word(ACTIONS[event])


def state_word(state: str) -> Word | str:
    """The state as a word of the reader's language in a message (as it is, if unknown)."""
    return Word(STATE_WORDS[state]) if state in STATE_WORDS else state


LABELS: dict[State, str] = {
    S.QUEUED: "Queued",
    S.TRANSLATING: "Translating",
    S.DRAFT: "Draft ready",
    S.IN_REVIEW: "In review",
    S.APPROVED: "Approved",
    S.PUBLISHED: "Published",
    S.FAILED: "Failed",
}

# How far along each state is, for the dashboard's progress bars.
PROGRESS: dict[State, int] = {
    S.QUEUED: 5, S.TRANSLATING: 20, S.DRAFT: 40, S.IN_REVIEW: 60,
    S.APPROVED: 80, S.PUBLISHED: 100, S.FAILED: 0,
}


def check(state: str, event: Event, actor: User | None, language: str | None = None) -> State:
    """Return the state ``event`` leads to, or raise saying why it cannot happen."""
    rule = TRANSITIONS[event]
    if not can(actor, Action(event.value), language):
        raise Forbidden(N_("Your role may not %(action)s this translation."),
                        values={"action": action(event)})
    if State(state) not in rule.sources:
        allowed = tuple(Word(STATE_WORDS[s]) for s in sorted(s.value for s in rule.sources))
        raise InvalidTransition(
            N_("Cannot %(action)s a translation that is %(state)s; it must be %(allowed)s."),
            values={"action": action(event), "state": state_word(state), "allowed": allowed},
            state=state,
        )
    return rule.target


def transition(
    t: Translation, event: Event, actor: User | None, note: str | None = None
) -> AuditEvent:
    """Move ``t`` through ``event`` and record the audit event in the same session."""
    rule = TRANSITIONS[event]
    if rule.needs_note and not (note and note.strip()):
        raise InvalidInput(N_("A note is required to %(action)s."),
                           values={"action": action(event)}, field="note")
    target = check(t.state, event, actor, t.language)
    event_row = record(t, f"translation.{event.value}", actor=actor, to_state=target.value,
                       note=note)
    t.state = target.value
    return event_row


def audit(
    actor: User | None, action: str, t: Translation, note: str | None = None
) -> AuditEvent:
    """Record an action on a translation that changes no state."""
    return record(t, action, actor=actor, note=note)


def conditional(event: Event, translation_id: int | list[int], actor: User | None,
                *where: ColumnElement[bool], **values: object) -> Update:
    """The compare-and-set UPDATE firing ``event`` on a job that is not loaded.

    It changes the row only while its state is one ``event`` starts from (and ``where``
    holds), so of two workers racing for a job only one wins: the caller checks the row
    count, then writes the event with :func:`recorded`. A list of ids fires it on each of
    them that qualifies, in one statement (the caller reads which with ``RETURNING``).
    """
    if not can(actor, Action(event.value)):
        raise Forbidden(N_("Your role may not %(action)s this translation."),
                        values={"action": action(event)})
    rule = TRANSITIONS[event]
    which = (Translation.id.in_(translation_id) if isinstance(translation_id, list)
             else Translation.id == translation_id)
    return (update(Translation)
            .where(which,
                   Translation.state.in_(sorted(s.value for s in rule.sources)), *where)
            .values(state=rule.target.value, **values)
            .execution_options(synchronize_session=False))


def recorded(session: Session, event: Event, translation_id: int, article_id: int,
             before: str, actor: User | None = None, note: str | None = None) -> AuditEvent:
    """The audit event of a :func:`conditional` update that changed the row."""
    return record(session, f"translation.{event.value}", actor=actor, article_id=article_id,
                  translation_id=translation_id, from_state=before,
                  to_state=TRANSITIONS[event].target.value, note=note)
