"""Which failures are worth another try, and the words people read about them."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from workflow.engine import EngineFailed, EngineUnavailable
from workflow.failures import explain


def test_only_troubles_outside_the_article_are_worth_another_try() -> None:
    assert explain(EngineUnavailable("busy")).transient
    assert explain(MemoryError()).transient
    assert explain(OperationalError("SELECT 1", {}, Exception("connection refused"))).transient
    assert not explain(EngineFailed("the model produced nothing")).transient
    assert not explain(IndexError("index out of range in self")).transient
    assert not explain(ValueError("bad input")).transient


def test_an_unexpected_error_is_named_in_plain_words() -> None:
    assert explain(ValueError("text input must be of type str")).reason == (
        "The translation pipeline failed (ValueError: text input must be of type str).")
    assert explain(OperationalError("SELECT 1", {}, Exception("refused"))).reason.startswith(
        "The database could not be reached (OperationalError:")
