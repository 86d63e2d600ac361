"""Checks on what editors submit, each failing with a message that says what to fix."""

from __future__ import annotations

import re

from workflow.errors import InvalidInput, TooLarge
from workflow.languages import get_language

DEFAULT_MAX_CHARS = 200_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: object, field: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return ``value`` as text, or raise if it is missing, empty, too large or has controls."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text.", field=field)
    if len(value) > max_chars:
        raise TooLarge(
            f"{field} is {len(value):,} characters; the limit is {max_chars:,}.",
            field=field, limit=max_chars,
        )
    if not value.strip():
        raise InvalidInput(f"{field} is empty; write some text.", field=field)
    bad = _CONTROL.search(value)
    if bad:
        raise InvalidInput(
            f"{field} contains a control character (U+{ord(bad.group()):04X}) at position "
            f"{bad.start()}; remove it.",
            field=field,
        )
    return value


def target_languages(source: str, targets: object) -> list[str]:
    """Validated, de-duplicated target language codes for an article in ``source``."""
    if isinstance(targets, str):
        targets = [t for t in re.split(r"[,\s]+", targets) if t]
    if not isinstance(targets, list) or not targets:
        raise InvalidInput("Pick at least one target language.", field="target_languages")
    codes: list[str] = []
    for raw in targets:
        if not isinstance(raw, str):
            raise InvalidInput("Target languages must be language codes.",
                               field="target_languages")
        code = get_language(raw).code
        if code == source:
            raise InvalidInput(
                f"The target language {code} is the source language; pick another.",
                field="target_languages",
            )
        if code not in codes:
            codes.append(code)
    return codes
