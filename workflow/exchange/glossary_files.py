"""Glossary files: CSV (a spreadsheet's columns) and TBX (ISO 30042 TBX-Basic; TBX v2
``martif`` files from older tools are read too)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from lxml import etree

from workflow.errors import N_, TooLarge, Unprocessable
from workflow.exchange.safe_xml import local, parse

COLUMNS = ("term", "language", "translation", "note", "do_not_translate", "forbidden")
MAX_BYTES = 5 * 1024 * 1024
TBX = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TRUE, _FALSE = {"1", "yes", "true", "y", "x"}, {"", "0", "no", "false", "n"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# TBX administrative status of each kind of entry.
PREFERRED, DEPRECATED = "preferredTerm-admn-sts", "deprecatedTerm-admn-sts"
DNT = "x-doNotTranslate"


@dataclass(frozen=True)
class Entry:
    """One glossary line as a file carries it."""

    term: str
    language: str
    translation: str = ""
    note: str = ""
    do_not_translate: bool = False
    forbidden: bool = False
    line: int = 0  # where it was in the file, for error messages


# -- CSV -----------------------------------------------------------------------------------

def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(_FORMULA) else value


def _uncell(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] in _FORMULA and value[1:] else value


def write_csv(entries: list[Entry]) -> bytes:
    """The entries as UTF-8 CSV (with a BOM so spreadsheets read the accents)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for e in entries:
        w.writerow([_cell(e.term), e.language, _cell(e.translation), _cell(e.note),
                    "yes" if e.do_not_translate else "", "yes" if e.forbidden else ""])
    return ("\ufeff" + out.getvalue()).encode()


def _flag(raw: str, column: str, line: int) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise Unprocessable(N_("Line %(line)s: %(column)s is %(raw)r; write yes or leave it empty."),
                        values={"line": line, "column": column, "raw": raw},
                       line=line)


def _decode(data: bytes, what: str) -> str:
    if len(data) > MAX_BYTES:
        raise TooLarge(N_("The %(what)s file is %(size)s bytes; the limit is %(limit)s."),
                       values={"what": what, "size": f"{len(data):,}", "limit": f"{MAX_BYTES:,}"},
                       limit=MAX_BYTES)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unprocessable(N_("The %(what)s file is not UTF-8 (byte %(start)s); save it as UTF-8 "
                               "and upload it again."),
                            values={"what": what, "start": exc.start}) from exc


def read_csv(data: bytes) -> list[Entry]:
    """The entries of a CSV file whose first line names the columns."""
    try:
        return _read_rows(csv.DictReader(io.StringIO(_decode(data, "CSV"))))
    except csv.Error as exc:
        raise Unprocessable(N_("The CSV file cannot be read: %(exc)s."),
                            values={"exc": exc}) from exc


def _read_rows(rows: csv.DictReader[str]) -> list[Entry]:
    missing = [c for c in ("term", "language") if c not in (rows.fieldnames or [])]
    if missing:
        raise Unprocessable(N_("The CSV file has no %(missing)s column; its first line must name "
                               "the columns: %(columns)s."),
                            values={"missing": " or ".join(missing), "columns": ", ".join(COLUMNS)})
    entries = []
    for row in rows:
        line = rows.line_num
        if None in row:
            raise Unprocessable(N_("Line %(line)s has more cells than the header has columns."),
                                values={"line": line},
                               line=line)
        cells = {k: _uncell(v or "") for k, v in row.items()}
        if not any(v.strip() for v in cells.values()):
            continue
        entries.append(Entry(cells["term"].strip(), cells["language"].strip().lower(),
                             cells.get("translation", "").strip(),
                             cells.get("note", "").strip(),
                             _flag(cells.get("do_not_translate", ""), "do_not_translate", line),
                             _flag(cells.get("forbidden", ""), "forbidden", line), line))
    return entries


# -- TBX -----------------------------------------------------------------------------------

def write_tbx(entries: list[Entry], source_language: str) -> bytes:
    """The entries as TBX-Basic (TBX v3): one concept per term, one language section each."""
    root = etree.Element(f"{{{TBX}}}tbx", nsmap={None: TBX},
                         attrib={"type": "TBX-Basic", "style": "dca",
                                 XML_LANG: source_language})
    desc = etree.SubElement(etree.SubElement(root, f"{{{TBX}}}tbxHeader"), f"{{{TBX}}}fileDesc")
    etree.SubElement(etree.SubElement(desc, f"{{{TBX}}}sourceDesc"),
                     f"{{{TBX}}}p").text = "Linguadesk glossary"
    body = etree.SubElement(etree.SubElement(root, f"{{{TBX}}}text"), f"{{{TBX}}}body")
    concepts: dict[str, etree._Element] = {}
    for e in entries:
        concept = concepts.get(e.term)
        if concept is None:
            concept = etree.SubElement(body, f"{{{TBX}}}conceptEntry",
                                       id=f"c{len(concepts) + 1}")
            concepts[e.term] = concept
            src = etree.SubElement(concept, f"{{{TBX}}}langSec", {XML_LANG: source_language})
            etree.SubElement(etree.SubElement(src, f"{{{TBX}}}termSec"),
                             f"{{{TBX}}}term").text = e.term
        lang = etree.SubElement(concept, f"{{{TBX}}}langSec", {XML_LANG: e.language})
        sec = etree.SubElement(lang, f"{{{TBX}}}termSec")
        target = e.term if e.do_not_translate or not e.translation else e.translation
        etree.SubElement(sec, f"{{{TBX}}}term").text = target
        etree.SubElement(sec, f"{{{TBX}}}termNote", type="administrativeStatus").text = (
            DEPRECATED if e.forbidden else PREFERRED)
        if e.do_not_translate:
            etree.SubElement(sec, f"{{{TBX}}}termNote", type=DNT).text = "yes"
        if e.note:
            etree.SubElement(sec, f"{{{TBX}}}note").text = e.note
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


def _children(el: Element, *names: str) -> list[Element]:
    return [c for c in el if isinstance(c.tag, str) and local(c.tag) in names]


def _lang(el: Element) -> str:
    return (el.get(XML_LANG) or el.get("lang") or "").lower().split("-")[0]


def read_tbx(data: bytes) -> list[Entry]:
    """The entries of a TBX file: the file's language is the source, each other language
    section of a concept one entry."""
    root = parse(_decode(data, "TBX").encode(), "TBX")
    if local(root.tag) not in ("tbx", "martif"):
        raise Unprocessable(N_("This is not a TBX file (its root element is <%(root)s>)."),
                            values={"root": local(root.tag)})
    source = _lang(root)
    if not source:
        raise Unprocessable(N_("The TBX file does not say its source language (xml:lang on "
                               "<%(root)s>)."), values={"root": local(root.tag)})
    entries = []
    for n, concept in enumerate(el for el in root.iter() if isinstance(el.tag, str)
                                and local(el.tag) in ("conceptEntry", "termEntry")):
        sections = {_lang(s): s for s in _children(concept, "langSec", "langSet")}
        if source not in sections:
            raise Unprocessable(N_("Concept %(number)s has no term in the source language "
                                   "(%(source)s)."), values={"number": n + 1, "source": source},
                                line=n + 1)
        term = _term(sections[source])[0]
        for lang, sec in sections.items():
            if lang == source:
                continue
            text, notes = _term(sec)
            status = notes.get("administrativeStatus", "")
            dnt = notes.get(DNT, "").lower() in _TRUE - {""} or (
                text == term and "doNotTranslate" in notes.get("usageNote", ""))
            forbidden = status.startswith(("deprecated", "superseded"))
            if dnt or (forbidden and text == term):
                text = ""
            entries.append(Entry(term, lang, text, notes.get("note", ""),
                                 dnt, forbidden, n + 1))
    return entries


def _term(section: Element) -> tuple[str, dict[str, str]]:
    """The first term of a language section and its notes by type."""
    for sec in _children(section, "termSec", "tig", "ntig"):
        grp = _children(sec, "termGrp")
        holder = grp[0] if grp else sec
        terms = _children(holder, "term")
        if not terms:
            continue
        notes: dict[str, str] = {}
        for note in _children(holder, "termNote", "descrip") + _children(sec, "termNote",
                                                                            "descrip", "note"):
            key = "note" if local(note.tag) == "note" else note.get("type", "")
            notes.setdefault(key, "".join(note.itertext()).strip())
        return "".join(terms[0].itertext()).strip(), notes
    return "", {}
