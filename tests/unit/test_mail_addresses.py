"""How the desk reads an SMTP URL and finds @mentions: no mail server, no database."""

from __future__ import annotations

import pytest

from workers.mail import parse_smtp_url
from workflow.services.notifications import MENTION
from workflow.settings import load


def test_smtp_urls_name_plain_starttls_and_ssl_connections() -> None:
    plain = parse_smtp_url("smtp://relay.internal")
    assert (plain.host, plain.port, plain.ssl, plain.starttls) == ("relay.internal", 25,
                                                                  False, False)
    tls = parse_smtp_url("smtp://ana%40desk:p%3Ass@mail.example.org:2525?starttls=1")
    assert (tls.port, tls.starttls, tls.user, tls.password) == (2525, True, "ana@desk", "p:ss")
    assert parse_smtp_url("smtp+starttls://mail.example.org").port == 587
    assert parse_smtp_url("smtps://mail.example.org").ssl
    with pytest.raises(ValueError, match="LINGUADESK_SMTP_URL"):
        parse_smtp_url("http://mail.example.org")


def test_a_mention_is_an_at_sign_and_the_part_of_the_email_before_the_at() -> None:
    assert MENTION.findall("@ana.ruiz look, and ask @lee-2.") == ["ana.ruiz", "lee-2."]
    assert MENTION.findall("write to ana@desk.test") == []


def test_smtp_is_unset_unless_the_environment_names_a_server() -> None:
    assert load({}).smtp_url is None
    chosen = load({"LINGUADESK_SMTP_URL": "smtp://relay:25", "LINGUADESK_MAIL_BACKOFF": "2",
                   "LINGUADESK_REMIND_EVERY": "60", "LINGUADESK_MAIL_FROM": "Desk <d@x.test>"})
    assert (chosen.smtp_url, chosen.mail_backoff, chosen.remind_every, chosen.mail_from) == (
        "smtp://relay:25", 2, 60, "Desk <d@x.test>")
