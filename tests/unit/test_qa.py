"""The QA checks on one segment: pure functions, no database."""

from __future__ import annotations

import pytest

from workflow.figures import numbers
from workflow.qa import Term, check_segment


def checks(source: str, target: str, terms: list[Term] | None = None) -> dict[str, str]:
    return {i.check: i.severity for i in check_segment(source, target, terms)}


@pytest.mark.parametrize("target", ["Asistieron 95 000 personas.",
                                    "Asistieron 95.000 personas.",
                                    "Asistieron 95\u202f000 personas.",
                                    "Asistieron 95,000 personas."])
def test_a_number_in_any_locale_grouping_counts_as_present(target: str) -> None:
    assert "numbers" not in checks("95,000 people attended.", target)


def test_a_missing_number_is_an_error_that_names_it() -> None:
    issues = check_segment("95,000 people attended on 12 May.", "Asistieron 95.000 personas.")
    assert [(i.check, i.severity) for i in issues] == [("numbers", "error")]
    assert "12" in issues[0].message


def test_a_decimal_comma_matches_a_decimal_point() -> None:
    assert numbers("3,5 %") == numbers("3.5%")
    assert "numbers" not in checks("Prices rose 3.5 percent.", "Los precios subieron un 3,5 %.")


def test_a_date_may_be_written_in_another_order() -> None:
    assert "numbers" not in checks("Talks resume on 2026-05-01.", "Las conversaciones se "
                                   "reanudan el 01/05/2026.")


def test_placeholders_must_survive_intact() -> None:
    assert checks("Read <g1>the report</g1> now<x1/>.", "Lea <g1>el informe</g1> ya<x1/>.") == {}
    assert checks("Read <g1>the report</g1> now<x1/>.",
                  "Lea <g1>el informe ya.")["placeholders"] == "error"


def test_an_empty_target_is_untranslated_and_an_identical_one_is_a_warning() -> None:
    assert checks("The team won the final.", "  ")["untranslated"] == "error"
    assert checks("The team won the final.", "The team won the final.")["identical"] == "warning"


def test_glossary_terms_do_not_translate_and_forbidden_renderings() -> None:
    terms = [Term("city council", "ayuntamiento"), Term("Linguadesk", do_not_translate=True),
             Term("budget", "presupuesto"), Term("budget", "budget", forbidden=True)]
    found = checks("The city council of Linguadesk met.", "El concejo de Lingua se reunió.", terms)
    assert found == {"glossary": "warning", "do_not_translate": "error"}
    assert checks("A new budget.", "Un nuevo budget.", terms)["forbidden"] == "error"
    assert checks("The city council of Linguadesk met.",
                  "El ayuntamiento de Linguadesk se reunió.", terms) == {}


def test_a_far_too_short_or_long_target_is_a_length_warning() -> None:
    assert checks("The government promised more housing.", "Sí.")["length"] == "warning"
