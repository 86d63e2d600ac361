"""Figures (numbers, dates, times, fractions) in a form that does not depend on the script.

95,000 = 95 000 = 95.000 = 9.5万 = ٩٥٬٠٠٠; 2.1 = 2,1; 3/4 = ¾ = 0.75;
2020年4月1日 = April 1, 2020 = 1 April 2020 = 1 de abril de 2020 = 2020-04-01.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

# Arabic-Indic, Eastern Arabic-Indic and full-width digits, and the Arabic separators: one
# character for one, so a match in the normalised text is at the same place in the original.
_DIGITS = str.maketrans({
    **{chr(0x0660 + i): str(i) for i in range(10)},
    **{chr(0x06F0 + i): str(i) for i in range(10)},
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "\u066c": ",", "\u066b": ".",  # Arabic thousands separator and decimal mark
})
_PLACEHOLDER = re.compile(r"</?[gx]\d+/?>")

_MONTHS: dict[str, int] = {}
for _names in [
    "January February March April May June July August September October November December",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "gener febrer març abril maig juny juliol agost setembre octubre novembre desembre",
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
    "كانون_الثاني شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين_الأول تشرين_الثاني "
    "كانون_الأول",
]:
    for _i, _name in enumerate(_names.split(), 1):
        _MONTHS[_name.replace("_", " ").casefold()] = _i
for _abbr, _i in [("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7),
                  ("aug", 8), ("sep", 9), ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12),
                  ("ابريل", 4), ("إبريل", 4), ("يونيه", 6), ("يوليه", 7)]:
    _MONTHS[_abbr] = _i
_MONTHS.pop("may")  # an English verb too: only "May" with a capital names the month
# The month names are many: a cheap look at the next three letters comes first.
_MONTH = (r"(?=[^\W\d_]{{3}})(?P<{g}>May|(?i:"
          + "|".join(re.escape(m) for m in sorted(_MONTHS, key=len, reverse=True)) + r"))\.?")
_MONTHS["may"] = 5

_SCALES = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "千": 10**3,
           "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12,
           "ألف": 10**3, "مليون": 10**6, "مليار": 10**9}
_SCALE = ("[万萬亿億千]|(?:" + "|".join(s for s in _SCALES if len(s) > 1)
          + r")(?![^\W\d_])")
_NUM = (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?"
        r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?")
_VULGAR = {"¼": "1/4", "½": "1/2", "¾": "3/4", "⅓": "1/3", "⅔": "2/3", "⅛": "1/8"}
# A month name first: only at a word's start, and only with a number right after it.
_AT_WORD = r"(?<![^\W\d_])(?=[^\W\d_]+\.?\s+(?:de\s+)?\d)"
_DAY_SUFFIX = r"(?:st|nd|rd|th|er|º|°|\.)?"
_PATTERN = re.compile("|".join([
    r"(?:(?P<zy>\d{4})\s*年\s*)?(?P<zm>\d{1,2})\s*月\s*(?P<zd>\d{1,2})\s*[日号]",
    r"(?P<zy2>\d{4})\s*年\s*(?P<zm2>\d{1,2})\s*月",
    r"(?<![\d.])(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?![\d])",
    _AT_WORD + _MONTH.format(g="m1") + r"\s+(?P<d1>\d{1,2})" + _DAY_SUFFIX + r"(?![\d])"
    r"(?:,?\s+(?P<y1>\d{4})(?![\d]))?",
    r"(?<![\d.,])(?P<d2>\d{1,2})" + _DAY_SUFFIX + r"\s+(?:de\s+|d['’])?"
    + _MONTH.format(g="m2") + r"(?:,?\s+(?:de\s+|del\s+)?(?P<y2>\d{4})(?![\d]))?",
    _AT_WORD + _MONTH.format(g="m3") + r"\s+(?:de\s+)?(?P<y3>\d{4})(?![\d])",
    r"(?<![\d.,])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<c>\d{4}|\d{2})(?![\d/])",
    r"(?<![\d.,:])(?P<h>\d{1,2}):(?P<mi>\d{2})(?::\d{2})?(?![\d])",
    r"(?<![\d.,/])(?P<fn>\d+)/(?P<fd>\d+)(?![\d/])",
    "(?P<vulgar>[" + "".join(_VULGAR) + "])",
    r"(?P<num>" + _NUM + r")(?:\s*(?P<scale>" + _SCALE + "))?",
]))

_SEPARATOR = re.compile("[.,\u00a0\u202f ]")
_ANY = re.compile("[0-9" + "".join(_VULGAR) + "]")


@dataclass(frozen=True)
class Figure:
    """One figure as written, the values it may equal, and the numbers it is written with."""

    written: str
    values: frozenset[str]
    parts: tuple[str, ...]


def to_ascii_digits(text: str) -> str:
    """``text`` with every digit in ASCII and Arabic separators as ``,`` and ``.``."""
    return text.translate(_DIGITS)


def number(token: str) -> str:
    """A written number in a locale-free form: 95,000 / 95 000 / 95.000 → 95000; 3,5 → 3.5."""
    token = to_ascii_digits(token).strip()
    if token.isdecimal():
        return token.lstrip("0") or "0"
    seps = _SEPARATOR.findall(token)
    parts = _SEPARATOR.split(token)
    if not seps:
        plain = token
    elif all(len(p) == 3 for p in parts[1:]) and len(set(seps)) == 1:
        plain = "".join(parts)
    elif len(parts) == 2:  # 3,5 or 3.5: a decimal
        plain = f"{parts[0]}.{parts[1]}"
    else:  # mixed separators (1.234,5 / 1,234.5): the last one is the decimal mark
        plain = f"{''.join(parts[:-1])}.{parts[-1]}"
    return _plain(Decimal(plain))


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.split(".")[0] if "." in text and not text.rstrip("0").split(".")[1] else text


def _date(year: str | None, month: int, day: str | None) -> str | None:
    y = int(year) if year else None
    d = int(day) if day else None
    try:
        date(y or 2000, month, d or 1)  # is there such a day at all
    except ValueError:
        return None
    return f"date:{y if y else '-'}-{month:02d}" + (f"-{d:02d}" if d else "")


def _figure(m: re.Match[str], written: str) -> Figure:
    g = m.groupdict()
    if g["num"]:  # the common case first, and cheaply
        value = number(g["num"])
        scaled = {_plain(Decimal(value) * _SCALES[g["scale"]])} if g["scale"] else set()
        return Figure(written, frozenset({value, *scaled}), (value,))
    parts = tuple(p.lstrip("0") or "0" for p in re.findall(r"\d+", m.group()))
    values: set[str | None] = set()
    if g["zm"] or g["zm2"] or g["iy"]:
        values.add(_date(g["zy"] or g["zy2"] or g["iy"], int(g["zm"] or g["zm2"] or g["im"]),
                         g["zd"] or g["id"]))
    for month, day, year in (("m1", "d1", "y1"), ("m2", "d2", "y2"), ("m3", None, "y3")):
        if g[month]:
            values.add(_date(g[year], _MONTHS[g[month].casefold().rstrip(".")],
                             g[day] if day else None))
    if g["a"]:  # 01/05/2026: day first in most of the world, month first in the U.S.
        year = g["c"] if len(g["c"]) == 4 else "20" + g["c"]
        values |= {_date(year, int(g["b"]), g["a"]) if int(g["b"]) <= 12 else None,
                   _date(year, int(g["a"]), g["b"]) if int(g["a"]) <= 12 else None}
    if g["h"]:
        values.add(f"time:{int(g['h'])}:{g['mi']}")
    if g["fn"] or g["vulgar"]:
        fraction = _VULGAR.get(g["vulgar"] or "", f"{g['fn']}/{g['fd']}")
        top, bottom = (x.lstrip("0") or "0" for x in fraction.split("/"))
        values.add(f"{top}/{bottom}")
        if bottom != "0":
            values.add(_plain(Decimal(top) / Decimal(bottom)))
        parts = (top, bottom)
    return Figure(written, frozenset(v for v in values if v), parts)


def figures(text: str) -> list[Figure]:
    """The figures of ``text`` in order (placeholders such as ``<g1>`` are not figures)."""
    plain = to_ascii_digits(_PLACEHOLDER.sub(lambda m: " " * len(m.group()), text))
    if not _ANY.search(plain):
        return []
    out = []
    for m in _PATTERN.finditer(plain):
        try:
            out.append(_figure(m, text[m.start():m.end()].strip()))
        except (InvalidOperation, ValueError):  # digits too odd or long to read: not a figure
            continue
    return out


def numbers(text: str) -> Counter[str]:
    """The numbers ``text`` is written with, in a locale-free form (dates by their parts)."""
    return Counter(p for f in figures(text) for p in f.parts)


def missing(source: str, target: str) -> list[Figure]:
    """The figures of ``source`` that ``target`` does not give in any form.

    A figure matches one of the target's figures with a value in common (95,000 and
    9.5万; April 1, 2020 and 2020年4月1日); what is left may still be written with the
    same numbers another way (a date in a month name this module does not know).
    """
    left = figures(target)
    waiting: dict[str, deque[int]] = {}  # value → the target's figures with it, in order
    for i, fig in enumerate(left):
        for value in fig.values:
            waiting.setdefault(value, deque()).append(i)
    used: set[int] = set()
    unmatched = []
    for fig in figures(source):
        first = []
        for value in fig.values:
            queue = waiting.get(value, deque())
            while queue and queue[0] in used:
                queue.popleft()
            if queue:
                first.append(queue[0])
        if first:
            used.add(min(first))
        else:
            unmatched.append(fig)
    left = [t for i, t in enumerate(left) if i not in used]
    pool = Counter(p for t in left for p in t.parts)
    lost = []
    for fig in unmatched:
        need = Counter(fig.parts)
        if need and not need - pool:
            pool -= need
        else:
            lost.append(fig)
    return lost
