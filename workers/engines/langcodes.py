"""Language codes as each engine family spells them."""

from __future__ import annotations

FLORES = {  # NLLB-200
    "en": "eng_Latn", "es": "spa_Latn", "fr": "fra_Latn", "de": "deu_Latn",
    "it": "ita_Latn", "pt": "por_Latn", "ru": "rus_Cyrl", "zh": "zho_Hans",
    "ar": "arb_Arab", "ja": "jpn_Jpan", "ko": "kor_Hang", "uk": "ukr_Cyrl",
    "ca": "cat_Latn", "nl": "nld_Latn", "pl": "pol_Latn", "tr": "tur_Latn",
    "fa": "pes_Arab", "he": "heb_Hebr", "hi": "hin_Deva", "el": "ell_Grek",
}

APERTIUM = {
    "en": "eng", "es": "spa", "fr": "fra", "ca": "cat", "pt": "por", "it": "ita",
    "gl": "glg", "eu": "eus", "oc": "oci", "ro": "ron", "de": "deu", "nl": "nld",
}


def flores(code: str) -> str:
    """The NLLB-200 (FLORES-200) code for an ISO 639-1 code, e.g. ``es`` → ``spa_Latn``."""
    return FLORES.get(code, code)


def apertium(code: str) -> str:
    """The three-letter code most of Apertium's pair names use."""
    return APERTIUM.get(code, code)


def apertium_spellings(code: str) -> list[str]:
    """Every way an Apertium mode may spell ``code``: ``eng-spa`` but also ``fr-es``, ``es-pt``."""
    return list(dict.fromkeys([apertium(code), code]))


def from_apertium(code: str) -> str | None:
    """The ISO 639-1 code for one side of an Apertium mode (``spa`` or ``es`` → ``es``)."""
    if code in APERTIUM:
        return code
    return next((iso for iso, three in APERTIUM.items() if three == code), None)
