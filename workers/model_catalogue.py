"""Good default models per language pair, for ``linguadesk models pull en-zh``.

opus-mt (Helsinki-NLP's Marian models, fast and small) wherever one exists for the pair,
the bigger ``opus-mt-tc-big`` where Helsinki-NLP published one; NLLB-200 distilled 600M
for any other pair of the languages it knows. Only data lives here: what to download.
What a model *is* once installed is in its manifest (``workers/model_manifest.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from workers.engines.langcodes import FLORES


@dataclass(frozen=True)
class Entry:
    """One model on the hub and what it serves."""

    hub_id: str
    family: str = "marian"  # marian, nllb or m2m100
    pairs: tuple[tuple[str, str], ...] = ()
    languages: tuple[str, ...] = ()  # a multilingual model serves any pair among these
    # Multi-target opus-mt models choose their output language from a first source token.
    target_token: str | None = None
    note: str = ""

    @property
    def name(self) -> str:
        """The directory the model is installed in: the hub id's last part."""
        return self.hub_id.rsplit("/", 1)[-1]


def _opus(name: str, source: str, target: str, token: str | None = None) -> Entry:
    return Entry(f"Helsinki-NLP/{name}", pairs=((source, target),), target_token=token)


NLLB = Entry("facebook/nllb-200-distilled-600M", family="nllb", languages=tuple(FLORES),
             note="CC BY-NC 4.0: non-commercial use only; 2.5 GB")

ROMANCE_EN = Entry("Helsinki-NLP/opus-mt-ROMANCE-en",
                   pairs=tuple((src, "en") for src in ("pt", "es", "fr", "it", "ro", "ca", "gl")))

BY_PAIR: dict[tuple[str, str], Entry] = {
    ("en", "zh"): _opus("opus-mt-en-zh", "en", "zh", ">>cmn_Hans<<"),
    ("zh", "en"): _opus("opus-mt-zh-en", "zh", "en"),
    ("en", "ar"): _opus("opus-mt-tc-big-en-ar", "en", "ar", ">>ara<<"),
    ("ar", "en"): _opus("opus-mt-tc-big-ar-en", "ar", "en"),
    ("en", "ru"): _opus("opus-mt-en-ru", "en", "ru"),
    ("ru", "en"): _opus("opus-mt-ru-en", "ru", "en"),
    ("en", "fr"): _opus("opus-mt-tc-big-en-fr", "en", "fr"),
    ("fr", "en"): _opus("opus-mt-tc-big-fr-en", "fr", "en"),
    ("en", "es"): _opus("opus-mt-tc-big-en-es", "en", "es"),
    ("es", "en"): _opus("opus-mt-es-en", "es", "en"),
    ("en", "de"): _opus("opus-mt-en-de", "en", "de"),
    ("de", "en"): _opus("opus-mt-de-en", "de", "en"),
    ("en", "pt"): _opus("opus-mt-tc-big-en-pt", "en", "pt", ">>por<<"),
    ("pt", "en"): ROMANCE_EN,
    ("en", "it"): _opus("opus-mt-tc-big-en-it", "en", "it"),
    ("it", "en"): _opus("opus-mt-tc-big-it-en", "it", "en"),
}

ALIASES = {"nllb": NLLB}

# One sentence per source language, translated once to check that a model works.
CHECK_SENTENCES = {
    "en": "The minister announced a new budget.",
    "es": "El ministro anunció un nuevo presupuesto.",
    "fr": "Le ministre a annoncé un nouveau budget.",
    "de": "Der Minister kündigte einen neuen Haushalt an.",
    "it": "Il ministro ha annunciato un nuovo bilancio.",
    "pt": "O ministro anunciou um novo orçamento.",
    "ru": "Министр объявил о новом бюджете.",
    "zh": "部长宣布了新的预算。",
    "ar": "أعلن الوزير عن ميزانية جديدة.",
}


def for_pair(source: str, target: str) -> Entry | None:
    """The default model for ``source``→``target``: opus-mt if listed, else NLLB if it can."""
    if (source, target) in BY_PAIR:
        return BY_PAIR[(source, target)]
    if source != target and {source, target} <= set(NLLB.languages):
        return NLLB
    return None


def by_hub_id(hub_id: str) -> Entry | None:
    """The catalogue's entry for a hub id, if it lists that model."""
    for entry in (*BY_PAIR.values(), *ALIASES.values()):
        if entry.hub_id.lower() == hub_id.lower():
            return entry
    return None


def resolve(spec: str) -> Entry | None:
    """``en-zh``, ``nllb`` or a hub id (``owner/name``) → its entry; None if it is none of these.

    A hub id the catalogue does not list resolves to a bare entry: the model's own files
    then say what it serves.
    """
    spec = spec.strip()
    if "/" in spec:
        return by_hub_id(spec) or Entry(spec, family="")
    if spec.lower() in ALIASES:
        return ALIASES[spec.lower()]
    source, sep, target = spec.partition("-")
    if sep and source and target and "-" not in target:
        return for_pair(source.lower(), target.lower())
    return None


def entries() -> list[tuple[str, Entry]]:
    """Every listed pair with its entry, for ``linguadesk models catalogue``."""
    return [(f"{s}-{t}", e) for (s, t), e in sorted(BY_PAIR.items())] + \
        [(alias, e) for alias, e in ALIASES.items()]
