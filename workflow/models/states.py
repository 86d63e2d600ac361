"""The states a record can be in, as enums: the values stored in the ``state`` columns.

The state machine that moves a translation between them is ``workflow.states``.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """Where a translation stands."""

    QUEUED = "queued"
    TRANSLATING = "translating"
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    FAILED = "failed"


class SegmentState(StrEnum):
    """Where one translated segment stands."""

    MT = "mt"  # machine output, untouched
    TM = "tm"  # filled from the translation memory
    EDITED = "edited"  # a reviewer changed it, not yet confirmed
    CONFIRMED = "confirmed"  # a reviewer confirmed it
    OUTDATED = "outdated"  # its source changed: translated afresh, the earlier text set aside
    UNTRANSLATED = "untranslated"  # no engine serves the pair: a reviewer translates it


# What a machine wrote and no person has touched yet.
MACHINE_STATES = frozenset({SegmentState.MT, SegmentState.OUTDATED, SegmentState.UNTRANSLATED})


class DeliveryState(StrEnum):
    """Where one webhook delivery stands."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class EmailState(StrEnum):
    """Where one outbox e-mail stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
