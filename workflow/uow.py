"""A unit of work: one session, one commit, and messages sent only after that commit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import TracebackType

from sqlalchemy.orm import Session

from workflow.db import Database

log = logging.getLogger(__name__)

Dispatch = Callable[[list[int]], None]
"""Sends one translate message per translation id (the workers' queue, in production)."""


class UnitOfWork:
    """Wraps a session; ``enqueue`` collects translation ids sent after ``commit``."""

    session: Session

    def __init__(self, db: Database, dispatch: Dispatch | None = None,
                 notify: Dispatch | None = None, mailer: Dispatch | None = None,
                 links_base: str = "") -> None:
        self.db = db
        self.dispatch = dispatch
        self.notify = notify  # sends webhook deliveries by id (the workers' queue)
        self.mailer = mailer  # sends outbox e-mails by id (the workers' queue)
        self.links_base = links_base  # the desk's address, for links in e-mails and payloads
        self._pending: list[int] = []
        self._deliveries: list[int] = []
        self._emails: list[int] = []

    def __enter__(self) -> UnitOfWork:
        self.session = self.db.sessions()
        self._pending = []
        self._deliveries = []
        self._emails = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.close()  # rolls back anything uncommitted; loaded objects stay readable

    def enqueue(self, translation_id: int) -> None:
        """Ask for ``translation_id`` to be translated once this unit commits."""
        self._pending.append(translation_id)

    def deliver(self, delivery_id: int) -> None:
        """Ask for webhook delivery ``delivery_id`` to be sent once this unit commits."""
        self._deliveries.append(delivery_id)

    def mail(self, email_id: int) -> None:
        """Ask for outbox e-mail ``email_id`` to be sent once this unit commits."""
        self._emails.append(email_id)

    def commit(self) -> None:
        """Commit, then hand the collected ids to the dispatcher.

        A failed dispatch is logged, not raised: the rows are committed as queued and
        the reconciler enqueues them again, so a broker outage delays work but loses none.
        """
        self.session.commit()
        pending, self._pending = self._pending, []
        if pending and self.dispatch is not None:
            try:
                self.dispatch(pending)
            except Exception:
                log.exception("could not enqueue translations %s; the reconciler will", pending)
        deliveries, self._deliveries = self._deliveries, []
        if deliveries and self.notify is not None:
            try:
                self.notify(deliveries)
            except Exception:
                log.exception("could not enqueue webhook deliveries %s; the reconciler will",
                              deliveries)
        emails, self._emails = self._emails, []
        if emails and self.mailer is not None:
            try:
                self.mailer(emails)
            except Exception:
                log.exception("could not enqueue e-mails %s; the reconciler will", emails)

    def rollback(self) -> None:
        """Throw away everything not yet committed."""
        self.session.rollback()
        self._pending = []
        self._deliveries = []
        self._emails = []
