"""What the outgoing e-mails and webhook deliveries share: finding messages that were lost."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_, select

from workflow.models import OutboundEmail, WebhookDelivery, utcnow
from workflow.uow import UnitOfWork

Outgoing = type[OutboundEmail] | type[WebhookDelivery]


def stale_ids(uow: UnitOfWork, model: Outgoing, pending: str, older_than: int) -> list[int]:
    """Ids of ``model`` rows still ``pending`` and untouched for ``older_than`` seconds."""
    cutoff = utcnow() - timedelta(seconds=older_than)
    return list(uow.session.scalars(
        select(model.id).where(
            model.state == pending,
            or_(and_(model.last_attempt_at.is_(None), model.created_at < cutoff),
                model.last_attempt_at < cutoff))
        .order_by(model.id)))
