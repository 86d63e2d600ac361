"""XLIFF 1.2 and 2.1 files of one translation: written for CAT tools, read back safely.

Each segment is one ``trans-unit`` (1.2) or ``unit`` (2.1) whose id is the segment's id;
the segment's revision and the translation's id travel as attributes in our own namespace,
so an import can tell a file for another translation, and a segment changed on the desk
since the export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element as ReadElement

from lxml import etree

from workflow.errors import N_, InvalidInput, Unprocessable
from workflow.exchange import codes
from workflow.exchange.codes import Code
from workflow.exchange.safe_xml import local, parse
from workflow.models import SegmentState

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"  # 2.1 keeps the 2.0 namespace
LD = "urn:x-linguadesk:xliff"
VERSIONS = ("1.2", "2.1")

# The desk's segment state → (1.2 target state, 1.2 state-qualifier, 2.1 state, 2.1 subState)
STATES: dict[str, tuple[str, str | None, str, str | None]] = {
    SegmentState.MT: ("needs-review-translation", "mt-suggestion", "initial", "linguadesk:mt"),
    SegmentState.TM: ("needs-review-translation", "exact-match", "initial", "linguadesk:tm"),
    SegmentState.OUTDATED: ("needs-translation", None, "initial", "linguadesk:outdated"),
    SegmentState.UNTRANSLATED: ("new", None, "initial", "linguadesk:untranslated"),
    SegmentState.EDITED: ("translated", None, "translated", "linguadesk:edited"),
    SegmentState.CONFIRMED: ("final", None, "final", "linguadesk:confirmed"),
}
FINAL_12 = {"final", "signed-off"}


@dataclass(frozen=True)
class Note:
    """A note on a unit: MT flags (``by`` = ``mt``) and people's comments."""

    by: str
    text: str
    category: str = "comment"


@dataclass(frozen=True)
class Unit:
    """One segment as exported."""

    id: int
    source: str
    target: str
    state: str
    revision: int
    notes: list[Note] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    """What an export carries."""

    translation_id: int
    source_language: str
    target_language: str
    units: list[Unit]


@dataclass(frozen=True)
class ReadUnit:
    """One unit of an uploaded file; ``target`` is None when the file has no target."""

    id: str
    target: ReadElement | None
    final: bool
    revision: int | None


@dataclass(frozen=True)
class ReadDocument:
    """What an uploaded file says."""

    version: str
    translation_id: str | None
    source_language: str | None
    target_language: str | None
    units: list[ReadUnit]


# -- writing -------------------------------------------------------------------------------

def _append_text(parent: etree._Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _fill(parent: etree._Element, text: str, literal_id: dict[str, str], v2: bool) -> None:
    """Write ``text`` into ``parent`` with its placeholders and literals as inline codes."""
    ns = XLIFF2 if v2 else XLIFF12
    parts = codes.pieces(text, literal_id)
    paired = codes.balanced(parts)
    stack = [parent]
    for i, p in enumerate(parts):
        if isinstance(p, str):
            _append_text(stack[-1], p)
        elif p.kind == "open" and i in paired:
            stack.append(etree.SubElement(stack[-1], f"{{{ns}}}{'pc' if v2 else 'g'}", id=p.id))
        elif p.kind == "close" and i in paired:
            stack.pop()
        elif p.kind in ("open", "close"):  # a tag the reviewer left without its partner
            if v2:
                tag = "sc" if p.kind == "open" else "ec"
                etree.SubElement(stack[-1], f"{{{ns}}}{tag}", id=p.id, isolated="yes")
            else:
                tag = "bx" if p.kind == "open" else "ex"
                etree.SubElement(stack[-1], f"{{{ns}}}{tag}", id=f"{p.id}-{i}", rid=p.id)
        elif p.kind == "empty":
            etree.SubElement(stack[-1], f"{{{ns}}}{'ph' if v2 else 'x'}", id=p.id)
        elif v2:
            etree.SubElement(stack[-1], f"{{{ns}}}ph", id=p.id, equiv=p.value, disp=p.value)
        else:
            kind = "x-email" if "@" in p.value and "/" not in p.value else "x-url"
            etree.SubElement(stack[-1], f"{{{ns}}}x", id=p.id, ctype=kind,
                             **{"equiv-text": p.value})


def _unit12(body: etree._Element, u: Unit) -> None:
    state, qualifier, _, _ = STATES.get(u.state, STATES[SegmentState.EDITED])
    tu = etree.SubElement(body, f"{{{XLIFF12}}}trans-unit", id=str(u.id),
                          attrib={f"{{{LD}}}revision": str(u.revision),
                                  "{http://www.w3.org/XML/1998/namespace}space": "preserve"})
    if u.state == SegmentState.CONFIRMED:
        tu.set("approved", "yes")
    literal_id = codes.literal_ids(u.source)
    _fill(etree.SubElement(tu, f"{{{XLIFF12}}}source"), u.source, literal_id, v2=False)
    target = etree.SubElement(tu, f"{{{XLIFF12}}}target", state=state)
    if qualifier:
        target.set("state-qualifier", qualifier)
    _fill(target, u.target, literal_id, v2=False)
    for n in u.notes:
        etree.SubElement(tu, f"{{{XLIFF12}}}note", {"from": n.by}).text = n.text


def _unit21(file_: etree._Element, u: Unit) -> None:
    _, _, state, sub = STATES.get(u.state, STATES[SegmentState.EDITED])
    unit = etree.SubElement(file_, f"{{{XLIFF2}}}unit", id=str(u.id),
                            attrib={f"{{{LD}}}revision": str(u.revision)})
    if u.notes:
        notes = etree.SubElement(unit, f"{{{XLIFF2}}}notes")
        for n in u.notes:
            note = etree.SubElement(notes, f"{{{XLIFF2}}}note", category=n.category)
            note.text = f"{n.by}: {n.text}" if n.category == "comment" else n.text
    segment = etree.SubElement(unit, f"{{{XLIFF2}}}segment", state=state)
    if sub:
        segment.set("subState", sub)
    literal_id = codes.literal_ids(u.source)
    source = etree.SubElement(segment, f"{{{XLIFF2}}}source")
    source.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    _fill(source, u.source, literal_id, v2=True)
    if u.target:
        target = etree.SubElement(segment, f"{{{XLIFF2}}}target")
        target.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        _fill(target, u.target, literal_id, v2=True)


def write(doc: Document, version: str = "1.2") -> bytes:
    """The XLIFF file of ``doc`` in ``version`` ("1.2" or "2.1"), UTF-8."""
    if version not in VERSIONS:
        raise InvalidInput(N_("XLIFF version %(version)r is not offered; use 1.2 or 2.1."),
                           values={"version": version},
                           field="version")
    if version == "1.2":
        root = etree.Element(f"{{{XLIFF12}}}xliff", nsmap={None: XLIFF12, "ld": LD},
                             version="1.2")
        file_ = etree.SubElement(root, f"{{{XLIFF12}}}file", {
            "original": f"linguadesk-translation-{doc.translation_id}",
            "source-language": doc.source_language, "target-language": doc.target_language,
            "datatype": "plaintext", "tool-id": "linguadesk",
            f"{{{LD}}}translation": str(doc.translation_id)})
        body = etree.SubElement(file_, f"{{{XLIFF12}}}body")
        for u in doc.units:
            _unit12(body, u)
    else:
        root = etree.Element(f"{{{XLIFF2}}}xliff", nsmap={None: XLIFF2, "ld": LD},
                             version="2.1", srcLang=doc.source_language,
                             trgLang=doc.target_language)
        file_ = etree.SubElement(root, f"{{{XLIFF2}}}file", id=f"t{doc.translation_id}",
                                 original=f"linguadesk-translation-{doc.translation_id}",
                                 attrib={f"{{{LD}}}translation": str(doc.translation_id)})
        for u in doc.units:
            _unit21(file_, u)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


# -- reading -------------------------------------------------------------------------------

def _revision(el: ReadElement) -> int | None:
    raw = el.get(f"{{{LD}}}revision")
    return int(raw) if raw is not None and raw.isdigit() else None


def _one_file(root: ReadElement, ns: str) -> ReadElement:
    """The document's only <file>; a file exported from one translation has exactly one."""
    files = root.findall(f"{{{ns}}}file")
    if len(files) != 1:
        raise Unprocessable(N_("The XLIFF file has %(count)s <file> elements; a file exported "
                               "from one translation has exactly one."),
                            values={"count": len(files)})
    return files[0]


def _read12(root: ReadElement) -> ReadDocument:
    f = _one_file(root, XLIFF12)
    units = []
    for tu in f.iter(f"{{{XLIFF12}}}trans-unit"):
        target = tu.find(f"{{{XLIFF12}}}target")
        final = tu.get("approved") == "yes" or (
            target is not None and target.get("state") in FINAL_12)
        units.append(ReadUnit(tu.get("id", ""), target, final, _revision(tu)))
    return ReadDocument("1.2", f.get(f"{{{LD}}}translation"), f.get("source-language"),
                        f.get("target-language"), units)


def _read2(root: ReadElement) -> ReadDocument:
    f = _one_file(root, XLIFF2)
    units = []
    for unit in f.iter(f"{{{XLIFF2}}}unit"):
        segments = unit.findall(f"{{{XLIFF2}}}segment")
        if len(segments) != 1:
            raise Unprocessable(N_("Unit %(id)s has %(count)s segments; join them again (the desk "
                                   "keeps one segment per unit)."),
                                values={"id": unit.get("id"), "count": len(segments)})
        seg = segments[0]
        target = seg.find(f"{{{XLIFF2}}}target")
        units.append(ReadUnit(unit.get("id", ""), target, seg.get("state") == "final",
                              _revision(unit)))
    return ReadDocument(root.get("version", "2.0"), f.get(f"{{{LD}}}translation"),
                        root.get("srcLang"), root.get("trgLang"), units)


def read(data: bytes) -> ReadDocument:
    """The units of an uploaded XLIFF 1.2 or 2.x file."""
    root = parse(data, "XLIFF")
    if root.tag == f"{{{XLIFF12}}}xliff":
        return _read12(root)
    if root.tag == f"{{{XLIFF2}}}xliff":
        return _read2(root)
    raise Unprocessable(N_("This is not an XLIFF 1.2 or 2.x file (its root element is "
                           "<%(root)s>)."), values={"root": local(root.tag)})


class BrokenCodes(Unprocessable):
    """A target's inline codes do not match its source's."""

    code = "broken_inline_codes"


def target_text(unit_id: str, target: ReadElement, source: str) -> str:
    """The desk's text for an uploaded target, its inline codes turned back into placeholders.

    Codes the source does not have, or tags the desk cannot map, are refused.
    """
    known = codes.known_ids(source)
    literal_value = {v: k for k, v in codes.literal_ids(source).items()}
    start_refs: dict[str, str] = {}

    def broken(element: ReadElement, code_id: str | None = None) -> BrokenCodes:
        values = {"unit_id": unit_id, "tag": local(element.tag), "code": code_id}
        if code_id is None:
            return BrokenCodes(N_("Unit %(unit_id)s: the element <%(tag)s> cannot be read back. "
                                  "Keep the tags of the source as they are."),
                               values=values, segment_id=unit_id)
        return BrokenCodes(N_("Unit %(unit_id)s: the inline code <%(tag)s id=\"%(code)s\"> is "
                              "not one of the source's. Keep the tags of the source as they are."),
                           values=values, segment_id=unit_id)

    def code_for(el: ReadElement, want: str) -> str:
        code_id = el.get("rid") if local(el.tag) in ("bx", "ex") else el.get("id")
        if local(el.tag) == "ec" and el.get("startRef"):
            code_id = start_refs.get(el.get("startRef", ""), el.get("startRef"))
        if code_id is None or known.get(code_id) != want:
            raise broken(el, str(code_id))
        return code_id

    handlers: dict[str, Callable[[ReadElement], str]] = {}

    def paired(el: ReadElement) -> str:
        code_id = code_for(el, "paired")
        return f"<{code_id}>{inner(el)}</{code_id}>"

    def empty(el: ReadElement) -> str:
        code_id = el.get("id", "")
        if known.get(code_id) == "literal":
            return literal_value[code_id]
        return codes.placeholder(Code("empty", code_for(el, "empty")))

    def opening(el: ReadElement) -> str:
        code_id = code_for(el, "paired")
        start_refs[el.get("id", "")] = code_id
        return f"<{code_id}>"

    def closing(el: ReadElement) -> str:
        return f"</{code_for(el, 'paired')}>"

    handlers.update({"g": paired, "pc": paired, "x": empty, "ph": empty, "bx": opening,
                     "sc": opening, "ex": closing, "ec": closing, "mrk": lambda e: inner(e),
                     "sm": lambda e: "", "em": lambda e: ""})

    def inner(el: ReadElement) -> str:
        out = [el.text or ""]
        for child in el:
            handler = handlers.get(local(child.tag))
            if handler is None:
                raise broken(child)
            out.append(handler(child))
            out.append(child.tail or "")
        return "".join(out)

    return inner(target)
