"""Checks on what editors submit, each failing with a message that says what to fix."""

from __future__ import annotations

import re

from workflow.errors import N_, InvalidInput, TooLarge, Unprocessable
from workflow.languages import get_language

DEFAULT_MAX_CHARS = 200_000
MAX_TITLE_CHARS = 1000
MAX_META_CHARS = 2000  # standfirst, author, date, source
MAX_SEGMENT_CHARS = 20_000
# A regex class body: the C0 controls but tab and newlines, and DEL.
CONTROL_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_CONTROL = re.compile(f"[{CONTROL_CHARS}]")
# What clean_text accepts, as a pattern a request schema can publish.
NO_CONTROL_PATTERN = f"^[^{CONTROL_CHARS}]*$"
TEXT_PATTERN = f"^[^{CONTROL_CHARS}]*[^{CONTROL_CHARS}\\s][^{CONTROL_CHARS}]*$"  # and not blank


def clean_text(value: object, field: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return ``value`` as text, or raise if it is missing, empty, too large or has controls."""
    if not isinstance(value, str):
        raise InvalidInput(N_("%(field)s must be text."), values={"field": field}, field=field)
    if len(value) > max_chars:
        raise TooLarge(
            N_("%(field)s is %(size)s characters; the limit is %(limit)s."),
            values={"field": field, "size": f"{len(value):,}", "limit": f"{max_chars:,}"},
            field=field, limit=max_chars,
        )
    if not value.strip():
        raise InvalidInput(N_("%(field)s is empty; write some text."),
                           values={"field": field}, field=field)
    bad = _CONTROL.search(value)
    if bad:
        raise InvalidInput(
            N_("%(field)s contains a control character (U+%(code)04X) at position "
               "%(position)s; remove it."),
            values={"field": field, "code": ord(bad.group()), "position": bad.start()},
            field=field,
        )
    return value


def target_languages(source: str, targets: object) -> list[str]:
    """Validated, de-duplicated target language codes for an article in ``source``."""
    if isinstance(targets, str):
        targets = [t for t in re.split(r"[,\s]+", targets) if t]
    if not isinstance(targets, list) or not targets:
        raise InvalidInput(N_("Pick at least one target language."), field="target_languages")
    codes: list[str] = []
    for raw in targets:
        if not isinstance(raw, str):
            raise InvalidInput(N_("Target languages must be language codes."),
                               field="target_languages")
        code = get_language(raw).code
        if code == source:
            raise Unprocessable(
                N_("The target language %(code)s is the source language; pick another."),
                values={"code": code},
                field="target_languages",
            )
        if code not in codes:
            codes.append(code)
    return codes
