"""URL slugs: readable, unique, written in the script each language's setting asks for."""

from __future__ import annotations

from slugify import slugify as _slugify

from workflow.languages import LANGUAGES

MAX_LENGTH = 80


def slugify(title: str, language: str = "en", max_length: int = MAX_LENGTH) -> str:
    """A lowercase slug for ``title`` in ``language``.

    Latin-script languages and those set to "translit" get ASCII (``Ça coûte`` →
    ``ca-coute``, ``Городской совет`` → ``gorodskoi-sovet``); those set to "native" keep
    their script (``北京市议会``). Only a title with nothing readable at all gives "article".
    """
    lang = LANGUAGES.get(language)
    native = lang is not None and lang.slug_script == "native"
    slug = _slugify(title, allow_unicode=native, max_length=max_length, word_boundary=True)
    if native and not slug:  # a native-script title of symbols only: try transliterating
        slug = _slugify(title, max_length=max_length, word_boundary=True)
    return slug or "article"


def unique_slug(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is not in ``taken``."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
