"""The one state machine every translation goes through (who may fire what: permissions)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from workflow.errors import Forbidden, InvalidInput, InvalidTransition
from workflow.models import AuditEvent, Translation, User
from workflow.permissions import Action, can


class State(StrEnum):
    """Where a translation stands."""

    QUEUED = "queued"
    TRANSLATING = "translating"
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    FAILED = "failed"


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
        raise Forbidden(f"Your role may not {event.value.replace('_', ' ')} this translation.")
    if State(state) not in rule.sources:
        allowed = ", ".join(sorted(s.value for s in rule.sources))
        raise InvalidTransition(
            f"Cannot {event.value.replace('_', ' ')} a translation that is {state}; "
            f"it must be {allowed}.",
            state=state,
        )
    return rule.target


def transition(
    t: Translation, event: Event, actor: User | None, note: str | None = None
) -> AuditEvent:
    """Move ``t`` through ``event`` and record the audit event in the same session."""
    rule = TRANSITIONS[event]
    if rule.needs_note and not (note and note.strip()):
        raise InvalidInput(f"A note is required to {event.value.replace('_', ' ')}.", field="note")
    target = check(t.state, event, actor, t.language)
    event_row = AuditEvent(
        actor_id=actor.id if actor else None,
        action=f"translation.{event.value}",
        article_id=t.article_id,
        from_state=t.state,
        to_state=target.value,
        note=note,
    )
    t.state = target.value
    t.events.append(event_row)
    return event_row


def audit(
    actor: User | None, action: str, t: Translation, note: str | None = None
) -> AuditEvent:
    """Record an action on a translation that changes no state."""
    event_row = AuditEvent(
        actor_id=actor.id if actor else None, action=action, article_id=t.article_id,
        from_state=t.state, to_state=t.state, note=note,
    )
    t.events.append(event_row)
    return event_row


def guard(event: Event) -> tuple[frozenset[State], State]:
    """The states ``event`` may start from and where it leads, for conditional updates."""
    rule = TRANSITIONS[event]
    return rule.sources, rule.target
