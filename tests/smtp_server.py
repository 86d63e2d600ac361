"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it receives."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    """Received messages, parsed; ``handle_DATA`` is aiosmtpd's hook."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(msg)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages sent to ``address``."""
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]

    @staticmethod
    def text_of(msg: EmailMessage) -> str:
        """The plain-text part."""
        part = msg.get_body(preferencelist=("plain",))
        assert part is not None, "the e-mail has no plain-text part"
        return str(part.get_content())


class SMTPServer:
    """Started on a free port; ``url`` is what ``LINGUADESK_SMTP_URL`` should say."""

    def __init__(self, port: int | None = None) -> None:
        self.mailbox = Mailbox()
        self.port = port or free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.url = f"smtp://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop listening."""
        self.controller.stop()
