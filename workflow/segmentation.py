"""Cut a submitted article into the segments reviewers work on, and put it back together."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_BLANK_LINE = re.compile(r"\n[ \t]*\n+")


@dataclass(frozen=True)
class Block:
    """One translatable unit of an article before it is stored."""

    kind: str
    text: str
    # Placeholder id → real inline markup (see workflow.ingest.inline); empty for plain text.
    markup: dict[str, dict[str, Any]] = field(default_factory=dict, compare=True)


def split_plain_text(title: str, body: str) -> list[Block]:
    """The title, then one block per paragraph (paragraphs are separated by blank lines)."""
    blocks = [Block("title", title.strip())]
    normalized = body.replace("\r\n", "\n").replace("\r", "\n")
    for para in _BLANK_LINE.split(normalized):
        text = " ".join(line.strip() for line in para.strip().split("\n") if line.strip())
        if text:
            blocks.append(Block("paragraph", text))
    return blocks


def join_plain_text(blocks: list[Block]) -> tuple[str, str]:
    """Rebuild ``(title, body)`` from blocks made by :func:`split_plain_text`."""
    title = next((b.text for b in blocks if b.kind == "title"), "")
    body = "\n\n".join(b.text for b in blocks if b.kind != "title")
    return title, body
