"""A segment keeps its MT flags as English plus template and values, so each reader gets them
in their language (the bridge languages named in it too); QA issues likewise. Pure Babel, as
the domain reads the desk's catalogues."""

from __future__ import annotations

import json

from workflow.engine import Flag, MTResult
from workflow.errors import N_
from workflow.i18n import Reader
from workflow.languages import Languages
from workflow.models import TranslatedSegment
from workflow.qa import check_segment

PIVOT = Flag("pivot", N_("Machine-translated through %(bridges)s (%(path)s) by %(models)s, not "
                         "directly: check the meaning against the source."),
             values={"bridges": Languages(("es",)), "path": "en→es→pt", "models": "a → b"})


def _segment(*flags: Flag) -> TranslatedSegment:
    return TranslatedSegment.from_mt(1, 1, 0, "paragraph", "Rain is expected tomorrow.",
                                     MTResult("Espera-se chuva amanhã.", "fake", "fake-1",
                                              flags=flags))


def test_a_pivot_flag_names_its_bridge_language_in_the_readers_language() -> None:
    seg = _segment(PIVOT)
    assert seg.flags == [{"code": "pivot", "message": (
        "Machine-translated through Spanish (en→es→pt) by a → b, not directly: check the "
        "meaning against the source.")}]
    french = Reader("fr")
    assert seg.flags_in(french.gettext, lambda langs: " et ".join(map(french.language, langs))) \
        == [{"code": "pivot", "message": (
            "Traduit automatiquement avec a → b en passant par une autre langue, espagnol "
            "(en→es→pt), et non directement\u00a0: vérifiez le sens par rapport à la source.")}]


def test_a_flag_stored_as_english_only_stays_english_for_every_reader() -> None:
    seg = _segment()
    seg.mt_flags = json.dumps([{"code": "split_long", "message": "Split in 2 parts."}])
    assert seg.flags_in(Reader("zh").gettext) == [{"code": "split_long",
                                                   "message": "Split in 2 parts."}]


def test_a_qa_issue_keeps_its_english_and_reads_in_arabic() -> None:
    [issue] = check_segment("The budget is 3,200 dollars.", "الميزانية دولارات.")
    assert issue.message == "Numbers or dates of the source missing in the target: 3,200"
    assert issue.translated(Reader("ar").gettext) == (
        "أرقام أو تواريخ من النص المصدر غائبة عن الترجمة: 3,200")
