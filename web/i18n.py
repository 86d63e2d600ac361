"""The desk in its people's languages: which locale a request gets, its direction, and the
Babel formatting of dates, numbers and time spans in the desk's templates.

The locale is the person's own choice (their profile's interface language), else the best
match for the browser's ``Accept-Language`` among the catalogues we ship, else English.
Public reader pages do not use it: an edition keeps its own language and direction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from flask import Flask, g, has_request_context, request
from flask_babel import (
    Babel,
    LazyString,
    format_date,
    format_datetime,
    format_decimal,
    format_number,
    format_percent,
    format_timedelta,
    get_locale,
    gettext,
    lazy_gettext,
)
from markupsafe import Markup, escape

from web.errors import told_in
from workflow.languages import INTERFACE_LANGUAGES

# The interface languages with a catalogue under web/translations. Chinese is "zh": the code
# the desk uses for the language everywhere else (workflow.languages, preferences, a
# browser's "zh-CN"), and CLDR's "zh" is Simplified Chinese (zh_Hans_CN) for formatting.
SUPPORTED: tuple[str, ...] = INTERFACE_LANGUAGES
DEFAULT = "en"
RIGHT_TO_LEFT = frozenset({"ar"})
# The BCP 47 tag for <html lang>: the script matters to fonts and screen readers for Chinese.
HTML_LANG = {"zh": "zh-Hans"}

TRANSLATIONS = Path(__file__).parent / "translations"
babel = Babel()

# The words the domain keeps in English (workflow knows no locale), as the desk shows them.
STATE_LABELS: dict[str, LazyString] = {
    "queued": lazy_gettext("Queued"), "translating": lazy_gettext("Translating"),
    "draft": lazy_gettext("Draft ready"), "in_review": lazy_gettext("In review"),
    "approved": lazy_gettext("Approved"), "published": lazy_gettext("Published"),
    "failed": lazy_gettext("Failed"),
}
SEGMENT_LABELS: dict[str, LazyString] = {
    "mt": lazy_gettext("machine-translated"), "tm": lazy_gettext("from memory"),
    "edited": lazy_gettext("edited"), "confirmed": lazy_gettext("confirmed"),
    "outdated": lazy_gettext("outdated"), "untranslated": lazy_gettext("to translate (no engine)"),
}
# What a notification is about (workflow.models.KINDS), as the profile page offers it.
KIND_LABELS: dict[str, LazyString] = {
    "assigned": lazy_gettext("A draft is assigned to me"),
    "waiting": lazy_gettext("Drafts in my languages are waiting (a daily digest)"),
    "due_soon": lazy_gettext("A draft of mine is due within 24 hours"),
    "overdue": lazy_gettext("A draft of mine is overdue"),
    "sent_back": lazy_gettext("A translation is sent back to me"),
    "mentioned": lazy_gettext("Someone mentions me in a comment"),
    "published": lazy_gettext("A translation I worked on is published"),
}
ROLE_NAMES: dict[str, LazyString] = {
    "editor": lazy_gettext("editor"), "reviewer": lazy_gettext("reviewer"),
    "publisher": lazy_gettext("publisher"), "admin": lazy_gettext("admin"),
}


def preferred_language() -> str:
    """The signed-in person's chosen interface language, or "" when they have none."""
    from web.context import current_user
    from workflow.services.notifications import interface_language

    user = current_user()
    return interface_language(user) if user is not None else ""


def select_locale() -> str:
    """Preference, then ``Accept-Language``, then English (cached for the request)."""
    if not has_request_context():
        return DEFAULT
    if "locale_code" not in g:
        chosen = preferred_language()
        if chosen not in SUPPORTED:
            chosen = request.accept_languages.best_match(SUPPORTED) or DEFAULT
        g.locale_code = chosen
    return str(g.locale_code)


def page_language() -> dict[str, str]:
    """The ``lang`` and ``dir`` of a desk page's <html>."""
    code = select_locale()
    return {"lang": HTML_LANG.get(code, code), "dir": "rtl" if code in RIGHT_TO_LEFT else "ltr"}


def script_messages() -> dict[str, str]:
    """The words the review workspace's script writes, in the page's locale."""
    return {
        "saving": gettext("saving…"), "saved": gettext("saved"),
        "confirmed": gettext("confirmed"), "in_review": str(STATE_LABELS["in_review"]),
        "unreachable": gettext("not saved: the desk cannot be reached; your text is still here"),
        "conflict": gettext("not saved: conflict"), "not_saved": gettext("not saved: %(reason)s"),
        "unexpected": gettext("unexpected answer"),
        "their_revision": gettext("their revision %(revision)s"),
        "progress": gettext("%(done)s / %(total)s confirmed"), "mt": gettext("MT:"),
    }


def segment_label(state: str) -> str:
    """A segment's state in words of the page's locale."""
    return str(SEGMENT_LABELS.get(state, state))


def role_names(roles: frozenset[str] | set[str]) -> str:
    """A person's roles in words of the page's locale, in a stable order."""
    return ", ".join(str(ROLE_NAMES.get(r, r)) for r in sorted(roles))


def language_name(code: str) -> str:
    """A language's name in the page's locale (the desk's English name in English)."""
    from workflow.languages import LANGUAGES

    lang = LANGUAGES.get(code)
    locale = select_locale()
    if locale == DEFAULT and lang is not None:
        return lang.english_name
    try:
        return Locale.parse(code).get_display_name(locale) or code
    except (ValueError, UnknownLocaleError):
        return lang.english_name if lang is not None else code


def language_names(codes: Sequence[str]) -> str:
    """Languages listed in the page's locale: "Spanish and French", "espagnol et français"."""
    return format_list([language_name(c) for c in codes], locale=select_locale())


def _time(value: datetime, text: str) -> Markup:
    """A <time> element: the machine-readable instant, shown as ``text``."""
    stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
    return Markup('<time datetime="{}">{}</time>').format(stamp.isoformat(), escape(text))


def when(value: datetime | None, width: str = "short") -> Markup | str:
    """A date and time in the page's locale, as a <time> element ("" for none)."""
    if value is None:
        return ""
    return _time(value, format_datetime(value, width))


def day(value: datetime | None, width: str = "medium", markup: bool = True) -> Markup | str:
    """A date in the page's locale, as a <time> element ("" for none); plain text with
    ``markup=False``, where no element may go (an <option>)."""
    if value is None:
        return ""
    text = format_date(value, width)
    if not markup:
        return str(text)
    stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
    return Markup('<time datetime="{}">{}</time>').format(stamp.date().isoformat(), escape(text))


def ago(value: datetime | None, now: datetime | None = None) -> Markup | str:
    """How long ago (or how soon) ``value`` is, in words of the page's locale."""
    if value is None:
        return ""
    stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
    delta: timedelta = stamp - (now or datetime.now(UTC))
    return _time(value, format_timedelta(delta, add_direction=True, threshold=1.0))


def number(value: float | int, digits: int | None = None) -> str:
    """A number in the page's locale (``digits`` fixes the decimals)."""
    if digits is None:
        return str(format_number(value))
    return str(format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0"))


def percent(value: float) -> str:
    """A share (0.87) as a whole percentage in the page's locale ("87%", "87 %")."""
    return str(format_percent(value, format="#,##0%"))


def compile_catalogues(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile each .po whose .mo is missing or older (what ``pybabel compile`` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    built = []
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name)
        with mo.open("wb") as target:
            write_mo(target, catalog)
        built.append(mo)
    return built


def init_app(app: Flask) -> None:
    """Flask-Babel with our catalogues and selector; the formatting filters for templates."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(when=when, day=day, ago=ago, number=number, percent=percent)

    @app.context_processor
    def _page_language() -> dict[str, Any]:
        return {"page_language": page_language, "locale": get_locale,
                "role_names": role_names, "script_messages": script_messages,
                "language_name": language_name, "told": told_in,
                "STATE_LABELS": STATE_LABELS, "KIND_LABELS": KIND_LABELS,
                "ROLE_NAMES": ROLE_NAMES, "INTERFACE_LANGUAGES": SUPPORTED}
