"""The file formats on their own: XLIFF inline codes, TMX codes and dates, glossary CSV/TBX."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree

from workflow.errors import InvalidInput
from workflow.exchange import glossary_files, tmx, xliff

SOURCE = "Read <g1>the <g2>plan</g2></g1> at https://example.org/p<x3/> or mail a@b.org."


def _round_trip(target: str, version: str) -> str:
    doc = xliff.Document(5, "en", "es", [xliff.Unit(9, SOURCE, target, "edited", 2)])
    read = xliff.read(xliff.write(doc, version))
    assert (read.translation_id, read.source_language, read.target_language) == ("5", "en", "es")
    (unit,) = read.units
    assert (unit.id, unit.revision, unit.final) == ("9", 2, False)
    assert unit.target is not None
    return xliff.target_text(unit.id, unit.target, SOURCE)


@pytest.mark.parametrize("version", ["1.2", "2.1"])
@pytest.mark.parametrize("target", [
    "Lea <g1>el <g2>plan</g2></g1> en https://example.org/p<x3/> o escriba a a@b.org.",
    "Lea <g1>el plan en https://example.org/p",  # a tag the reviewer left unpaired
    "Lea </g2>el plan<g1>",  # closing before opening
    "Sin etiquetas & con <símbolos>",
])
def test_every_target_comes_back_as_it_went_out(target: str, version: str) -> None:
    assert _round_trip(target, version) == target


def test_urls_and_emails_become_codes_that_carry_their_value() -> None:
    root = etree.fromstring(xliff.write(xliff.Document(
        5, "en", "es", [xliff.Unit(9, SOURCE, "", "mt", 1)]), "2.1"))
    source = root.find(f".//{{{xliff.XLIFF2}}}source")
    codes = [(etree.QName(c).localname, c.get("id"), c.get("equiv")) for c in source.iter()
             if c is not source]
    assert codes == [("pc", "g1", None), ("pc", "g2", None),
                     ("ph", "u1", "https://example.org/p"), ("ph", "x3", None),
                     ("ph", "u2", "a@b.org")]


def test_a_code_the_source_does_not_have_is_refused() -> None:
    doc = xliff.write(xliff.Document(5, "en", "es", [xliff.Unit(9, SOURCE, "x", "mt", 1)]))
    forged = doc.replace(b"<target state=\"needs-review-translation\" "
                         b"state-qualifier=\"mt-suggestion\">x</target>",
                         b"<target><x id=\"x9\"/>x</target>")
    (unit,) = xliff.read(forged).units
    assert unit.target is not None
    with pytest.raises(xliff.BrokenCodes, match='x id="x9"'):
        xliff.target_text(unit.id, unit.target, SOURCE)


def test_tmx_keeps_placeholders_dates_and_drops_foreign_native_codes() -> None:
    when = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
    data = tmx.write([tmx.Unit("en", "es", "On <g1>Monday</g1><x2/>", "El <g1>lunes</g1><x2/>",
                               when, "ana@desk")], "en", when)
    (unit,) = tmx.read(data)
    assert (unit.source, unit.target, unit.created_at, unit.created_by) == (
        "On <g1>Monday</g1><x2/>", "El <g1>lunes</g1><x2/>", when, "ana@desk")
    foreign = (b'<tmx version="1.4"><header srclang="en-US"/><body><tu>'
               b'<tuv xml:lang="en-US"><seg>Say <bpt i="1">&lt;b&gt;</bpt>hi<ept i="1">'
               b'&lt;/b&gt;</ept></seg></tuv><tuv xml:lang="fr-FR"><seg>Dis salut</seg></tuv>'
               b"</tu></body></tmx>")
    (unit,) = tmx.read(foreign)
    assert (unit.source_language, unit.target_language, unit.source) == ("en", "fr", "Say hi")


def test_glossary_csv_guards_formulas_and_tbx_keeps_every_flag() -> None:
    entries = [glossary_files.Entry("=cmd", "es", "+x", "-note"),
               glossary_files.Entry("NATO", "fr", "", "", do_not_translate=True),
               glossary_files.Entry("gunman", "es", "pistolero", forbidden=True)]
    text = glossary_files.write_csv(entries).decode("utf-8-sig")
    assert "'=cmd,es,'+x,'-note" in text
    back = [(e.term, e.language, e.translation, e.note, e.do_not_translate, e.forbidden)
            for e in glossary_files.read_csv(text.encode())]
    assert back == [("=cmd", "es", "+x", "-note", False, False),
                    ("NATO", "fr", "", "", True, False),
                    ("gunman", "es", "pistolero", "", False, True)]
    tbx_back = [(e.term, e.language, e.translation, e.note, e.do_not_translate, e.forbidden)
                for e in glossary_files.read_tbx(glossary_files.write_tbx(entries, "en"))]
    assert tbx_back == back
    with pytest.raises(InvalidInput, match="not a TBX"):
        glossary_files.read_tbx(b"<html/>")
