"""XLIFF round trips through the API and the workspace: export, edit as a CAT tool, import."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from lxml import etree

from tests.conftest import Dispatched
from tests.helpers import csrf_from, sign_in
from workflow.models import User

X12 = "urn:oasis:names:tc:xliff:document:1.2"
X2 = "urn:oasis:names:tc:xliff:document:2.0"
LD = "urn:x-linguadesk:xliff"
ARTICLE = {
    "source_language": "en", "target_languages": ["es"], "format": "markdown",
    "title": "Budget approved",
    "body": "The council read [the full report](https://example.org/report) on **Monday**.\n\n"
            "Write to news@example.org or see https://example.org/live for updates.",
}


@pytest.fixture
def draft(client: FlaskClient, people: dict[str, User], dispatched: Dispatched,
          token_for: Callable[[str], dict[str, str]],
          translate_now: Callable[[int], str]) -> dict[str, Any]:
    """A Spanish machine draft of an article with a link, bold text, a URL and an e-mail."""
    created = client.post("/api/v1/articles", json=ARTICLE, headers=token_for("editor@desk.test"))
    tid = created.get_json()["translations"][0]["id"]
    assert translate_now(tid) == "done"
    reviewer = token_for("rev-es@desk.test")
    body = client.get(f"/api/v1/translations/{tid}", headers=reviewer).get_json()
    return {"id": tid, "segments": body["segments"], "reviewer": reviewer}


def _set_target(target: etree._Element, inner_xml: str, ns: str) -> None:
    """Replace a target's content as a CAT tool would (``inner_xml`` in the XLIFF namespace)."""
    fresh = etree.fromstring(f'<target xmlns="{ns}">{inner_xml}</target>')
    target.text = fresh.text
    for child in list(target):
        target.remove(child)
    for child in fresh:
        target.append(child)


def _units(root: etree._Element, ns: str) -> dict[str, etree._Element]:
    tag = "trans-unit" if ns == X12 else "unit"
    return {u.get("id"): u for u in root.iter(f"{{{ns}}}{tag}")}


def test_xliff12_export_has_one_unit_per_segment_with_state_notes_and_inline_codes(
        client: FlaskClient, draft: dict[str, Any]) -> None:
    got = client.get(f"/api/v1/translations/{draft['id']}/xliff", headers=draft["reviewer"])
    assert got.status_code == 200
    assert got.mimetype == "application/x-xliff+xml"
    root = etree.fromstring(got.data)
    assert root.tag == f"{{{X12}}}xliff" and root.get("version") == "1.2"
    (file_,) = root.findall(f"{{{X12}}}file")
    assert (file_.get("source-language"), file_.get("target-language")) == ("en", "es")
    assert file_.get("datatype") == "plaintext" and file_.get("original")
    assert file_.find(f"{{{X12}}}body") is not None
    units = _units(root, X12)
    assert list(units) == [str(s["id"]) for s in draft["segments"]]
    for seg in draft["segments"]:
        unit = units[str(seg["id"])]
        assert [etree.QName(c).localname for c in unit][:2] == ["source", "target"]
        assert unit.get(f"{{{LD}}}revision") == str(seg["revision"])
        target = unit.find(f"{{{X12}}}target")
        assert target.get("state") == "needs-review-translation"
        assert target.get("state-qualifier") == "mt-suggestion"
    link = units[str(draft["segments"][1]["id"])].find(f"{{{X12}}}source")
    assert [(etree.QName(c).localname, c.get("id"), c.text) for c in link] == [
        ("g", "g1", "the full report"), ("g", "g2", "Monday")]
    contact = units[str(draft["segments"][2]["id"])].find(f"{{{X12}}}source")
    assert [(etree.QName(c).localname, c.get("id"), c.get("equiv-text")) for c in contact] == [
        ("x", "u1", "news@example.org"), ("x", "u2", "https://example.org/live")]
    assert "".join(contact.itertext()) == "Write to  or see  for updates."


def test_xliff12_round_trip_saves_edited_targets_and_reports_a_desk_edit_as_a_conflict(
        client: FlaskClient, draft: dict[str, Any]) -> None:
    tid, reviewer, segs = draft["id"], draft["reviewer"], draft["segments"]
    exported = client.get(f"/api/v1/translations/{tid}/xliff", headers=reviewer).data
    # Meanwhile someone corrects the title on the desk.
    title = segs[0]
    assert client.put(f"/api/v1/translations/{tid}/segments/{title['id']}",
                      json={"text": "Presupuesto aprobado", "revision": title["revision"]},
                      headers=reviewer).status_code == 200

    root = etree.fromstring(exported)
    units = _units(root, X12)
    _set_target(units[str(segs[0]["id"])].find(f"{{{X12}}}target"),
                "Se aprueba el presupuesto", X12)
    link_target = units[str(segs[1]["id"])].find(f"{{{X12}}}target")
    _set_target(link_target, 'El consejo leyó <g id="g1">el informe completo</g> el '
                '<g id="g2">lunes</g>.', X12)
    link_target.set("state", "final")
    _set_target(units[str(segs[2]["id"])].find(f"{{{X12}}}target"),
                'Escriba a <x id="u1"/> o vea <x id="u2"/> para novedades.', X12)

    put = client.put(f"/api/v1/translations/{tid}/xliff", data=etree.tostring(root),
                     headers=reviewer)
    assert put.status_code == 200, put.get_json()
    report = put.get_json()
    assert report["updated"] == [segs[1]["id"], segs[2]["id"]]
    assert [c["segment_id"] for c in report["conflicts"]] == [segs[0]["id"]]
    assert "changed in the desk" in report["conflicts"][0]["reason"]

    after = {s["id"]: s for s in client.get(f"/api/v1/translations/{tid}",
                                            headers=reviewer).get_json()["segments"]}
    assert after[segs[0]["id"]]["text"] == "Presupuesto aprobado"
    assert after[segs[1]["id"]]["text"] == ("El consejo leyó <g1>el informe completo</g1> el "
                                            "<g2>lunes</g2>.")
    assert after[segs[1]["id"]]["state"] == "confirmed"
    assert after[segs[2]["id"]]["text"] == ("Escriba a news@example.org o vea "
                                            "https://example.org/live para novedades.")
    assert after[segs[2]["id"]]["state"] == "edited"

    again = client.put(f"/api/v1/translations/{tid}/xliff", data=etree.tostring(root),
                       headers=reviewer).get_json()
    assert again["updated"] == [] and [c["segment_id"] for c in again["conflicts"]] == [
        segs[0]["id"]]


def test_xliff21_export_and_round_trip_with_pc_and_ph_codes(
        client: FlaskClient, draft: dict[str, Any]) -> None:
    tid, reviewer, segs = draft["id"], draft["reviewer"], draft["segments"]
    got = client.get(f"/api/v1/translations/{tid}/xliff?version=2.1", headers=reviewer)
    assert got.status_code == 200
    root = etree.fromstring(got.data)
    assert root.tag == f"{{{X2}}}xliff" and root.get("version") == "2.1"
    assert (root.get("srcLang"), root.get("trgLang")) == ("en", "es")
    (file_,) = root.findall(f"{{{X2}}}file")
    assert file_.get("id")
    units = _units(root, X2)
    assert list(units) == [str(s["id"]) for s in segs]
    for unit in units.values():
        (segment,) = unit.findall(f"{{{X2}}}segment")
        assert segment.get("state") == "initial" and segment.get("subState") == "linguadesk:mt"
        assert [etree.QName(c).localname for c in segment] == ["source", "target"]
    link = units[str(segs[1]["id"])].find(f"{{{X2}}}segment/{{{X2}}}source")
    assert [(etree.QName(c).localname, c.get("id")) for c in link] == [("pc", "g1"), ("pc", "g2")]
    contact = units[str(segs[2]["id"])].find(f"{{{X2}}}segment/{{{X2}}}source")
    assert [(etree.QName(c).localname, c.get("id"), c.get("equiv")) for c in contact] == [
        ("ph", "u1", "news@example.org"), ("ph", "u2", "https://example.org/live")]

    # Meanwhile the desk confirms the e-mail paragraph.
    assert client.put(f"/api/v1/translations/{tid}/segments/{segs[2]['id']}",
                      json={"text": "Escriba a news@example.org o vea https://example.org/live.",
                            "revision": segs[2]["revision"], "confirm": True},
                      headers=reviewer).status_code == 200
    link_segment = units[str(segs[1]["id"])].find(f"{{{X2}}}segment")
    _set_target(link_segment.find(f"{{{X2}}}target"),
                'El consejo leyó <pc id="g1">el informe</pc> el <pc id="g2">lunes</pc>.', X2)
    link_segment.set("state", "final")
    link_segment.attrib.pop("subState")
    contact_target = units[str(segs[2]["id"])].find(f"{{{X2}}}segment/{{{X2}}}target")
    _set_target(contact_target, 'Otra cosa <ph id="u1"/>.', X2)

    report = client.put(f"/api/v1/translations/{tid}/xliff", data=etree.tostring(root),
                        headers=reviewer).get_json()
    assert report["updated"] == [segs[1]["id"]]
    assert [c["segment_id"] for c in report["conflicts"]] == [segs[2]["id"]]
    after = {s["id"]: s for s in client.get(f"/api/v1/translations/{tid}",
                                            headers=reviewer).get_json()["segments"]}
    assert after[segs[1]["id"]]["text"] == "El consejo leyó <g1>el informe</g1> el <g2>lunes</g2>."
    assert after[segs[1]["id"]]["state"] == "confirmed"
    assert after[segs[2]["id"]]["text"].startswith("Escriba a news@example.org")

    confirmed = client.get(f"/api/v1/translations/{tid}/xliff?version=2.1", headers=reviewer)
    states = [s.get("state") for s in etree.fromstring(confirmed.data).iter(f"{{{X2}}}segment")]
    assert states == ["initial", "final", "final"]


HOSTILE = {
    "not XML": (b"this is not xml <", "not well-formed"),
    "XXE": (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2">&e;</xliff>', "DTD"),
    "billion laughs": (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                       b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>', "DTD"),
    "not XLIFF": (b"<html><body/></html>", "not an XLIFF"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_or_foreign_file_is_refused_with_a_4xx_and_nothing_is_written(
        client: FlaskClient, draft: dict[str, Any], name: str) -> None:
    data, message = HOSTILE[name]
    put = client.put(f"/api/v1/translations/{draft['id']}/xliff", data=data,
                     headers=draft["reviewer"])
    assert put.status_code == 422
    assert message in put.get_json()["message"]
    _assert_untouched(client, draft)


def _assert_untouched(client: FlaskClient, draft: dict[str, Any]) -> None:
    now = client.get(f"/api/v1/translations/{draft['id']}", headers=draft["reviewer"]).get_json()
    assert now["state"] == "draft"
    assert [(s["text"], s["revision"]) for s in now["segments"]] == [
        (s["text"], s["revision"]) for s in draft["segments"]]


def _edited_export(client: FlaskClient, draft: dict[str, Any],
                   change: Callable[[etree._Element], None]) -> bytes:
    root = etree.fromstring(client.get(f"/api/v1/translations/{draft['id']}/xliff",
                                       headers=draft["reviewer"]).data)
    _set_target(_units(root, X12)[str(draft["segments"][0]["id"])].find(f"{{{X12}}}target"),
                "Un título nuevo", X12)
    change(root)
    return bytes(etree.tostring(root))


def _other_translation(root: etree._Element) -> None:
    root.find(f"{{{X12}}}file").set(f"{{{LD}}}translation", "999")


def _unknown_unit(root: etree._Element) -> None:
    unit = next(iter(_units(root, X12).values()))
    unit.getparent().append(etree.fromstring(etree.tostring(unit)))
    unit.getparent()[-1].set("id", "123456")


def _broken_code(root: etree._Element) -> None:
    target = list(_units(root, X12).values())[1].find(f"{{{X12}}}target")
    _set_target(target, 'El consejo leyó <g id="g7">el informe</g>.', X12)


@pytest.mark.parametrize(("change", "message"), [
    (_other_translation, "not an export of translation"),
    (_unknown_unit, "units this translation does not have: 123456"),
    (_broken_code, 'inline code <g id="g7">'),
])
def test_a_file_of_another_translation_unknown_units_or_broken_codes_change_nothing(
        client: FlaskClient, draft: dict[str, Any],
        change: Callable[[etree._Element], None], message: str) -> None:
    put = client.put(f"/api/v1/translations/{draft['id']}/xliff",
                     data=_edited_export(client, draft, change), headers=draft["reviewer"])
    assert put.status_code == 422
    assert message in put.get_json()["message"]
    _assert_untouched(client, draft)


def test_only_reviewers_of_the_language_may_exchange_xliff(
        client: FlaskClient, draft: dict[str, Any],
        token_for: Callable[[str], dict[str, str]]) -> None:
    french = token_for("rev-fr@desk.test")
    assert client.get(f"/api/v1/translations/{draft['id']}/xliff",
                      headers=french).status_code == 404
    editor = token_for("editor@desk.test")
    assert client.get(f"/api/v1/translations/{draft['id']}/xliff",
                      headers=editor).status_code == 403
    assert client.put(f"/api/v1/translations/{draft['id']}/xliff", data=b"<x/>",
                      headers=editor).status_code == 403


def test_the_workspace_downloads_and_uploads_xliff_with_csrf(
        client: FlaskClient, draft: dict[str, Any]) -> None:
    sign_in(client, "rev-es@desk.test")
    page = client.get(f"/translations/{draft['id']}")
    assert b'id="xliff-download"' in page.data and b'id="xliff-upload"' in page.data
    exported = client.get(f"/translations/{draft['id']}/xliff")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["Content-Disposition"]
    root = etree.fromstring(exported.data)
    first = str(draft["segments"][0]["id"])
    _set_target(_units(root, X12)[first].find(f"{{{X12}}}target"), "Presupuesto sí", X12)
    import io
    no_csrf = client.post(f"/translations/{draft['id']}/xliff",
                          data={"file": (io.BytesIO(etree.tostring(root)), "t.xlf")})
    assert no_csrf.status_code == 400
    _assert_untouched(client, draft)
    token = csrf_from(client, f"/translations/{draft['id']}")
    done = client.post(f"/translations/{draft['id']}/xliff",
                       data={"csrf_token": token,
                             "file": (io.BytesIO(etree.tostring(root)), "t.xlf")})
    assert done.status_code == 200
    assert b"1 updated" in done.data
    assert "Presupuesto sí" in done.get_data(as_text=True)


def test_the_workspace_reports_an_xliff_import_in_the_readers_language(
        client: FlaskClient, draft: dict[str, Any]) -> None:
    import io
    tid, segs = draft["id"], draft["segments"]
    sign_in(client, "rev-es@desk.test")
    root = etree.fromstring(client.get(f"/translations/{tid}/xliff").data)
    title = segs[0]
    assert client.put(f"/api/v1/translations/{tid}/segments/{title['id']}",
                      json={"text": "Presupuesto aprobado", "revision": title["revision"]},
                      headers=draft["reviewer"]).status_code == 200
    _set_target(_units(root, X12)[str(title["id"])].find(f"{{{X12}}}target"),
                "Se aprueba el presupuesto", X12)
    french = {"Accept-Language": "fr-FR,fr;q=0.9"}
    token = csrf_from(client, f"/translations/{tid}")
    done = client.post(f"/translations/{tid}/xliff", headers=french,
                       data={"csrf_token": token,
                             "file": (io.BytesIO(etree.tostring(root)), "t.xlf")})
    assert done.status_code == 200
    report = etree.HTML(done.data).find(".//p[@id='xliff-report']")
    said = " ".join("".join(report.itertext()).split())
    assert said.startswith("XLIFF importé : 0 mis à jour, 2 sans changement, 1 conflit.")
    assert (f"Le segment {title['id']} a été modifié dans la rédaction depuis l'export "
            f"(révision {title['revision']} dans le fichier, {title['revision'] + 1} "
            "maintenant)") in said
    assert "Téléverser le XLIFF" in done.get_data(as_text=True)
