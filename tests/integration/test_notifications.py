"""What notifies whom: sent back with the note, published, due soon, the daily digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.conftest import make_user
from workflow.db import Database
from workflow.models import Assignment, Notification, OutboundEmail, Translation, User, utcnow
from workflow.services import reminders
from workflow.services.articles import submit_article
from workflow.services.notifications import preferences
from workflow.services.people import send_reset
from workflow.services.publishing import publish
from workflow.services.review import approve, send_back
from workflow.uow import UnitOfWork


def _draft(db: Database, editor: User, title: str = "The bridge will close") -> int:
    with UnitOfWork(db) as uow:
        article = submit_article(uow, editor, title=title, body="The bridge will close.",
                                 source_language="en", target_languages_=["es"])
        article.translations[0].state = "draft"
        uow.commit()
        return article.translations[0].id


def _notes(db: Database, user: User) -> list[tuple[str, str]]:
    with db.session() as s:
        return list(s.execute(select(Notification.kind, Notification.message)
                              .where(Notification.user_id == user.id)
                              .order_by(Notification.id)).tuples())


def test_sending_back_tells_the_assignee_with_the_note_and_publishing_tells_them_too(
        sqlite_db: Database, people: dict[str, User]) -> None:
    rev, pub = people["reviewer"], people["publisher"]
    tid = _draft(sqlite_db, people["editor"])
    with UnitOfWork(sqlite_db) as uow:
        uow.session.add(Assignment(translation_id=tid, reviewer_id=rev.id))
        uow.commit()
        approve(uow, tid, rev)
        send_back(uow, tid, pub, "The bridge is in Seville, not Sevilla.")
        approve(uow, tid, rev)
        publish(uow, tid, pub)
    kinds = [k for k, _ in _notes(sqlite_db, rev)]
    assert kinds == ["sent_back", "published"]
    with sqlite_db.session() as s:
        bodies = list(s.scalars(select(OutboundEmail.body_text)
                                .where(OutboundEmail.to_address == rev.email)))
    assert "Their note: The bridge is in Seville, not Sevilla." in bodies[0]
    assert _notes(sqlite_db, pub) == []  # nobody is told about their own action


def test_due_soon_arrives_once_and_again_only_when_the_due_date_moves(
        sqlite_db: Database, people: dict[str, User]) -> None:
    rev = people["reviewer"]
    tid = _draft(sqlite_db, people["editor"])
    now = datetime(2031, 5, 1, 9, tzinfo=UTC)
    with UnitOfWork(sqlite_db) as uow:
        uow.session.add(Assignment(translation_id=tid, reviewer_id=rev.id,
                                   due_at=now + timedelta(hours=20)))
        uow.commit()
    for _ in range(3):
        with UnitOfWork(sqlite_db) as uow:
            reminders.due_dates(uow, now)
    assert [k for k, _ in _notes(sqlite_db, rev)] == ["due_soon"]
    with UnitOfWork(sqlite_db) as uow:
        held = uow.session.get(Assignment, tid)
        assert held is not None
        held.due_at = now + timedelta(hours=10)
        uow.commit()
        reminders.due_dates(uow, now)
        reminders.due_dates(uow, now + timedelta(hours=11))
        reminders.due_dates(uow, now + timedelta(hours=12))
    assert [k for k, _ in _notes(sqlite_db, rev)] == ["due_soon", "due_soon", "overdue"]


def test_the_digest_of_waiting_drafts_comes_once_a_day_to_reviewers_of_the_language(
        sqlite_db: Database, people: dict[str, User]) -> None:
    _draft(sqlite_db, people["editor"], "First story")
    _draft(sqlite_db, people["editor"], "Second story")
    with UnitOfWork(sqlite_db) as uow:
        prefs = preferences(uow, people["reviewer"].id)
        prefs.email_kinds = "assigned"  # no digest by e-mail
        uow.session.add(prefs)
        uow.commit()
    today = utcnow()
    for when in (today, today + timedelta(minutes=5), today + timedelta(days=1)):
        with UnitOfWork(sqlite_db) as uow:
            reminders.waiting_digest(uow, when)
    notes = _notes(sqlite_db, people["reviewer"])
    assert [m for _, m in notes] == ["2 drafts in your languages wait for a reviewer"] * 2
    assert _notes(sqlite_db, people["reviewer_fr"]) == []  # nothing waits in French
    with sqlite_db.session() as s:
        assert s.scalar(select(OutboundEmail.id).where(
            OutboundEmail.to_address == people["reviewer"].email)) is None
        assert s.scalar(select(Translation.state)) == "draft"


def _prefer(db: Database, user: User, language: str) -> None:
    with UnitOfWork(db) as uow:
        prefs = preferences(uow, user.id)
        prefs.interface_language = language
        uow.session.add(prefs)
        uow.commit()


def test_the_digest_counts_and_names_drafts_in_each_readers_language_and_plural(
        sqlite_db: Database, people: dict[str, User]) -> None:
    ar_reader = make_user(sqlite_db, "amal@desk.test", ["reviewer"], ["es"])
    zh_reader = make_user(sqlite_db, "wei@desk.test", ["reviewer"], ["es"])
    _prefer(sqlite_db, people["reviewer"], "fr")
    _prefer(sqlite_db, ar_reader, "ar")
    _prefer(sqlite_db, zh_reader, "zh")
    for title in ("First story", "Second story", "Third story"):
        _draft(sqlite_db, people["editor"], title)
    with UnitOfWork(sqlite_db) as uow:
        reminders.waiting_digest(uow, utcnow())
    assert _notes(sqlite_db, people["reviewer"]) == [
        ("waiting", "3 brouillons dans vos langues attendent un relecteur")]
    assert _notes(sqlite_db, ar_reader) == [("waiting", "3 مسودات بلغاتك بانتظار مراجع")]
    assert _notes(sqlite_db, zh_reader) == [("waiting", "您的语言中有 3 篇草稿等待审校")]
    with sqlite_db.session() as s:
        mail = s.scalars(select(OutboundEmail).where(
            OutboundEmail.to_address == people["reviewer"].email)).one()
    assert mail.subject == "[Linguadesk] 3 brouillons dans vos langues attendent un relecteur"
    assert mail.body_text.startswith("Bonjour ")
    assert "- espagnol: First story" in mail.body_text


def test_a_password_reset_speaks_the_persons_language_and_english_without_a_preference(
        sqlite_db: Database, people: dict[str, User]) -> None:
    _prefer(sqlite_db, people["reviewer"], "es")
    with UnitOfWork(sqlite_db) as uow:
        admin = uow.session.get(User, people["admin"].id)
        assert admin is not None
        send_reset(uow, admin, people["reviewer"].id)
        send_reset(uow, admin, people["reviewer_fr"].id)
    with sqlite_db.session() as s:
        sent = dict(s.execute(select(OutboundEmail.to_address, OutboundEmail.subject)).tuples()
                    .all())
        body = s.scalar(select(OutboundEmail.body_text).where(
            OutboundEmail.to_address == people["reviewer"].email))
    assert sent == {people["reviewer"].email: "Elija una nueva contraseña para Linguadesk",
                    people["reviewer_fr"].email: "Choose a new password for Linguadesk"}
    assert body is not None and "durante 2 horas" in body and "avise a su administrador" in body
