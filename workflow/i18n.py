"""The desk's catalogues for the domain's own words (notifications, e-mails), without Flask.

The same compiled catalogues the desk reads (``web/translations/<locale>/LC_MESSAGES``),
loaded with pure Babel: ``translator("es")`` gives an object with ``gettext`` and
``ngettext``. A locale without a catalogue, or "" (no preference), falls back to English.
"""

from __future__ import annotations

import os
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.support import Translations

DEFAULT_LOCALE = "en"
TRANSLATIONS = Path(__file__).resolve().parents[1] / "web" / "translations"
# Locales written right to left: their HTML e-mails say so.
RIGHT_TO_LEFT = {"ar", "fa", "he", "ur"}

Translator = NullTranslations


def catalogue_dir() -> Path:
    """``LINGUADESK_TRANSLATIONS`` when set, else the desk's own ``web/translations``."""
    configured = os.environ.get("LINGUADESK_TRANSLATIONS", "").strip()
    return Path(configured) if configured else TRANSLATIONS


def locale_or_default(locale: str) -> str:
    """The locale itself when the desk has a catalogue for it, else English."""
    code = locale.strip()
    if code and (catalogue_dir() / code / "LC_MESSAGES" / "messages.mo").is_file():
        return code
    return DEFAULT_LOCALE


@lru_cache(maxsize=32)
def _load(directory: str, locale: str) -> Translator:
    return Translations.load(directory, [locale, DEFAULT_LOCALE])


def translator(locale: str) -> Translator:
    """``gettext``/``ngettext`` in ``locale`` (English, or the msgid, when it has none)."""
    return _load(str(catalogue_dir()), locale_or_default(locale))


def language_name(code: str, locale: str) -> str:
    """The name of language ``code`` as readers of ``locale`` write it ("es" → "espagnol")."""
    try:
        name = Locale.parse(locale_or_default(locale)).languages.get(code.split("-")[0])
    except (ValueError, UnknownLocaleError):
        name = None
    return name or code


def direction(locale: str) -> str:
    """``rtl`` or ``ltr``, for the HTML e-mail."""
    return "rtl" if locale_or_default(locale) in RIGHT_TO_LEFT else "ltr"


class Reader:
    """Who a text is written for: their locale's ``gettext``, ``ngettext`` and language
    names. Texts are functions of a reader, so each person gets them in their language."""

    def __init__(self, locale: str) -> None:
        self.locale = locale_or_default(locale)
        self._translator = translator(self.locale)

    def gettext(self, message: str) -> str:
        return self._translator.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translator.ngettext(singular, plural, n)

    def language(self, code: str) -> str:
        return language_name(code, self.locale)

    @property
    def direction(self) -> str:
        return direction(self.locale)
