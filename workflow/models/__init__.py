"""The newsroom's records, as SQLAlchemy 2.0 mapped classes: one module per aggregate.

Importing this package registers every table with ``Base.metadata`` (Alembic reads it),
and every name is re-exported, so ``from workflow.models import X`` is the one way in.
"""

from workflow.models.articles import Article, ArticleVersion, SourceSegment
from workflow.models.audit import AuditEvent
from workflow.models.base import Base, UTCDateTime, utcnow
from workflow.models.editions import EditionSlug
from workflow.models.engines import EngineCapability, MTCacheEntry
from workflow.models.glossary import GlossaryTerm
from workflow.models.memory import MemoryEntry
from workflow.models.outdated import OutdatedSegment
from workflow.models.people import (
    KINDS,
    Notification,
    OneTimeLink,
    OutboundEmail,
    Preferences,
    TranslationProgress,
)
from workflow.models.policies import ReviewPolicy
from workflow.models.publications import Publication
from workflow.models.review import Assignment, Comment, PostEditScore, QAOverride
from workflow.models.signin import LoginAttempt, LoginThrottle, UserSession
from workflow.models.sources import Source, SourceItem, SourceKind
from workflow.models.states import (
    MACHINE_STATES,
    DeliveryState,
    EmailState,
    SegmentState,
    State,
)
from workflow.models.translations import TranslatedSegment, Translation
from workflow.models.users import ROLES, ApiToken, User
from workflow.models.webhooks import WebhookDelivery, WebhookEndpoint

__all__ = [
    "KINDS",
    "MACHINE_STATES",
    "ROLES",
    "ApiToken",
    "Article",
    "ArticleVersion",
    "Assignment",
    "AuditEvent",
    "Base",
    "Comment",
    "DeliveryState",
    "EditionSlug",
    "EmailState",
    "EngineCapability",
    "GlossaryTerm",
    "LoginAttempt",
    "LoginThrottle",
    "MTCacheEntry",
    "MemoryEntry",
    "Notification",
    "OneTimeLink",
    "OutboundEmail",
    "OutdatedSegment",
    "PostEditScore",
    "Preferences",
    "Publication",
    "QAOverride",
    "ReviewPolicy",
    "SegmentState",
    "Source",
    "SourceItem",
    "SourceKind",
    "SourceSegment",
    "State",
    "TranslatedSegment",
    "Translation",
    "TranslationProgress",
    "UTCDateTime",
    "User",
    "UserSession",
    "WebhookDelivery",
    "WebhookEndpoint",
    "utcnow",
]
