"""The transition table: who may fire what, from where, and what it records."""

from __future__ import annotations

import pytest

from workflow.errors import Forbidden, InvalidInput, InvalidTransition
from workflow.models import Translation, User
from workflow.states import Event, State, transition


def user(roles: str, languages: str = "") -> User:
    return User(id=1, email="x@y.z", password_hash="", roles_csv=roles, languages_csv=languages,
                active=True)


def translation(state: State, language: str = "es") -> Translation:
    return Translation(id=7, article_id=3, language=language, state=state.value)


def test_reviewer_of_the_language_approves_a_draft_and_it_is_audited() -> None:
    t = translation(State.DRAFT)
    event = transition(t, Event.APPROVE, user("reviewer", "es"))
    assert t.state == "approved"
    assert (event.from_state, event.to_state, event.action) == ("draft", "approved",
                                                                 "translation.approve")
    assert t.events == [event]


def test_reviewer_of_another_language_may_not_approve() -> None:
    with pytest.raises(Forbidden):
        transition(translation(State.DRAFT, "fr"), Event.APPROVE, user("reviewer", "es"))


def test_editor_may_not_approve_or_publish() -> None:
    with pytest.raises(Forbidden):
        transition(translation(State.DRAFT), Event.APPROVE, user("editor"))
    with pytest.raises(Forbidden):
        transition(translation(State.APPROVED), Event.PUBLISH, user("editor"))


def test_publishing_a_draft_is_an_invalid_transition_that_names_the_required_state() -> None:
    with pytest.raises(InvalidTransition, match="must be approved, published"):
        transition(translation(State.DRAFT), Event.PUBLISH, user("publisher"))


def test_people_cannot_fire_system_events() -> None:
    with pytest.raises(Forbidden):
        transition(translation(State.QUEUED), Event.START, user("admin"))


def test_system_moves_a_job_from_translating_to_draft() -> None:
    t = translation(State.TRANSLATING)
    transition(t, Event.FINISH, None)
    assert t.state == "draft"


def test_send_back_needs_a_note() -> None:
    with pytest.raises(InvalidInput, match="note"):
        transition(translation(State.APPROVED), Event.SEND_BACK, user("publisher"), note="  ")
    t = translation(State.APPROVED)
    transition(t, Event.SEND_BACK, user("publisher"), note="Headline is wrong")
    assert t.state == "in_review"
    assert t.events[-1].note == "Headline is wrong"


def test_admin_may_do_what_people_do() -> None:
    t = translation(State.DRAFT, "ar")
    transition(t, Event.APPROVE, user("admin"))
    transition(t, Event.PUBLISH, user("admin"))
    assert t.state == "published"


def test_unpublishing_takes_a_published_translation_back_to_approved() -> None:
    t = translation(State.PUBLISHED)
    with pytest.raises(Forbidden):
        transition(t, Event.UNPUBLISH, user("editor"))
    transition(t, Event.UNPUBLISH, user("publisher"))
    assert t.state == "approved"
    with pytest.raises(InvalidTransition, match="must be published"):
        transition(t, Event.UNPUBLISH, user("publisher"))
    transition(t, Event.PUBLISH, user("publisher"))  # and it may go out again
    assert t.state == "published"


def test_a_failed_job_is_retried_back_to_queued_by_an_editor() -> None:
    t = translation(State.FAILED)
    transition(t, Event.RETRY, user("editor"))
    assert t.state == "queued"


def test_every_audit_event_is_written_by_the_one_helper() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    builders = [str(p.relative_to(root)) for d in ("workflow", "web", "workers")
                for p in (root / d).rglob("*.py") if "AuditEvent(" in p.read_text("utf-8")]
    assert sorted(builders) == ["workflow/audit.py", "workflow/models/audit.py"]


def test_no_state_is_written_outside_the_transition_table() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writes = re.compile(r"update\(Translation\)|\bt\.state\s*=[^=]")
    found = [f"{p.relative_to(root)}: {line.strip()}" for d in ("workflow", "web", "workers")
             for p in (root / d).rglob("*.py") if p.name != "states.py"
             for line in p.read_text("utf-8").splitlines() if writes.search(line)]
    assert found == []


def test_only_the_system_may_claim_or_finish_a_job_even_by_conditional_update() -> None:
    from workflow.states import conditional

    with pytest.raises(Forbidden):
        conditional(Event.START, 7, user("admin"))
    sql = str(conditional(Event.FINISH, 7, None).compile(compile_kwargs={"literal_binds": True}))
    assert "state IN ('translating')" in sql and "SET state='draft'" in sql


def test_no_state_is_written_as_a_bare_string_outside_the_enums() -> None:
    import re
    from pathlib import Path

    from workflow.models import DeliveryState, SegmentState

    root = Path(__file__).resolve().parents[2]
    words = "|".join(sorted({s.value for e in (State, SegmentState, DeliveryState) for s in e}))
    literal = rf"""["']({words})["']"""
    used = re.compile(rf"(==|!=)\s*{literal}|{literal}\s*(==|!=)|state\w*\s*=\s*{literal}"
                      rf"|\bin\s*[(\[{{]\s*{literal}|\breturn\s+{literal}")
    found = [f"{p.relative_to(root)}: {line.strip()}" for d in ("workflow", "web", "workers")
             for p in (root / d).rglob("*") if p.suffix in (".py", ".html")
             and p != root / "workflow" / "models" / "states.py"
             for line in p.read_text("utf-8").splitlines() if used.search(line)]
    assert found == []
