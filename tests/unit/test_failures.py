"""Which failures are worth another try, and the words people read about them."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from workflow.engine import EngineFailed, EngineUnavailable
from workflow.errors import N_, Said, dumped, loaded, told
from workflow.failures import explain
from workflow.i18n import Reader
from workflow.services import jobs


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


def test_a_library_that_fails_to_import_in_a_damaged_process_ends_the_process_not_the_job(
) -> None:
    # What transformers raises once an import was interrupted half-way in this process.
    broken = explain(ModuleNotFoundError("Could not import module 'AutoTokenizer'. Are this "
                                         "object's requirements defined correctly?"))
    assert broken.transient and broken.process_broken and not broken.salvage
    assert "fresh process" in broken.reason
    assert explain(SystemError("bad call flags")).process_broken


def test_a_library_the_model_needs_but_nobody_installed_fails_the_job_once() -> None:
    missing = ModuleNotFoundError("No module named 'fugashi'", name="fugashi")
    for exc in (missing, ImportError("BertJapaneseTokenizer requires the fugashi library but "
                                     "it was not found in your environment.")):
        failure = explain(exc)
        assert not failure.transient and not failure.process_broken
        assert failure.reason.startswith("A library this model needs is not installed")


def test_a_failure_keeps_a_librarys_words_as_they_are_in_every_language() -> None:
    failure = explain(ValueError("text input must be of type str"))
    assert failure.translated(Reader("es").gettext) == (
        "Falló el proceso de traducción (ValueError: text input must be of type str).")


def test_a_reason_kept_as_template_and_values_reads_in_each_language_and_nested() -> None:
    given_back = jobs.retrying(explain(MemoryError()))
    gave_up = Said(N_("Gave up after %(n)s attempts. Last reason: %(reason)s"),
                   values={"n": 5, "reason": loaded(dumped(given_back)).values["reason"]})
    kept = dumped(gave_up)
    assert told(gave_up.message, kept, str) == (
        "Gave up after 5 attempts. Last reason: The worker ran out of memory while translating.")
    assert told(gave_up.message, kept, Reader("fr").gettext) == (
        "Abandon après 5 tentatives. Dernière raison\u00a0: Le worker a manqué de mémoire "
        "pendant la traduction.")
    assert told("An older reason.", None, Reader("zh").gettext) == "An older reason."
