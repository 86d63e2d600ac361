"""Figures in every form a newsroom writes them, and the QA that matches them across forms."""

from __future__ import annotations

import pytest

from workflow.figures import figures, missing, number
from workflow.qa import check_segment


def values(text: str) -> list[set[str]]:
    return [set(f.values) for f in figures(text)]


def number_checks(source: str, target: str) -> list[str]:
    return [i.message for i in check_segment(source, target) if i.check == "numbers"]


@pytest.mark.parametrize("written", ["95,000", "95 000", "95\u00a0000", "95\u202f000",
                                     "95.000", "95000", "9.5万", "9,5 万",
                                     "٩٥٬٠٠٠", "۹۵٬۰۰۰", "９５０００"])
def test_ninety_five_thousand_in_every_form_has_the_same_value(written: str) -> None:
    assert any("95000" in v for v in values(f"Attendance: {written} people."))


@pytest.mark.parametrize("written", ["2.1", "2,1", "٢٫١", "2.10"])
def test_a_decimal_in_every_form_is_two_point_one(written: str) -> None:
    assert number(written) == "2.1"


def test_a_mixed_separator_number_takes_the_last_mark_as_the_decimal() -> None:
    assert number("1.234,5") == number("1,234.5") == "1234.5"


@pytest.mark.parametrize("written", ["2020年4月1日", "2020 年 4 月 1 日", "April 1, 2020",
                                     "Apr. 1, 2020", "1 April 2020", "2020-04-01",
                                     "1 de abril de 2020", "1er avril 2020", "1. April 2020",
                                     "1 أبريل 2020", "١ نيسان ٢٠٢٠", "01/04/2020"])
def test_april_first_2020_in_every_form_is_the_same_date(written: str) -> None:
    assert values(f"On {written} the talks began.") == [
        values("2020-04-01")[0] | ({"date:2020-01-04"} if "/" in written else set())]


def test_a_date_without_a_year_or_a_day_is_still_a_date() -> None:
    assert values("4月1日") == values("April 1") == [{"date:--04-01"}]
    assert values("2020年4月") == values("April 2020") == [{"date:2020-04"}]


def test_may_the_verb_is_not_a_month_but_may_the_month_is() -> None:
    assert values("Prices may 5 times") == [{"5"}]
    assert values("May 5, 2024") == [{"date:2024-05-05"}]


def test_a_scale_word_gives_the_whole_value_as_well() -> None:
    assert values("$4.5 billion") == [{"4.5", "4500000000"}]
    assert values("45亿美元") == [{"45", "4500000000"}]
    assert values("4,5 مليار") == [{"4.5", "4500000000"}]


def test_fractions_times_and_placeholders() -> None:
    assert values("3/4 of voters") == values("¾ of voters") == [{"3/4", "0.75"}]
    assert values("at 10:30 a.m.") == values("الساعة ١٠:٣٠") == [{"time:10:30"}]
    assert figures("<g1>Read</g1> it<x2/>") == []


def test_qa_matches_a_figure_written_in_another_form() -> None:
    pairs = [
        ("More than 95,000 people marched.", "超过9.5万人参加了游行。"),
        ("More than 95,000 people marched.", "شارك أكثر من ٩٥٬٠٠٠ شخص في المسيرة."),
        ("More than 95,000 people marched.", "Plus de 95 000 personnes ont défilé."),
        ("Más de 95.000 personas marcharon.", "More than 95,000 people marched."),
        ("会谈于2020年4月1日开始。", "The talks began on April 1, 2020."),
        ("会谈于2020年4月1日开始。", "Les pourparlers ont commencé le 1er avril 2020."),
        ("The talks began on 1 April 2020.", "会谈于2020年4月1日开始。"),
        ("The talks began on 2020-04-01.", "Las conversaciones empezaron el 1 de abril de 2020."),
        ("The deal is worth $4.5 billion.", "该交易价值45亿美元。"),
        ("Three quarters (3/4) agreed.", "Tres cuartos (¾) estuvieron de acuerdo."),
        ("The meeting starts at 10:30 a.m.", "يبدأ الاجتماع في الساعة ١٠:٣٠ صباحا."),
    ]
    for source, target in pairs:
        assert number_checks(source, target) == [], (source, target)


def test_qa_still_flags_a_figure_that_is_truly_missing() -> None:
    assert number_checks("More than 95,000 people marched in 1948.",
                         "超过9.5万人参加了游行。") == [
        "Numbers or dates of the source missing in the target: 1948"]
    assert number_checks("会谈于2020年4月1日开始。", "The talks began on April 2, 2020.") == [
        "Numbers or dates of the source missing in the target: 2020年4月1日"]
    assert number_checks("More than 95,000 people marched.", "超过9.6万人参加了游行。") != []
    assert number_checks("Inflation was 2.1 percent.", "La inflación fue del 21 %.") != []


def test_a_date_in_a_month_name_the_module_does_not_know_matches_by_its_numbers() -> None:
    assert missing("The talks began on April 1, 2020.", "Görüşmeler 1 Nisan 2020'de başladı.") \
        == []
    assert [f.written for f in missing("The talks began on April 1, 2020.",
                                       "Görüşmeler 2 Nisan 2020'de başladı.")] == [
        "April 1, 2020"]


def test_a_run_of_digits_longer_than_python_prints_is_read_without_crashing_the_qa() -> None:
    digits = "7" * 5000
    assert number(digits) == digits
    assert check_segment(f"Code {digits}/{digits} sent.", "Código enviado.")[0].check == "numbers"
