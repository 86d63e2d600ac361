"""Text copied from a news website: section, headline, standfirst, byline, body, credits, footer.

The byline (``By NAME · YYYY-MM-DD · Source: PUBLICATION``) anchors everything: the lines
just above it are the standfirst and the headline, anything higher is the section name;
below it come the body paragraphs, then credit lines, then the site's navigation and footer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BYLINE = re.compile(
    r"^\s*by\s+(?P<author>[^·|•]+?)\s*[·|•]\s*(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:\s*[·|•]\s*(?:source:\s*)?(?P<source>.+?))?\s*$",
    re.IGNORECASE,
)
CREDIT = re.compile(
    r"^\s*(copy[- ]?edited|edited|comments|reporting|additional reporting|translated|"
    r"photos?|graphics|fact[- ]checked|produced|written)\b[^.]{0,80}\b(by|to)\b",
    re.IGNORECASE,
)
FOOTER = re.compile(
    r"©|\(c\)\s*\d{4}|copyright|all rights reserved|licen[cs]e\s*(no|number|#)|"
    r"^\s*(about us|contact us|privacy|terms|advertise|subscribe|follow us|partners?)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’»)]\s*$")


@dataclass
class NewsCopy:
    """What a news-page copy holds, with the body split into paragraphs."""

    section: str = ""
    headline: str = ""
    standfirst: str = ""
    author: str = ""
    date: str = ""
    source: str = ""
    paragraphs: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    return [re.sub(r"\s+", " ", line).strip() for line in normalized.split("\n")
            if line.strip()]


def find_byline(text: str, within: int = 12) -> int | None:
    """The index of the byline among the first ``within`` non-empty lines, if there is one."""
    for i, line in enumerate(_lines(text)[:within]):
        if BYLINE.match(line):
            return i
    return None


def _is_prose(line: str) -> bool:
    """Body paragraphs are sentences; navigation and footer lines are short labels."""
    if FOOTER.search(line):
        return False
    return bool(_SENTENCE_END.search(line)) or len(line.split()) >= 12


def parse_news_copy(text: str) -> NewsCopy | None:
    """The parts of a news-page copy, or None when it has no byline to anchor on."""
    lines = _lines(text)
    at = find_byline(text)
    if at is None:
        return None
    match = BYLINE.match(lines[at])
    assert match is not None
    head = lines[:at]
    copy = NewsCopy(author=match["author"].strip(), date=match["date"],
                    source=(match["source"] or "").strip())
    if len(head) >= 2:
        copy.headline, copy.standfirst = head[-2], head[-1]
        copy.section = " ".join(head[:-2])
    elif head:
        copy.headline = head[0]
    rest = lines[at + 1:]
    i = 0
    while i < len(rest) and not CREDIT.match(rest[i]) and _is_prose(rest[i]):
        copy.paragraphs.append(rest[i])
        i += 1
    while i < len(rest) and CREDIT.match(rest[i]):
        copy.credits.append(rest[i])
        i += 1
    copy.dropped = rest[i:]
    return copy
