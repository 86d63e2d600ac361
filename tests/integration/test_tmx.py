"""TMX 1.4 export and import of the translation memory through the API."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select

from workflow import memory
from workflow.db import Database
from workflow.models import MemoryEntry, User
from workflow.uow import UnitOfWork

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _remember(db: Database) -> None:
    with UnitOfWork(db) as uow:
        memory.remember(uow.session, "en", "es", "The council met on <g1>Monday</g1>.",
                        "El consejo se reunió el <g1>lunes</g1>.", None, "rev-es@desk.test")
        memory.remember(uow.session, "en", "es", "Rain is expected.", "Se espera lluvia.",
                        None, "rev-es@desk.test")
        memory.remember(uow.session, "en", "fr", "Rain is expected.", "On attend la pluie.",
                        None, "rev-fr@desk.test")
        uow.commit()


def _entries(db: Database) -> dict[tuple[str, str], str]:
    with db.session() as s:
        return {(e.target_language, e.source_text): e.target_text
                for e in s.scalars(select(MemoryEntry))}


def test_a_pair_exports_as_tmx14_with_creation_dates_users_and_inline_codes(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    _remember(sqlite_db)
    got = client.get("/api/v1/memory.tmx?source=en&target=es",
                     headers=token_for("rev-es@desk.test"))
    assert got.status_code == 200
    root = etree.fromstring(got.data)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang",
                 "srclang", "datatype"):
        assert header.get(attr), attr
    assert header.get("srclang") == "en"
    tus = root.findall("body/tu")
    assert len(tus) == 2
    for tu in tus:
        assert tu.get("creationid") == "rev-es@desk.test"
        assert len(tu.get("creationdate")) == 16 and tu.get("creationdate").endswith("Z")
        assert [tuv.get(XML_LANG) for tuv in tu.findall("tuv")] == ["en", "es"]
    seg = tus[0].find("tuv/seg")
    assert [(c.tag, c.text) for c in seg] == [("bpt", "<g1>"), ("ept", "</g1>")]
    everything = client.get("/api/v1/memory.tmx", headers=token_for("admin@desk.test"))
    assert len(etree.fromstring(everything.data).findall("body/tu")) == 3
    assert etree.fromstring(everything.data).find("header").get("srclang") == "*all*"


def test_an_import_dedupes_adds_and_never_overwrites_a_newer_entry(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    _remember(sqlite_db)
    admin = token_for("admin@desk.test")
    root = etree.fromstring(client.get("/api/v1/memory.tmx?source=en&target=es",
                                       headers=admin).data)
    monday, rain = root.findall("body/tu")
    # An older edit from another tool must not replace ours; a later one must.
    rain.find("tuv[2]/seg").text = "Lloverá."
    rain.set("changedate", "20000101T000000Z")
    monday_target = monday.find("tuv[2]/seg")
    monday_target[0].tail = "martes"  # inside <g1>…</g1>
    monday.set("changedate", "29990101T000000Z")
    monday.set("creationid", "cat-tool-user")
    new = etree.SubElement(root.find("body"), "tu", creationdate="20261101T100000Z",
                           creationid="someone")
    for lang, text in (("en-GB", "Schools reopen."), ("es-ES", "Reabren las escuelas.")):
        tuv = etree.SubElement(new, "tuv", {XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = text
    root.find("body").append(etree.fromstring(etree.tostring(new)))  # a duplicate unit

    put = client.post("/api/v1/memory.tmx", data=etree.tostring(root), headers=admin)
    assert put.status_code == 200, put.get_json()
    assert put.get_json() == {"added": 1, "updated": 1, "unchanged": 1, "kept_newer": 1,
                              "skipped_languages": []}
    entries = _entries(sqlite_db)
    assert entries[("es", "Rain is expected.")] == "Se espera lluvia."
    assert entries[("es", "The council met on <g1>Monday</g1>.")] == (
        "El consejo se reunió el <g1>martes</g1>.")
    assert entries[("es", "Schools reopen.")] == "Reabren las escuelas."
    assert entries[("fr", "Rain is expected.")] == "On attend la pluie."
    again = client.get("/api/v1/memory.tmx?source=en&target=es", headers=admin)
    by_source = {"".join(tu.find("tuv/seg").itertext()): tu
                 for tu in etree.fromstring(again.data).findall("body/tu")}
    assert by_source["The council met on <g1>Monday</g1>."].get("creationid") == "cat-tool-user"
    assert by_source["Schools reopen."].get("creationdate") == "20261101T100000Z"


def test_a_hostile_tmx_or_a_non_admin_changes_nothing(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    _remember(sqlite_db)
    before = _entries(sqlite_db)
    admin = token_for("admin@desk.test")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa">]>'
              b'<tmx version="1.4"><header/><body>&a;</body></tmx>')
    refused = client.post("/api/v1/memory.tmx", data=laughs, headers=admin)
    assert refused.status_code == 422 and "DTD" in refused.get_json()["message"]
    no_source = (b'<tmx version="1.4"><header srclang="en"/><body><tu>'
                 b'<tuv xml:lang="es"><seg>Hola</seg></tuv></tu></body></tmx>')
    bad = client.post("/api/v1/memory.tmx", data=no_source, headers=admin)
    assert bad.status_code == 422 and "unit 1" in bad.get_json()["message"]
    exported = client.get("/api/v1/memory.tmx", headers=admin).data
    assert client.post("/api/v1/memory.tmx", data=exported,
                       headers=token_for("rev-es@desk.test")).status_code == 403
    assert _entries(sqlite_db) == before
