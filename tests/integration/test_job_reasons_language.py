"""Why a job stopped, and why a segment was pre-confirmed, reach each reader in their interface
language: the dashboard, the article and workspace pages, and the API with Accept-Language;
English with no preference, a library's own words left as they are, and a row stored before
reasons kept their template shows the English it was stored with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import unescape

from flask.testing import FlaskClient
from sqlalchemy import select

from tests.helpers import login
from tests.use_cases import FakeEngine, run_job, submit, translation_id
from workflow import failures
from workflow.db import Database
from workflow.engine import MTResult
from workflow.models import Preferences, ReviewPolicy, TranslatedSegment, Translation, User
from workflow.services import jobs
from workflow.uow import UnitOfWork

SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}


class Raises(FakeEngine):
    """An engine that fails on every sentence with an exception of its own library."""

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        raise IndexError("index out of range in self")


class Sure(FakeEngine):
    """An engine sure of every draft, which copies the source (so QA passes)."""

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[MTResult]:
        return [MTResult(t, "fake", "fake-1", confidence=0.95) for t in texts]


def _job_error(page: str, language: str) -> str:
    return unescape(page.split(f'class="job-error" data-language="{language}">')[1]
                    .split("</div>")[0])


def _failed_job(db: Database, editor: User) -> int:
    submit(db, editor, body="The council met on Monday.")
    tid = translation_id(db, "es")
    assert run_job(db, tid, Raises()) == "failed"
    return tid


def _prefers(db: Database, email: str, language: str) -> None:
    with db.session() as s:
        user_id = s.scalar(select(User.id).where(User.email == email))
        assert user_id is not None
        s.merge(Preferences(user_id=user_id, interface_language=language))
        s.commit()


def test_a_failed_job_tells_a_spanish_editor_why_in_spanish_and_others_in_english(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    tid = _failed_job(sqlite_db, people["editor"])
    login(client, "editor@desk.test")
    english = ("2 of 2 segments could not be translated (positions 0, 1). Segment 0 (“Budget "
               "day”): fake fake failed on “Budget day”: IndexError: index out of range in self. "
               "The others are kept; Retry translates only the missing ones.")
    assert _job_error(client.get("/").text, "es") == english

    _prefers(sqlite_db, "editor@desk.test", "es")
    # The library's own words (IndexError: …) and the article's text stay as they are.
    spanish = ("No se pudieron traducir 2 de 2 segmentos (posiciones 0, 1). Segmento 0 («Budget "
               "day»): fake fake falló con «Budget day»: IndexError: index out of range in self. "
               "Los demás se conservan; Reintentar traduce solo los que faltan.")
    assert _job_error(client.get("/").text, "es") == spanish
    with sqlite_db.session() as s:
        article_id = s.scalar(select(Translation.article_id).where(Translation.id == tid))
    assert spanish in unescape(client.get(f"/articles/{article_id}").text)
    assert spanish in unescape(client.get(f"/translations/{tid}").text)


def test_the_api_says_why_in_the_language_asked_for_and_english_by_default(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    tid = _failed_job(sqlite_db, people["editor"])
    token = token_for("editor@desk.test")
    english = client.get(f"/api/v1/translations/{tid}", headers=token).get_json()["error"]
    assert english.startswith("2 of 2 segments could not be translated (positions 0, 1).")
    spanish = client.get(f"/api/v1/translations/{tid}",
                         headers={**token, **SPANISH}).get_json()["error"]
    assert spanish.startswith("No se pudieron traducir 2 de 2 segmentos (posiciones 0, 1).")


def test_a_job_given_back_then_given_up_says_both_in_spanish(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    submit(sqlite_db, people["editor"])
    tid = translation_id(sqlite_db, "es")
    with UnitOfWork(sqlite_db) as uow:
        assert jobs.claim(uow, tid, "w1", lease_seconds=60)
    assert jobs.stopped(lambda: UnitOfWork(sqlite_db), tid, "w1",
                        failures.explain(MemoryError())) == "queued"
    _prefers(sqlite_db, "editor@desk.test", "es")
    login(client, "editor@desk.test")
    assert _job_error(client.get("/").text, "es") == (
        "El worker se quedó sin memoria mientras traducía. Se volverá a intentar en breve.")

    with UnitOfWork(sqlite_db) as uow:
        assert jobs.claim(uow, tid, "w2", lease_seconds=-1)  # and never came back
    assert jobs.translate(lambda: UnitOfWork(sqlite_db), tid, lambda s, t: FakeEngine(), "w3",
                          max_attempts=2) == "failed"
    assert _job_error(client.get("/").text, "es") == (
        "Abandonado tras 2 intentos. Último motivo: El worker se quedó sin memoria mientras "
        "traducía.")
    with sqlite_db.session() as s:
        assert s.scalar(select(Translation.error).where(Translation.id == tid)) == (
            "Gave up after 2 attempts. Last reason: The worker ran out of memory while "
            "translating.")


def test_a_reason_stored_before_reasons_kept_their_template_shows_its_english(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database) -> None:
    tid = _failed_job(sqlite_db, people["editor"])
    with sqlite_db.session() as s:
        t = s.get(Translation, tid)
        assert t is not None
        t.error, t.error_detail = "An older reason.", None
        s.commit()
    _prefers(sqlite_db, "editor@desk.test", "es")
    login(client, "editor@desk.test")
    assert _job_error(client.get("/").text, "es") == "An older reason."


def test_retrying_clears_the_reason_in_every_language(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    tid = _failed_job(sqlite_db, people["editor"])
    answer = client.post(f"/api/v1/translations/{tid}/retry", json={},
                         headers=token_for("editor@desk.test"))
    assert answer.status_code == 200 and answer.get_json()["error"] is None
    with sqlite_db.session() as s:
        assert s.execute(select(Translation.error, Translation.error_detail)
                         .where(Translation.id == tid)).one() == (None, None)


def test_a_pre_confirmed_segment_says_why_in_the_reviewers_language(
        client: FlaskClient, people: dict[str, User], sqlite_db: Database,
        token_for: Callable[[str], dict[str, str]]) -> None:
    with sqlite_db.session() as s:
        s.add(ReviewPolicy(language="es", min_confidence=0.5))
        s.commit()
    submit(sqlite_db, people["editor"])
    tid = translation_id(sqlite_db, "es")
    assert run_job(sqlite_db, tid, Sure()) == "done"
    english = "Pre-confirmed by the es review policy: confidence 0.95 above 0.50 and QA passes."
    with sqlite_db.session() as s:
        stored = list(s.scalars(select(TranslatedSegment.preconfirmed)
                                .where(TranslatedSegment.translation_id == tid)
                                .order_by(TranslatedSegment.position)))
    assert english in stored  # the English is what is kept (audit, exports)
    login(client, "rev-es@desk.test")
    spanish = ("Preconfirmado por la política de revisión de es: seguridad de 0.95, superior a "
               "0.50, y sin problemas en el control de calidad.")
    page = unescape(client.get(f"/translations/{tid}", headers=SPANISH).text)
    assert page.count(spanish) == stored.count(english) and english not in page
    assert unescape(client.get(f"/translations/{tid}").text).count(english) == stored.count(
        english)
    reviewer = token_for("rev-es@desk.test")
    segs = client.get(f"/api/v1/translations/{tid}", headers={**reviewer, **SPANISH}
                      ).get_json()["segments"]
    assert [s["preconfirmed"] for s in segs] == [spanish if n else None for n in stored]
