"""The domain's errors: what went wrong, in words and a code; each adapter (web/errors.py
for HTTP) maps them to its own way of saying no."""

from __future__ import annotations


class DomainError(Exception):
    """Base for every error a use case raises on purpose."""

    code = "bad_request"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    """The caller sent something that cannot be accepted as it is."""

    code = "invalid_input"


class Unprocessable(InvalidInput):
    """Well-formed input whose content cannot be used, by a rule no request schema can state
    (no headline in the text, a target that is the source language, nothing changed)."""


class NoHeadline(Unprocessable):
    """No title was given and none could be found in the text."""

    code = "no_headline"
    default_message = "No headline found in the text: give a title."

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
