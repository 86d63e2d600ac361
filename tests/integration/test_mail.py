"""E-mail through the outbox: a real Celery worker hands it to a real SMTP server."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import Dispatched, create_test_app, make_user
from tests.helpers import csrf_from, login
from tests.processes import Desk, wait_until
from tests.smtp_server import Mailbox, SMTPServer, free_port
from workers.queue import enqueue_emails
from workflow.db import Database
from workflow.models import (
    KINDS,
    Assignment,
    Notification,
    OutboundEmail,
    Preferences,
    Translation,
    User,
    utcnow,
)
from workflow.services.articles import submit_article
from workflow.uow import UnitOfWork

LINK = re.compile(r"http://localhost(/join/[A-Za-z0-9_-]+)")


def _draft(db: Database, editor: User) -> int:
    """A Spanish translation in the draft state (as if machine translation had finished)."""
    with UnitOfWork(db) as uow:
        article = submit_article(uow, editor, title="The bridge will close for repairs",
                                 body="The bridge will close for repairs.",
                                 source_language="en", target_languages_=["es"])
        (t,) = article.translations
        t.state = "draft"
        uow.commit()
        return t.id


@pytest.fixture
def desk(sqlite_db: Database, tmp_path: Path, smtp: SMTPServer,
         monkeypatch: pytest.MonkeyPatch) -> Desk:
    d = Desk(sqlite_db.url, tmp_path / "models", tmp_path, LINGUADESK_SMTP_URL=smtp.url,
             LINGUADESK_PUBLIC_URL="http://localhost", LINGUADESK_REMIND_EVERY="1",
             LINGUADESK_MAIL_BACKOFF="1")
    d.apply_env(monkeypatch)
    yield d  # type: ignore[misc]
    d.close()


def test_invitation_assignment_and_mention_arrive_by_email_and_under_the_bell(
        sqlite_db: Database, people: dict[str, User], smtp: SMTPServer, desk: Desk) -> None:
    app = create_test_app(sqlite_db.url, Dispatched(), MAILER=enqueue_emails)
    desk.start_worker()
    mailbox = smtp.mailbox
    admin = app.test_client()
    login(admin, "admin@desk.test")
    token = csrf_from(admin, "/people")
    assert admin.post("/people", data={"csrf_token": token, "email": "lena@desk.test",
                                       "name": "Lena", "roles": ["reviewer"],
                                       "languages": ["es"]}).status_code == 302
    wait_until(lambda: bool(mailbox.to("lena@desk.test")), 120,
               "the invitation at the SMTP server", desk.logs)
    (invitation,) = mailbox.to("lena@desk.test")
    assert "invited" in str(invitation["Subject"])
    path = LINK.search(Mailbox.text_of(invitation))
    assert path, Mailbox.text_of(invitation)
    lena = app.test_client()
    form = csrf_from(lena, path.group(1))
    assert lena.post(path.group(1), data={"csrf_token": form, "password": "lena's secret",
                                          "confirm": "lena's secret"}).status_code == 302
    login(lena, "lena@desk.test", "lena's secret")
    assert "Waiting for a reviewer" in lena.get("/inbox").text

    tid = _draft(sqlite_db, people["editor"])
    with sqlite_db.session() as s:
        lena_id = s.scalar(select(User.id).where(User.email == "lena@desk.test"))
    editor = app.test_client()
    login(editor, "editor@desk.test")
    token = csrf_from(editor, f"/translations/{tid}")
    assert editor.post(f"/translations/{tid}/assign", data={
        "csrf_token": token, "reviewer_id": str(lena_id), "due": "2031-01-31"}).status_code == 302
    wait_until(lambda: len(mailbox.to("lena@desk.test")) == 2, 60,
               "the assignment e-mail", desk.logs)
    assigned = mailbox.to("lena@desk.test")[1]
    assert "assigned you" in str(assigned["Subject"])
    assert f"http://localhost/translations/{tid}" in Mailbox.text_of(assigned)
    assert assigned.get_content_type() == "multipart/alternative"
    html = assigned.get_body(preferencelist=("html",))
    assert html is not None
    assert f'<a href="http://localhost/translations/{tid}">' in str(html.get_content())
    page = lena.get("/")
    assert 'id="bell" class="bell lit"' in page.text and "Notifications: 1 unread" in page.text

    token = csrf_from(lena, f"/translations/{tid}")
    assert lena.post(f"/translations/{tid}/comments", data={
        "csrf_token": token, "body": "@editor is the bridge in Seville or Sevilla?"}
    ).status_code == 302
    wait_until(lambda: bool(mailbox.to("editor@desk.test")), 60, "the mention e-mail",
               desk.logs)
    (mention,) = mailbox.to("editor@desk.test")
    assert "mentioned you" in str(mention["Subject"])
    assert "Seville or Sevilla" in Mailbox.text_of(mention)
    notes = editor.get("/notifications").text
    assert "Lena mentioned you" in notes
    with sqlite_db.session() as s:
        assert set(s.scalars(select(OutboundEmail.state))) == {"sent"}


def test_the_overdue_reminder_is_sent_by_beat_once_not_on_every_run(
        sqlite_db: Database, people: dict[str, User], smtp: SMTPServer, desk: Desk) -> None:
    tid = _draft(sqlite_db, people["editor"])
    reviewer = people["reviewer"]
    with UnitOfWork(sqlite_db) as uow:
        uow.session.add(Assignment(translation_id=tid, reviewer_id=reviewer.id,
                                   due_at=utcnow() - timedelta(hours=2)))
        uow.commit()
    desk.start_worker()
    desk.start_beat()
    mailbox = smtp.mailbox
    wait_until(lambda: any("Overdue" in str(m["Subject"]) for m in mailbox.to(reviewer.email)),
               120, "the overdue reminder", desk.logs)

    def runs() -> int:  # the reminders the worker finished, from its whole log
        return sum(log.read_text(errors="replace").count("Task linguadesk.remind[")
                   for log in desk.workdir.glob("worker-*.log")) // 2  # received, succeeded

    seen = runs()
    wait_until(lambda: runs() >= seen + 3, 60, "three more runs of the reminders", desk.logs)
    overdue = [m for m in mailbox.to(reviewer.email) if "Overdue" in str(m["Subject"])]
    assert len(overdue) == 1
    with sqlite_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Notification)
                        .where(Notification.kind == "overdue")) == 1
        t = s.get(Translation, tid)
        assert t is not None and t.state == "draft"


def test_an_email_waits_while_the_mail_server_is_down_and_is_sent_once_it_is_up(
        sqlite_db: Database, people: dict[str, User], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()  # nothing listens here yet
    desk = Desk(sqlite_db.url, tmp_path / "models", tmp_path,
                LINGUADESK_SMTP_URL=f"smtp://127.0.0.1:{port}", LINGUADESK_MAIL_BACKOFF="1")
    desk.apply_env(monkeypatch)
    server: SMTPServer | None = None
    try:
        app = create_test_app(sqlite_db.url, Dispatched(), MAILER=enqueue_emails)
        admin = app.test_client()
        login(admin, "admin@desk.test")
        token = csrf_from(admin, "/people")
        assert admin.post("/people", data={"csrf_token": token, "email": "kim@desk.test",
                                           "roles": ["editor"]}).status_code == 302
        desk.start_worker()

        def outbox() -> OutboundEmail:
            with sqlite_db.session() as s:
                row = s.scalars(select(OutboundEmail)).one()
                s.expunge(row)
                return row

        wait_until(lambda: outbox().attempts >= 1, 120, "a first, failed attempt", desk.logs)
        failed = outbox()
        assert (failed.state, failed.error) == ("pending", "connection refused")
        server = SMTPServer(port)
        wait_until(lambda: bool(server and server.mailbox.to("kim@desk.test")), 90,
                   "the e-mail once the server is up", desk.logs)
        wait_until(lambda: outbox().state == "sent", 10, "the outbox row marked sent")
        assert outbox().attempts >= 2 and len(server.mailbox.to("kim@desk.test")) == 1
    finally:
        desk.close()
        if server is not None:
            server.stop()


def _prefer(db: Database, user: User, language: str) -> None:
    with db.session() as s:
        s.add(Preferences(user_id=user.id, interface_language=language,
                          email_kinds=",".join(KINDS)))
        s.commit()


def test_the_assignment_email_speaks_the_reviewers_interface_language(
        sqlite_db: Database, people: dict[str, User], smtp: SMTPServer, desk: Desk) -> None:
    app = create_test_app(sqlite_db.url, Dispatched(), MAILER=enqueue_emails)
    desk.start_worker()
    mailbox = smtp.mailbox
    ana = people["reviewer"]
    amal = make_user(sqlite_db, "amal@desk.test", ["reviewer"], ["es"])
    _prefer(sqlite_db, ana, "es")
    _prefer(sqlite_db, amal, "ar")
    editor = app.test_client()
    login(editor, "editor@desk.test")
    for reviewer in (ana, amal):
        tid = _draft(sqlite_db, people["editor"])
        token = csrf_from(editor, f"/translations/{tid}")
        assert editor.post(f"/translations/{tid}/assign", data={
            "csrf_token": token, "reviewer_id": str(reviewer.id), "due": "2031-01-31"}
        ).status_code == 302
    wait_until(lambda: bool(mailbox.to(ana.email)) and bool(mailbox.to(amal.email)), 60,
               "the assignment e-mails", desk.logs)

    (spanish,) = mailbox.to(ana.email)
    subject = str(spanish["Subject"])
    assert "le ha asignado la traducción al español de «The bridge will close for repairs»" \
        in subject and "con fecha límite el 2031-01-31" in subject, subject
    text = Mailbox.text_of(spanish)
    assert text.startswith("Hola, ") and "Ábrala en la mesa: http://localhost/translations/" \
        in text and "assigned" not in text, text
    html = spanish.get_body(preferencelist=("html",))
    assert html is not None and '<html lang="es" dir="ltr">' in str(html.get_content())

    (arabic,) = mailbox.to(amal.email)
    subject = str(arabic["Subject"])
    assert "أسند إليك" in subject and "الترجمة الإسبانية" in subject, subject
    text = Mailbox.text_of(arabic)
    assert text.startswith("مرحبًا ") and "افتحها في المكتب" in text, text
    html = arabic.get_body(preferencelist=("html",))
    assert html is not None and '<html lang="ar" dir="rtl">' in str(html.get_content())

    # Under the bell too, as each of them reads it.
    with sqlite_db.session() as s:
        notes = dict(s.execute(select(Notification.user_id, Notification.message)
                               .where(Notification.kind == "assigned")).tuples().all())
    assert "le ha asignado" in notes[ana.id] and "أسند إليك" in notes[amal.id]
