"""A domain error keeps its English template and values: its message is the English the desk
always wrote (logs, the CLI), and any reader's catalogue can write it in their language."""

from __future__ import annotations

import pytest

from workflow.errors import N_, InvalidInput, InvalidTransition, NotFound, Unprocessable, Word
from workflow.glossary import checked_entry
from workflow.i18n import translator
from workflow.models import User
from workflow.states import Event, check

PUBLISHER = User(id=1, email="pub@desk.test", password_hash="", roles_csv="publisher",
                 languages_csv="", active=True)


def test_an_invalid_transition_is_english_in_its_message_and_spanish_for_a_spanish_reader(
) -> None:
    with pytest.raises(InvalidTransition) as caught:
        check("queued", Event.SEND_BACK, PUBLISHER)
    error = caught.value
    assert str(error) == error.message == (
        "Cannot send back a translation that is queued; it must be approved, published.")
    assert error.translated(translator("es").gettext) == (
        "No se puede devolver una traducción en estado «en cola»; debe estar en uno de estos "
        "estados: aprobada, publicada.")
    assert error.details == {"state": "queued"}  # what the API adds beside the message


def test_a_value_is_not_translated_and_a_locale_without_a_catalogue_reads_english() -> None:
    error = NotFound(N_("No article %(article_id)s that you can see."), values={"article_id": 7})
    assert error.translated(translator("zh").gettext) == "没有你可查看的文章 7。"
    assert error.translated(translator("de").gettext) == error.message == (
        "No article 7 that you can see.")


def test_a_message_without_values_keeps_a_percent_sign_as_it_is() -> None:
    error = InvalidInput(N_("Give 100% of the text."))
    assert error.message == error.translated(translator("fr").gettext) == "Give 100% of the text."


def test_an_error_inside_another_is_written_in_the_same_language() -> None:
    with pytest.raises(InvalidInput) as caught:
        checked_entry("", "fr", "budget", do_not_translate=False, forbidden=False)
    error = Unprocessable(N_("Entry at line %(line)s (%(term)s, %(language)s): %(problem)s"),
                          values={"line": 3, "term": Word(N_("no term")), "language": "fr",
                                  "problem": caught.value})
    assert error.message == (
        "Entry at line 3 (no term, fr): The term must have 1 to 200 characters.")
    assert error.translated(translator("fr").gettext) == (
        "Entrée de la ligne 3 (pas de terme, fr)\u00a0: Le terme doit compter de 1 à 200 "
        "caractères.")
