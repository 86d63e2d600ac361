"""Dates as news pages print them, in the desk's languages, read into ISO ``YYYY-MM-DD``.

``2026-11-20``, ``20.11.2026``, ``2026年11月20日``, ``20 novembre 2026``,
``20 de noviembre de 2026``, ``20 ноября 2026 г.``, ``٢٠ نوفمبر ٢٠٢٦``, ``November 20, 2026``.
``\\d`` matches every decimal digit Unicode knows and ``int()`` reads them, so Arabic-Indic,
Persian and full-width digits need no table. Every quantifier is bounded and none is
nested, so a search stays linear on hostile input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "janvier", "janv", "enero", "ene", "январь", "января", "янв",
        "يناير", "كانون الثاني", "januar", "janeiro", "gennaio"),
    2: ("february", "feb", "février", "fevrier", "févr", "fevr", "febrero", "февраль",
        "февраля", "фев", "февр", "فبراير", "شباط", "februar", "fevereiro", "febbraio"),
    3: ("march", "mar", "mars", "marzo", "март", "марта", "مارس", "آذار", "märz", "março"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "апрель", "апреля", "апр", "أبريل",
        "ابريل", "إبريل", "نيسان", "aprile"),
    5: ("may", "mai", "mayo", "май", "мая", "مايو", "أيار", "ماي", "maio", "maggio"),
    6: ("june", "jun", "juin", "junio", "июнь", "июня", "июн", "يونيو", "يونيه", "حزيران",
        "juni", "junho", "giugno"),
    7: ("july", "jul", "juillet", "juil", "julio", "июль", "июля", "июл", "يوليو", "يوليه",
        "يوليوز", "تموز", "juli", "julho", "luglio"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "август", "августа", "авг",
        "أغسطس", "اغسطس", "آب", "غشت"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre", "сентябрь",
        "сентября", "сен", "сент", "سبتمبر", "أيلول", "شتنبر", "setembro", "settembre"),
    10: ("october", "oct", "octobre", "octubre", "октябрь", "октября", "окт", "أكتوبر",
         "اكتوبر", "تشرين الأول", "oktober", "outubro", "ottobre"),
    11: ("november", "nov", "novembre", "noviembre", "ноябрь", "ноября", "ноя", "нояб",
         "نوفمبر", "تشرين الثاني", "نونبر", "novembro"),
    12: ("december", "dec", "décembre", "decembre", "déc", "diciembre", "dic",
         "декабрь", "декабря", "дек", "ديسمبر", "كانون الأول", "دجنبر", "dezember",
         "dezembro", "dicembre"),
}
WEEKDAYS = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "wed", "thu", "fri", "sat", "sun", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
    "samedi", "dimanche", "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes",
    "sábado", "sabado", "domingo", "понедельник", "вторник", "среда", "среду", "четверг",
    "пятница", "пятницу", "суббота", "субботу", "воскресенье", "الاثنين", "الإثنين",
    "الثلاثاء", "الأربعاء", "الاربعاء", "الخميس", "الجمعة", "السبت", "الأحد", "الاحد",
    "星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日", "星期天", "周一", "周二",
    "周三", "周四", "周五", "周六", "周日", "montag", "dienstag", "mittwoch", "donnerstag",
    "freitag", "samstag", "sonntag",
)
MONTHS: dict[str, int] = {name: number for number, names in _MONTH_NAMES.items()
                          for name in names}

# Longest first, so "noviembre" wins over "nov"; "(?![^\W\d_])" keeps "mar" out of "mars…".
_MONTH = ("(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s") for n in sorted(
    MONTHS, key=len, reverse=True)) + r")(?![^\W\d_])\.?")
_WEEKDAY = ("(?:" + "|".join(re.escape(d) for d in sorted(WEEKDAYS, key=len, reverse=True))
            + r")(?![^\W\d_])\.?")
_SP = r"[^\S\n]{1,3}"
_OPT_SP = r"[^\S\n]{0,3}"
_DE = r"(?:(?:de|del)" + _SP + ")?"  # Spanish and Portuguese "20 de noviembre de 2026"
_YEAR_TAIL = r"(?:[^\S\n]{0,2}(?:г\.|года|г(?![^\W\d_])|م(?![^\W\d_])))?"
_TIME = (r"(?:" + _OPT_SP + r"[,،]?" + _OPT_SP + r"(?:à|a\s{1,2}las|a\s{1,2}la|в|at|um|-|–)?"
         + _OPT_SP + r"(?<!\d)\d{1,2}[:h]\d{2}(?::\d{2})?(?!\d)"
         + r"(?:[^\S\n]{0,2}(?:[ap]\.?m\.?|utc|gmt|msk|cet|cest|eet|est|bjt)(?![^\W\d_]))?)?")

DATE = re.compile(
    r"(?:" + _WEEKDAY + r"[,،]?" + _SP + r")?(?<!\d)(?:"
    r"(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})"
    r"|(?P<y3>\d{4})[^\S\n]?年[^\S\n]?(?P<m3>\d{1,2})[^\S\n]?月[^\S\n]?(?P<d3>\d{1,2})"
    r"[^\S\n]?[日号]"
    r"|(?P<d2>\d{1,2})[./](?P<m2>\d{1,2})[./](?P<y2>\d{4})" + _YEAR_TAIL +
    r"|(?P<d4>\d{1,2})(?:er|º|°|\.)?" + _SP + _DE + r"(?P<mon4>" + _MONTH + r")"
    r"(?:" + _OPT_SP + "/" + _OPT_SP + _MONTH + ")?"  # "نوفمبر/تشرين الثاني"
    r",?" + _SP + _DE + r"(?P<y4>\d{4})" + _YEAR_TAIL +
    r"|(?P<mon5>" + _MONTH + r")" + _SP + r"(?P<d5>\d{1,2})(?:st|nd|rd|th)?,?" + _SP
    + r"(?P<y5>\d{4})"
    r")(?!\d)(?:" + _OPT_SP + r"[(（]?" + _WEEKDAY + r"[)）]?)?" + _TIME,
    re.IGNORECASE,
)


def _iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    for n in "12345":
        year = groups.get(f"y{n}")
        if year is None:
            continue
        month_text = groups.get(f"m{n}") or groups[f"mon{n}"]
        month = (int(month_text) if month_text.isdigit()
                 else MONTHS.get(re.sub(r"\s+", " ", month_text.rstrip(".").lower())))
        try:
            found = date(int(year), month or 0, int(groups[f"d{n}"]))
        except ValueError:
            if n != "2":
                return None
            try:  # "11/20/2026" is read day first, then month first when that is the only way
                found = date(int(year), int(groups["d2"]), int(groups["m2"]))
            except ValueError:
                return None
        return found.isoformat() if 1900 <= found.year <= 2100 else None
    return None


def find_dates(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, ISO date)`` for each real calendar date written in ``text``."""
    for match in DATE.finditer(text):
        iso = _iso(match)
        if iso is not None:
            yield match.start(), match.end(), iso


def to_iso(text: str) -> str | None:
    """The ISO form of ``text`` when all of it is one date (with an optional time)."""
    stripped = text.strip()
    match = DATE.fullmatch(stripped)
    return _iso(match) if match else None
