"""Sending outbox e-mails over SMTP, configured by ``LINGUADESK_SMTP_URL``.

``smtp://user:pass@host:587?starttls=1`` (or ``smtp+starttls://…``) upgrades the plain
connection with STARTTLS; ``smtps://…:465`` speaks TLS from the start; plain ``smtp://``
sends as it is (a relay on the same machine). User and password are percent-decoded.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from workflow.models import OutboundEmail
from workflow.services.mail import MailRejected, Send
from workflow.settings import load

DEFAULT_FROM = "Linguadesk <linguadesk@localhost>"


@dataclass(frozen=True)
class SMTPSettings:
    """Where and how to hand e-mails over."""

    host: str
    port: int
    ssl: bool = False
    starttls: bool = False
    user: str | None = None
    password: str | None = None
    sender: str = DEFAULT_FROM
    timeout: float = 20.0


def parse_smtp_url(url: str, sender: str = DEFAULT_FROM) -> SMTPSettings:
    """The settings a ``smtp://``, ``smtps://`` or ``smtp+starttls://`` URL names."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps", "smtp+starttls") or not parts.hostname:
        raise ValueError("LINGUADESK_SMTP_URL must look like smtp://user:pass@host:587?starttls=1,"
                         " smtp+starttls://host:587 or smtps://host:465")
    query = parse_qs(parts.query)
    starttls = scheme == "smtp+starttls" or query.get("starttls", ["0"])[0] in ("1", "true")
    use_ssl = scheme == "smtps"
    port = parts.port or (465 if use_ssl else 587 if starttls else 25)
    return SMTPSettings(host=parts.hostname, port=port, ssl=use_ssl, starttls=starttls,
                        user=unquote(parts.username) if parts.username else None,
                        password=unquote(parts.password) if parts.password else None,
                        sender=sender)


def settings_from_environment() -> SMTPSettings:
    """``LINGUADESK_SMTP_URL`` (default ``smtp://127.0.0.1:25``) and ``LINGUADESK_MAIL_FROM``."""
    settings = load()
    return parse_smtp_url(settings.smtp_url or "smtp://127.0.0.1:25", settings.mail_from)


def message_for(row: OutboundEmail, sender: str) -> EmailMessage:
    """The MIME message: a plain-text part, and an HTML alternative when there is one."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = row.to_address
    msg["Subject"] = row.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=f"linguadesk-{row.id}")
    msg.set_content(row.body_text)
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html")
    return msg


def smtp_sender(settings: SMTPSettings | None = None) -> Send:
    """A ``Send`` for the outbox: one SMTP conversation per e-mail."""
    chosen = settings or settings_from_environment()

    def send(row: OutboundEmail) -> None:
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if chosen.ssl:
            client = smtplib.SMTP_SSL(chosen.host, chosen.port, timeout=chosen.timeout,
                                      context=context)
        else:
            client = smtplib.SMTP(chosen.host, chosen.port, timeout=chosen.timeout)
        try:
            if chosen.starttls:
                client.starttls(context=context)
            if chosen.user:
                client.login(chosen.user, chosen.password or "")
            client.send_message(message_for(row, chosen.sender))
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500:  # refused for good: a retry would be refused again
                raise MailRejected(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailRejected("the mail server refused the recipient") from exc
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()

    return send
