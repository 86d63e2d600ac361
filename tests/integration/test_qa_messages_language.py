"""QA issues and MT flags reach the reviewer in their interface language: the workspace page,
its script's JSON, the refused approval (page and API); English with no preference, and a
flag stored before flags kept their template shows the English it was stored with."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from html import unescape

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.helpers import csrf_from, login
from tests.use_cases import FakeEngine, run_job, submit
from workflow.db import Database
from workflow.engine import MTResult
from workflow.models import TranslatedSegment, Translation, User

SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}
BODY = "95,000 people came to the rally on Sunday."


class TerseEngine(FakeEngine):
    """An engine that answers every sentence with one short word, as a broken model might."""

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        self.calls.append(list(texts))
        return [MTResult("Gente.", "fake", "fake-1") for _ in texts]


def _terse_draft(db: Database, editor: User) -> tuple[int, int]:
    """A Spanish draft whose body the engine cut short (the pipeline puts its dropped figure
    back and flags both): its id and the body segment's id."""
    submit(db, editor, title="Rally", body=BODY, target_languages_=["es"])
    with db.session() as s:
        tid = s.scalar(select(Translation.id).order_by(Translation.id.desc()))
        assert tid is not None
        assert run_job(db, tid, TerseEngine()) == "done"
        body = s.scalar(select(TranslatedSegment.id).where(
            TranslatedSegment.translation_id == tid, TranslatedSegment.source_text == BODY))
    assert body is not None
    return tid, body


def _issues(page: str, segment_id: int) -> str:
    return unescape(page.split(f'id="seg-{segment_id}"')[1].split('<ul class="qa">')[1]
                    .split("</ul>")[0])


def _flags(page: str, segment_id: int) -> str:
    return unescape(page.split(f'id="seg-{segment_id}"')[1].split('class="mt-flags"')[1]
                    .split("</ul>")[0])


def test_a_spanish_reviewer_reads_qa_issues_and_mt_flags_in_spanish_on_the_workspace(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    tid, body = _terse_draft(sqlite_db, people["editor"])
    login(client, "rev-es@desk.test")
    page = client.get(f"/translations/{tid}", headers=SPANISH).text
    assert _issues(page, body) == (
        '<li class="warning" data-check="length">aviso: La traducción mide 0.3× la longitud '
        "del original.</li>")
    flags = _flags(page, body)
    assert ("El motor omitió 95,000; la oración se volvió a traducir alrededor de ellos para "
            "conservarlos, pero revise el orden de las palabras.") in flags
    assert "La traducción tiene 13 caracteres frente a 42 del original; puede faltar algo." in flags

    english = client.get(f"/translations/{tid}").text
    assert "warning: The target is 0.3× the source's length." in _issues(english, body)
    assert ("The translation has 13 characters for 42 in the source; something may be missing."
            in _flags(english, body))


def test_the_script_and_a_refused_approval_say_the_qa_errors_in_spanish(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    tid, body = _terse_draft(sqlite_db, people["editor"])
    login(client, "rev-es@desk.test")
    page = client.get(f"/translations/{tid}").text
    token = page.split('name="csrf-token" content="')[1].split('"')[0]
    saved = client.post(f"/translations/{tid}/segments/{body}.json",
                        json={"text": "Mucha gente acudió a la manifestación del domingo.",
                              "revision": 1, "confirm": True},
                        headers={"X-CSRFToken": token, **SPANISH})
    assert saved.status_code == 200
    issues = saved.get_json()["segment"]["issues"]
    assert issues == [{"check": "numbers", "severity": "error", "label": "error",
                       "message": "Faltan en la traducción números o fechas del original: "
                                  "95,000"}]

    refused = client.post(f"/translations/{tid}/approve",
                          data={"csrf_token": csrf_from(client, f"/translations/{tid}")},
                          headers=SPANISH)
    assert refused.status_code == 409
    assert ("1 error(es) de control de calidad impiden la aprobación: Faltan en la traducción "
            "números o fechas del original: 95,000") in unescape(refused.text)

    api = client.post(f"/api/v1/translations/{tid}/approve", json={},
                      headers={**token_for("rev-es@desk.test"), "Accept-Language": "fr"})
    assert api.status_code == 409
    answer = api.get_json()
    assert answer["message"] == ("1 erreur(s) de contrôle qualité empêchent l'approbation\u00a0: "
                                 "Des nombres ou des dates de la source manquent dans la "
                                 "traduction\u00a0: 95,000")
    assert [(i["segment_id"], i["message"]) for i in answer["issues"]] == [
        (body, "Des nombres ou des dates de la source manquent dans la traduction\u00a0: 95,000")]


def test_a_flag_stored_before_flags_kept_their_template_shows_its_english(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    tid, body = _terse_draft(sqlite_db, people["editor"])
    with sqlite_db.session() as s:
        seg = s.get(TranslatedSegment, body)
        assert seg is not None
        seg.mt_flags = json.dumps([{"code": "short_output", "message": "An older note."}])
        s.commit()
    login(client, "rev-es@desk.test")
    assert "An older note." in _flags(client.get(f"/translations/{tid}", headers=SPANISH).text,
                                      body)
