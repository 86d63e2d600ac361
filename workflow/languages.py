"""The languages the desk knows: codes, names in their own script, direction."""

from __future__ import annotations

from dataclasses import dataclass

from workflow.errors import N_, InvalidInput


@dataclass(frozen=True)
class Language:
    """One language the newsroom publishes in."""

    code: str
    english_name: str
    native_name: str
    rtl: bool = False
    # How an edition's slug is written: "latin" (transliterated, the script is Latin),
    # "native" (the title's own script, percent-encoded in URLs) or "translit".
    slug_script: str = "latin"

    @property
    def direction(self) -> str:
        """The value for the HTML ``dir`` attribute."""
        return "rtl" if self.rtl else "ltr"


class Languages(tuple[str, ...]):
    """Language codes that a message names: "Spanish and French" in its English; an adapter
    names them in its reader's language (a value of a flag's template)."""

    __slots__ = ()

    def __str__(self) -> str:
        return " and ".join(LANGUAGES[c].english_name if c in LANGUAGES else c for c in self)


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in [
        Language("en", "English", "English"),
        Language("zh", "Chinese", "中文", slug_script="native"),
        Language("fr", "French", "Français"),
        Language("es", "Spanish", "Español"),
        Language("ar", "Arabic", "العربية", rtl=True, slug_script="native"),
        Language("ru", "Russian", "Русский", slug_script="translit"),
        Language("de", "German", "Deutsch"),
        Language("pt", "Portuguese", "Português"),
        Language("it", "Italian", "Italiano"),
        Language("ja", "Japanese", "日本語", slug_script="native"),
        Language("he", "Hebrew", "עברית", rtl=True, slug_script="native"),
        Language("fa", "Persian", "فارسی", rtl=True, slug_script="native"),
        Language("ur", "Urdu", "اردو", rtl=True, slug_script="native"),
        Language("uk", "Ukrainian", "Українська", slug_script="translit"),
        Language("tr", "Turkish", "Türkçe"),
        Language("ca", "Catalan", "Català"),
    ]
}

# The languages the desk's own pages are translated into (web/translations holds a catalogue
# for each), in the order a menu lists them. Chinese is Simplified ("zh" is zh_Hans in CLDR).
INTERFACE_LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "ar", "zh")


def get_language(code: str) -> Language:
    """Return the language for ``code`` or explain which codes are supported."""
    lang = LANGUAGES.get(code.strip().lower()) if isinstance(code, str) else None
    if lang is None:
        raise InvalidInput(
            N_("Unsupported language code %(code)r. Supported: %(supported)s."),
            values={"code": code, "supported": ", ".join(sorted(LANGUAGES))},
            field="language",
            supported=sorted(LANGUAGES),
        )
    return lang
