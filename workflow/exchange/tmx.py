"""TMX 1.4 files of the translation memory: written with dates and authors, read safely.

The desk's placeholders (``<g1>``, ``</g1>``, ``<x1/>``) travel as TMX inline codes
(``bpt``/``ept``/``ph``) whose native code is the placeholder itself, so they come back
as they went; other tools' native codes are left out of the imported text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import Element as ReadElement

from lxml import etree

from workflow.errors import N_, Unprocessable
from workflow.exchange.safe_xml import local, parse

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CODE = re.compile(r"<(/?)g(\d+)>|<x(\d+)/>")
_OURS = re.compile(r"^(?:</?g\d+>|<x\d+/>)$")


@dataclass(frozen=True)
class Unit:
    """One translation unit: a source and target with who wrote it and when."""

    source_language: str
    target_language: str
    source: str
    target: str
    created_at: datetime
    created_by: str | None
    changed_at: datetime | None = None


def tmx_date(when: datetime) -> str:
    """A TMX date: ``YYYYMMDDThhmmssZ`` in UTC."""
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _parse_date(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError as exc:
        raise Unprocessable(N_("The TMX date %(raw)r is not in the form 20261129T013000Z."),
                            values={"raw": raw}) from exc


def _seg(parent: etree._Element, text: str) -> None:
    seg = etree.SubElement(parent, "seg")
    cursor, last = 0, None
    pairs: dict[str, int] = {}
    for m in _CODE.finditer(text):
        chunk = text[cursor:m.start()]
        if last is None:
            seg.text = (seg.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk
        if m.group(3):
            last = etree.SubElement(seg, "ph", x=m.group(3))
        elif m.group(1):
            last = etree.SubElement(seg, "ept", i=str(pairs.get(f"g{m.group(2)}", m.group(2))))
        else:
            pairs[f"g{m.group(2)}"] = int(m.group(2))
            last = etree.SubElement(seg, "bpt", i=m.group(2), x=m.group(2))
        last.text = m.group(0)
        cursor = m.end()
    rest = text[cursor:]
    if last is None:
        seg.text = (seg.text or "") + rest
    else:
        last.tail = (last.tail or "") + rest


def write(units: list[Unit], source_language: str | None, now: datetime) -> bytes:
    """A TMX 1.4 document of ``units``; ``source_language`` None means several (``*all*``)."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "Linguadesk", "creationtoolversion": "1", "segtype": "paragraph",
        "o-tmf": "linguadesk", "adminlang": "en", "srclang": source_language or "*all*",
        "datatype": "plaintext", "creationdate": tmx_date(now)})
    body = etree.SubElement(root, "body")
    for u in units:
        attrs = {"creationdate": tmx_date(u.created_at), "srclang": u.source_language}
        if u.created_by:
            attrs["creationid"] = u.created_by
        if u.changed_at:
            attrs["changedate"] = tmx_date(u.changed_at)
        tu = etree.SubElement(body, "tu", attrs)
        for lang, text in ((u.source_language, u.source), (u.target_language, u.target)):
            _seg(etree.SubElement(tu, "tuv", {XML_LANG: lang}), text)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


def _lang(code: str) -> str:
    """The primary subtag of a language tag (``es-ES`` → ``es``); ``*all*`` stays."""
    return code.lower() if code == "*all*" else code.lower().split("-")[0].split("_")[0]


def _text(seg: ReadElement) -> str:
    out = [seg.text or ""]
    for child in seg:
        name = local(child.tag)
        if name in ("bpt", "ept", "ph", "it"):
            code = "".join(child.itertext())
            out.append(code if _OURS.match(code) else "")
        else:  # hi, sub, ut: keep what they say
            out.append("".join(child.itertext()))
        out.append(child.tail or "")
    return " ".join("".join(out).split())


def read(data: bytes) -> list[Unit]:
    """The bilingual units of a TMX file (each ``tu`` gives one unit per target language)."""
    root = parse(data, "TMX")
    if local(root.tag) != "tmx":
        raise Unprocessable(N_("This is not a TMX file (its root element is <%(root)s>)."),
                            values={"root": local(root.tag)})
    header = root.find("header")
    body = root.find("body")
    if header is None or body is None:
        raise Unprocessable(N_("A TMX file needs a <header> and a <body>."))
    default_source = header.get("srclang", "")
    units: list[Unit] = []
    for n, tu in enumerate(body.iter("tu"), 1):
        source_language = _lang(tu.get("srclang") or default_source)
        variants = [(_lang(tuv.get(XML_LANG) or tuv.get("lang") or ""), tuv.find("seg"))
                    for tuv in tu.findall("tuv")]
        texts = {lang: _text(seg) for lang, seg in variants if lang and seg is not None}
        if source_language in ("", "*all*") or source_language not in texts:
            if not source_language:
                raise Unprocessable(N_("Translation unit %(number)s has no variant in its source "
                                       "language (none given)."), values={"number": n})
            raise Unprocessable(N_("Translation unit %(number)s has no variant in its source "
                                   "language (%(language)s)."),
                                values={"number": n, "language": source_language})
        created = _parse_date(tu.get("creationdate")) or datetime(1970, 1, 1, tzinfo=UTC)
        for lang, text in texts.items():
            if lang != source_language and text and texts[source_language]:
                units.append(Unit(source_language, lang, texts[source_language], text, created,
                                  tu.get("creationid") or tu.get("changeid"),
                                  _parse_date(tu.get("changedate"))))
    return units
