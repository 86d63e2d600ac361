"""Text copied from a news website: section, headline, standfirst, byline, body, credits, footer.

The byline (``By NAME · YYYY-MM-DD · Source: PUBLICATION`` or its form in another language,
see :mod:`workflow.ingest.byline`) anchors everything: just above it are the standfirst
(when that line is a sentence) and the headline, anything higher is the section name;
below it come the body paragraphs, then credit lines, then the site's navigation and footer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workflow.ingest.byline import Byline, parse_byline
from workflow.ingest.page_words import (
    END_MARK,
    STANDFIRST_LABEL,
    TRAILING_CREDIT,
    credits_of,
    is_credit,
    is_end_mark,
    is_footer,
    is_prose,
    is_related_link,
)
from workflow.segmentation import Block

WITHIN = 12  # the byline sits among the first lines; below them it is body text
_MAX_BYLINE_LINES = 4
_SPACES = re.compile(r"\s+")


@dataclass
class NewsCopy:
    """What a news-page copy holds, with the body split into blocks (paragraphs, subheads)."""

    section: str = ""
    headline: str = ""
    standfirst: str = ""
    author: str = ""
    date: str = ""
    source: str = ""
    blocks: list[Block] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    """Non-empty lines, stripped; runs of spaces inside are kept, they separate fields."""
    normalized = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return [line.strip() for line in normalized.split("\n") if line.strip()]


def _flat(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def _find(lines: list[str], within: int) -> tuple[int, int, Byline] | None:
    """Where the byline starts, how many lines it takes, and what it says."""
    for i in range(min(within, len(lines))):
        found = parse_byline(lines[i])
        if found is None:
            continue
        n = 1
        while n < _MAX_BYLINE_LINES and i + n < len(lines):
            more = parse_byline(lines[i + n])
            if more is None:
                break
            found.add(more)
            n += 1
        if found.anchors():
            return i, n, found
    return None


def find_byline(text: str, within: int = WITHIN) -> int | None:
    """The index of the byline among the first ``within`` non-empty lines, if there is one."""
    found = _find(_lines(text), within)
    return found[0] if found else None


def _split_off_the_end(line: str, copy: NewsCopy) -> str:
    """Take a credit or end mark the page glued to the last paragraph: ``…说。（编辑：李华）``."""
    for _ in range(3):
        tail = line[-80:]
        credit = TRAILING_CREDIT.search(tail)
        mark = END_MARK.search(tail) if credit is None else None
        if credit is not None:
            copy.credits.insert(0, credit["credit"].strip())
            cut = credit.start()
        elif mark is not None and mark.end() == len(tail):
            copy.dropped.append(mark.group())
            cut = mark.start()
        else:
            break
        line = line[:len(line) - len(tail) + cut].rstrip()
    return line


def _head(copy: NewsCopy, head: list[str], rest: list[str]) -> list[str]:
    """Section, headline and standfirst from the lines above the byline; the rest below it."""
    labelled = STANDFIRST_LABEL.match(rest[0]) if rest else None
    if labelled:  # "摘要：…" under the byline: everything above is section and headline
        copy.standfirst = rest[0][labelled.end():].strip()
        rest = rest[1:]
        copy.headline = head[-1] if head else ""
        copy.section = " ".join(head[:-1])
    elif len(head) >= 2 and is_prose(head[-1]):
        copy.headline, copy.standfirst = head[-2], head[-1]
        copy.section = " ".join(head[:-2])
    elif head:  # no sentence above the byline: the last line is the headline, no standfirst
        copy.headline = head[-1]
        copy.section = " ".join(head[:-1])
    match = STANDFIRST_LABEL.match(copy.standfirst)
    if match:
        copy.standfirst = copy.standfirst[match.end():].strip()
    return rest


def parse_news_copy(text: str) -> NewsCopy | None:
    """The parts of a news-page copy, or None when it has no byline to anchor on."""
    lines = _lines(text)
    found = _find(lines, WITHIN)
    if found is None:
        return None
    at, n, byline = found
    copy = NewsCopy(author=byline.author, date=byline.date, source=byline.source)
    rest = _head(copy, [_flat(x) for x in lines[:at]], lines[at + n:])
    end = next((j for j, line in enumerate(rest)
                if is_credit(line) or is_footer(line) or is_end_mark(line)), len(rest))
    body = [_flat(x) for x in rest[:end]]
    copy.dropped += [line for line in body if is_related_link(line)]
    body = [line for line in body if not is_related_link(line)]
    prose = [j for j, line in enumerate(body) if is_prose(line)]
    first, last = (prose[0], prose[-1]) if prose else (0, -1)
    # Before the first sentence: "Listen", "5 min read"; after the last: the site's links.
    copy.dropped += body[:first]
    kept = body[first:last + 1]
    if kept:
        kept[-1] = _split_off_the_end(kept[-1], copy)
    copy.blocks = [Block("paragraph" if is_prose(line) else "heading", line)
                   for line in kept if line]
    copy.dropped += body[last + 1:]
    tail = rest[end:]
    i = 0
    while i < len(tail) and (is_credit(tail[i]) or is_end_mark(tail[i])):
        if is_end_mark(tail[i]):
            copy.dropped.append(_flat(tail[i]))
        else:
            copy.credits += [_flat(c) for c in credits_of(tail[i])]
        i += 1
    copy.dropped += [_flat(x) for x in tail[i:]]
    if not copy.source:  # a source line under the body ("المصدر: وكالات") is the source
        copy.source = next((found.source for found in map(parse_byline, copy.credits)
                            if found is not None and found.source), "")
    return copy
