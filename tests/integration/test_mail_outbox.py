"""The outbox's rules: sent once, retried on connection trouble, given up on refusal."""

from __future__ import annotations

import pytest

from tests.conftest import Dispatched
from workflow.db import Database
from workflow.models import OutboundEmail
from workflow.services import mail
from workflow.uow import UnitOfWork


def _queued(db: Database, mailed: Dispatched) -> int:
    with UnitOfWork(db, mailer=mailed) as uow:
        row = mail.record(uow, "ana@desk.test", "Hello", "Plain text.\n")
        uow.commit()
        return row.id


def test_an_email_is_handed_to_the_queue_only_after_commit(sqlite_db: Database) -> None:
    mailed = Dispatched()
    with UnitOfWork(sqlite_db, mailer=mailed) as uow:
        mail.record(uow, "ana@desk.test", "Hello", "Plain text.\n")
        assert mailed == []
        uow.rollback()
    assert mailed == []
    email_id = _queued(sqlite_db, mailed)
    assert mailed == [email_id]


def test_a_connection_error_is_recorded_and_raised_then_the_email_is_sent_once(
        sqlite_db: Database) -> None:
    email_id = _queued(sqlite_db, Dispatched())
    sent: list[str] = []

    def down(row: OutboundEmail) -> None:
        raise ConnectionRefusedError

    with UnitOfWork(sqlite_db) as uow, pytest.raises(ConnectionRefusedError):
        mail.deliver(uow, email_id, down)
    with UnitOfWork(sqlite_db) as uow:
        assert mail.deliver(uow, email_id, lambda row: sent.append(row.subject)) == "sent"
        assert mail.deliver(uow, email_id, lambda row: sent.append(row.subject)) == "done"
    with sqlite_db.session() as s:
        row = s.get(OutboundEmail, email_id)
        assert row is not None and (row.state, row.attempts) == ("sent", 2)
    assert sent == ["Hello"]


def test_a_refusal_for_good_fails_the_email_at_once(sqlite_db: Database) -> None:
    email_id = _queued(sqlite_db, Dispatched())

    def refuse(row: OutboundEmail) -> None:
        raise mail.MailRejected("550 no such mailbox")

    with UnitOfWork(sqlite_db) as uow:
        assert mail.deliver(uow, email_id, refuse) == "failed"
    with sqlite_db.session() as s:
        row = s.get(OutboundEmail, email_id)
        assert row is not None and row.error == "rejected: 550 no such mailbox"


def test_the_reconciler_sends_again_an_email_whose_message_was_lost(
        sqlite_db: Database) -> None:
    email_id = _queued(sqlite_db, Dispatched())
    again = Dispatched()
    with UnitOfWork(sqlite_db, mailer=again) as uow:
        assert mail.requeue_stale(uow, older_than=900) == []  # just written: not lost yet
        assert mail.requeue_stale(uow, older_than=0) == [email_id]
    assert again == [email_id]
