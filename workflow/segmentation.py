"""Cut a submitted article into the segments reviewers work on, and put it back together."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_BLANK_LINE = re.compile(r"\n[ \t]*\n+")
# Han and kana: scripts written without spaces between words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W\d_]+")


def cjk_count(text: str) -> int:
    """How many Chinese (or Japanese) characters ``text`` holds."""
    return _CJK.subn("", text)[1]  # a count without a list of 200,000 one-character strings


def mostly_cjk(text: str) -> bool:
    """True when Chinese characters outnumber the words of every other script in ``text``."""
    rest, cjk = _CJK.subn(" ", text)
    return cjk > 0 and cjk > _WORD.subn("", rest)[1]


@dataclass(frozen=True)
class Block:
    """One translatable unit of an article before it is stored."""

    kind: str
    text: str
    # Placeholder id → real inline markup (see workflow.ingest.inline); empty for plain text.
    markup: dict[str, dict[str, Any]] = field(default_factory=dict, compare=True)


def split_plain_text(title: str, body: str) -> list[Block]:
    """The title, then one block per paragraph.

    Paragraphs are separated by blank lines; inside a block of Chinese text each line is a
    paragraph too: such pastes seldom leave blank lines and seldom wrap a sentence.
    """
    blocks = [Block("title", title.strip())]
    normalized = body.replace("\r\n", "\n").replace("\r", "\n")
    for para in _BLANK_LINE.split(normalized):
        lines = [line.strip() for line in para.strip().split("\n") if line.strip()]
        texts = lines if mostly_cjk(para) else [" ".join(lines)]
        blocks.extend(Block("paragraph", text) for text in texts if text)
    return blocks
