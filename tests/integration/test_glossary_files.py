"""Glossary import and export as CSV and TBX, previewed before applied, API and admin page."""

from __future__ import annotations

import io
from collections.abc import Callable

from flask.testing import FlaskClient
from lxml import etree
from sqlalchemy import select

from tests.helpers import csrf_from, sign_in
from workflow.db import Database
from workflow.models import GlossaryTerm, User
from workflow.uow import UnitOfWork

TBX = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _seed(db: Database) -> None:
    with UnitOfWork(db) as uow:
        uow.session.add_all([
            GlossaryTerm(term="council", language="es", translation="concejo",
                         note="local government"),
            GlossaryTerm(term="Linguadesk", language="es", do_not_translate=True),
            GlossaryTerm(term="=SUM(A1)", language="fr", translation="somme"),
            GlossaryTerm(term="gunman", language="es", translation="pistolero", forbidden=True),
        ])
        uow.commit()


def _terms(db: Database) -> dict[tuple[str, str], tuple[str, str, bool, bool]]:
    with db.session() as s:
        return {(g.term, g.language): (g.translation, g.note, g.do_not_translate, g.forbidden)
                for g in s.scalars(select(GlossaryTerm))}


def test_csv_round_trip_previews_then_applies_only_what_changed(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    _seed(sqlite_db)
    admin = token_for("admin@desk.test")
    exported = client.get("/api/v1/glossary.csv", headers=token_for("rev-es@desk.test"))
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    text = exported.data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "term,language,translation,note,do_not_translate,forbidden"
    assert "'=SUM(A1),fr,somme,,," in lines  # a spreadsheet must not run it as a formula
    assert "Linguadesk,es,,,yes," in lines and "gunman,es,pistolero,,,yes" in lines

    edited = text.replace("council,es,concejo,local government",
                          "council,es,ayuntamiento,local government")
    edited += "budget,es,presupuesto,,,\r\n"
    before = _terms(sqlite_db)
    preview = client.post("/api/v1/glossary.csv", data=edited.encode(), headers=admin)
    assert preview.status_code == 200
    body = preview.get_json()
    assert (body["applied"], body["added"], body["updated"], body["unchanged"]) == (
        False, 1, 1, 3)
    changed = {(c["action"], c["term"]) for c in body["changes"] if c["action"] != "unchanged"}
    assert changed == {("add", "budget"), ("update", "council")}
    assert _terms(sqlite_db) == before  # a preview writes nothing

    applied = client.post(f"/api/v1/glossary.csv?apply=true&digest={body['digest']}",
                          data=edited.encode(), headers=admin)
    assert applied.status_code == 200 and applied.get_json()["applied"] is True
    after = _terms(sqlite_db)
    assert after[("council", "es")] == ("ayuntamiento", "local government", False, False)
    assert after[("budget", "es")] == ("presupuesto", "", False, False)
    assert after[("=SUM(A1)", "fr")] == ("somme", "", False, False)
    stale = client.post(f"/api/v1/glossary.csv?apply=true&digest={body['digest']}",
                        data=edited.encode(), headers=admin)
    assert stale.status_code == 409  # the same file now changes nothing it previewed


def test_tbx_round_trip_keeps_do_not_translate_forbidden_and_notes(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    _seed(sqlite_db)
    admin = token_for("admin@desk.test")
    exported = client.get("/api/v1/glossary.tbx?language=es", headers=admin)
    root = etree.fromstring(exported.data)
    assert root.tag == f"{{{TBX}}}tbx" and root.get("type") == "TBX-Basic"
    assert root.get(XML_LANG) == "en"
    concepts = root.findall(f"{{{TBX}}}text/{{{TBX}}}body/{{{TBX}}}conceptEntry")
    assert len(concepts) == 3
    gunman = next(c for c in concepts if c.findtext(f".//{{{TBX}}}term") == "gunman")
    es = gunman.findall(f"{{{TBX}}}langSec")[1]
    assert es.get(XML_LANG) == "es"
    assert es.findtext(f"{{{TBX}}}termSec/{{{TBX}}}term") == "pistolero"
    assert es.findtext(f"{{{TBX}}}termSec/{{{TBX}}}termNote") == "deprecatedTerm-admn-sts"

    unchanged = client.post("/api/v1/glossary.tbx", data=exported.data, headers=admin)
    assert unchanged.get_json()["unchanged"] == 3 and unchanged.get_json()["added"] == 0
    with UnitOfWork(sqlite_db) as uow:  # wipe the glossary, then restore it from the TBX
        for g in uow.session.scalars(select(GlossaryTerm).where(GlossaryTerm.language == "es")):
            uow.session.delete(g)
        uow.commit()
    restored = client.post("/api/v1/glossary.tbx?apply=1", data=exported.data, headers=admin)
    assert restored.get_json()["added"] == 3
    assert _terms(sqlite_db)[("Linguadesk", "es")] == ("", "", True, False)
    assert _terms(sqlite_db)[("gunman", "es")] == ("pistolero", "", False, True)
    assert _terms(sqlite_db)[("council", "es")] == ("concejo", "local government", False, False)


def test_bad_glossary_files_are_refused_with_the_line_to_fix_and_nothing_written(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    _seed(sqlite_db)
    before = _terms(sqlite_db)
    admin = token_for("admin@desk.test")
    cases = [
        (b"term,language\nbudget,xx\n", "line 2"),
        (b"word,lang\nbudget,es\n", "no term or language column"),
        (b"term,language,translation\nbudget,es,\n", "Give the term's translation"),
        (b"term,language,translation\nbudget,es,a\nbudget,es,b\n", "Lines 2 and 3"),
        (b"term,language,forbidden\nbudget,es,maybe\n", "write yes"),
        (b'<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
         b"<tbx>&e;</tbx>", "DTD"),
    ]
    for data, message in cases:
        fmt = "tbx" if data.startswith(b"<") else "csv"
        got = client.post(f"/api/v1/glossary.{fmt}?apply=true", data=data, headers=admin)
        assert got.status_code == 422, (data, got.get_json())
        assert message in got.get_json()["message"], got.get_json()["message"]
    assert client.post("/api/v1/glossary.csv?apply=true", data=b"term,language,translation\n"
                       b"x,es,y\n", headers=token_for("editor@desk.test")).status_code == 403
    assert _terms(sqlite_db) == before


def test_the_admin_page_shows_the_changes_before_applying_them(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    _seed(sqlite_db)
    sign_in(client, "admin@desk.test")
    token = csrf_from(client, "/glossary")
    csv_file = b"term,language,translation,note\ncouncil,es,cabildo,\nferry,es,transbordador,\n"
    preview = client.post("/glossary/import", data={
        "csrf_token": token, "file": (io.BytesIO(csv_file), "terms.csv")})
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "1 to add, 1 to update, 0 unchanged" in page
    assert 'data-action="update" data-term="council"' in page and "concejo" in page
    assert _terms(sqlite_db)[("council", "es")][0] == "concejo"
    tree = etree.HTML(preview.data)
    form = {i.get("name"): i.get("value") for i in tree.iter("input")
            if i.get("name") and i.getparent().get("id") == "apply-import"}
    form["content"] = tree.find(".//textarea[@name='content']").text
    done = client.post("/glossary/import/apply", data=form)
    assert done.status_code == 302
    assert _terms(sqlite_db)[("council", "es")][0] == "cabildo"
    assert _terms(sqlite_db)[("ferry", "es")][0] == "transbordador"


def test_the_import_preview_speaks_the_readers_language(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    _seed(sqlite_db)
    sign_in(client, "admin@desk.test")
    token = csrf_from(client, "/glossary")
    csv_file = b"term,language,translation,note\ncouncil,es,cabildo,\nferry,es,transbordador,\n"
    preview = client.post("/glossary/import", headers={"Accept-Language": "es"}, data={
        "csrf_token": token, "file": (io.BytesIO(csv_file), "terms.csv")})
    page = preview.get_data(as_text=True)
    assert "1 por añadir, 1 por actualizar, 0 sin cambios. No se guarda nada" in page
    assert "Aplicar estos cambios" in page and "<td>actualizar</td>" in page
    empty = client.post("/glossary/import", headers={"Accept-Language": "zh-CN"},
                        data={"csrf_token": token})
    assert "请选择 CSV 或 TBX 格式的术语表文件。" in empty.get_data(as_text=True)
