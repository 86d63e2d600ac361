"""The domain's errors: what went wrong, in words and a code; each adapter (web/errors.py
for HTTP) maps them to its own way of saying no.

A message is an English template marked with ``N_`` (so ``babel.cfg`` extracts it into the
desk's catalogues) and the values for its ``%(name)s`` placeholders. ``message`` is the
English text (logs, the CLI); an adapter shows ``translated(gettext)`` in its reader's
language. The domain itself translates nothing and imports no Flask.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it (that is the reader's)."""
    return message


class Word(str):
    """A value that is itself a word of the catalogue (a state, an action): the reader gets
    it in their language. Its English is marked with ``N_`` where it is defined."""

    __slots__ = ()


class Worded:
    """A message kept as its ``N_``-marked English ``template`` and the ``values`` of its
    placeholders (a QA issue, an MT flag): ``message`` is the English, ``translated`` the
    reader's."""

    template: str
    values: Mapping[str, object]

    @property
    def message(self) -> str:
        """The English text (what is stored, logged, exported)."""
        return fill(self.template, self.values, str)

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message in the language ``gettext`` translates into."""
        return fill(gettext(self.template), self.values, gettext)


@dataclass(frozen=True)
class Said(Worded):
    """A message on its own (why a job stopped, a note on a segment): its ``N_``-marked
    English ``template`` and ``values``."""

    template: str
    values: Mapping[str, object] = field(default_factory=dict, hash=False)


def dumped(message: Worded) -> str:
    """``message`` as JSON (template and values, a message among the values nested), to be
    kept beside its English so each reader can be shown it in their language."""
    return json.dumps(_kept(message), ensure_ascii=False)


def _kept(message: Worded) -> dict[str, Any]:
    values: dict[str, object] = {}
    for name, value in message.values.items():
        if isinstance(value, Word):
            values[name] = {"word": str(value)}
        elif isinstance(value, tuple) and value and all(isinstance(v, Word) for v in value):
            values[name] = {"words": [str(v) for v in value]}
        elif isinstance(value, tuple) and value and all(hasattr(v, "template") for v in value):
            values[name] = {"messages": [_kept(v) for v in value]}
        elif isinstance(value, Worded) or (hasattr(value, "template")
                                            and hasattr(value, "values")):
            values[name] = {"message": _kept(value)}  # type: ignore[arg-type]
        elif isinstance(value, int | float | str) or value is None:
            values[name] = value
        else:
            values[name] = str(value)
    return {"template": message.template, "values": values}


class Kept(Said):
    """A message read back from where :func:`dumped` kept it (its template was marked where
    the message was first said)."""


def loaded(text: str) -> Kept:
    """The message :func:`dumped` kept."""
    return _said(json.loads(text))


def _said(kept: Mapping[str, Any]) -> Kept:
    values: dict[str, object] = {}
    for name, value in (kept.get("values") or {}).items():
        if isinstance(value, dict) and "word" in value:
            values[name] = Word(value["word"])
        elif isinstance(value, dict) and "words" in value:
            values[name] = tuple(Word(w) for w in value["words"])
        elif isinstance(value, dict) and "messages" in value:
            values[name] = tuple(_said(m) for m in value["messages"])
        elif isinstance(value, dict) and "message" in value:
            values[name] = _said(value["message"])
        else:
            values[name] = value
    return Kept(str(kept["template"]), values)


def told(english: str | None, kept: str | None, gettext: Callable[[str], str]) -> str | None:
    """A stored message in the language ``gettext`` translates into: ``kept`` (from
    :func:`dumped`) when there is one, else the ``english`` stored before messages kept
    their template."""
    if english is None or not kept:
        return english
    try:
        return loaded(kept).translated(gettext)
    except (ValueError, KeyError, TypeError):  # unreadable, or a template its values miss
        return english


class DomainError(Exception):
    """Base for every error a use case raises on purpose."""

    code = "bad_request"

    def __init__(self, message: str, /, *, values: Mapping[str, object] | None = None,
                 **details: object) -> None:
        self.template = message
        self.values = dict(values or {})
        self.message = fill(message, self.values, str)
        super().__init__(self.message)
        self.details = details

    def translated(self, gettext: Callable[[str], str]) -> str:
        """The message in the language ``gettext`` translates into."""
        return fill(gettext(self.template), self.values, gettext)

    def details_in(self, gettext: Callable[[str], str]) -> dict[str, Any]:
        """``details`` for a reader of the language ``gettext`` translates into (the same
        unless a subclass carries messages among them)."""
        return dict(self.details)


def fill(template: str, values: Mapping[str, object], gettext: Callable[[str], str]) -> str:
    """``template % values``; a value that is itself a message (a domain error, a QA issue:
    anything with ``translated``) is written in the same language, and so is a ``Word``; a
    tuple of words is listed with commas, a tuple of messages with semicolons. A template
    without values is taken as it is (a ``%`` in it is a percent)."""
    if not values:
        return template
    return template % {k: _shown(v, gettext) for k, v in values.items()}


def _shown(value: object, gettext: Callable[[str], str]) -> object:
    translated = getattr(value, "translated", None)
    if callable(translated):
        return translated(gettext)
    if isinstance(value, Word):
        return gettext(value)
    if isinstance(value, tuple) and value and all(isinstance(v, Word) for v in value):
        return ", ".join(gettext(v) for v in value)
    if isinstance(value, tuple) and value and all(callable(getattr(v, "translated", None))
                                                  for v in value):
        return "; ".join(v.translated(gettext) for v in value)
    return value


class InvalidInput(DomainError):
    """The caller sent something that cannot be accepted as it is."""

    code = "invalid_input"


class Unprocessable(InvalidInput):
    """Well-formed input whose content cannot be used, by a rule no request schema can state
    (no headline in the text, a target that is the source language, nothing changed)."""


class NoHeadline(Unprocessable):
    """No title was given and none could be found in the text."""

    code = "no_headline"
    default_message = N_("No headline found in the text: give a title.")

    def __init__(self, message: str = default_message) -> None:
        super().__init__(message)


class TooLarge(InvalidInput):
    """The input is larger than the configured limit."""

    code = "too_large"


class NotFound(DomainError):
    """No such object, or not one the caller may see."""

    code = "not_found"


class Forbidden(DomainError):
    """The caller may see the object but not do this to it."""

    code = "forbidden"


class InvalidTransition(DomainError):
    """The object is not in a state where this action makes sense."""

    code = "invalid_transition"


class Conflict(DomainError):
    """Someone else changed the object first."""

    code = "conflict"
