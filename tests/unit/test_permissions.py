"""Who may do what: one rule per role, one rule for admins, and no role check elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

from workflow.models import Translation, User
from workflow.permissions import WHO, Action, can, needs_languages, reviews

ROOT = Path(__file__).resolve().parents[2]


def user(roles: str, languages: str = "") -> User:
    return User(id=1, email="x@y.z", password_hash="", roles_csv=roles, languages_csv=languages,
                active=True)


def test_a_reviewer_edits_approves_and_claims_only_in_their_languages() -> None:
    es, fr = Translation(language="es"), Translation(language="fr")
    reviewer = user("reviewer", "es")
    for action in (Action.EDIT, Action.APPROVE, Action.CLAIM):
        assert can(reviewer, action, es)
        assert not can(reviewer, action, fr)
        assert not can(reviewer, action)


def test_an_admin_may_do_what_any_person_may_in_every_language_but_not_the_workers_part() -> None:
    admin = user("admin")
    person_actions = [a for a, roles in WHO.items() if "system" not in roles]
    assert all(can(admin, a, Translation(language="zh")) for a in person_actions)
    assert not any(can(admin, a) for a in (Action.START, Action.FINISH, Action.FAIL))


def test_the_system_may_only_run_jobs() -> None:
    assert {a for a in Action if can(None, a)} == {Action.START, Action.FINISH, Action.FAIL,
                                                    Action.REQUEUE}


def test_roles_grant_their_own_actions_only() -> None:
    assert can(user("editor"), Action.SUBMIT) and not can(user("editor"), Action.PUBLISH)
    assert can(user("publisher"), Action.PUBLISH) and not can(user("publisher"), Action.SUBMIT)
    assert can(user("editor"), Action.RETRY) and can(user("publisher"), Action.RETRY)
    assert not can(user("reviewer", "es"), Action.READ_AUDIT)
    assert not can(user(""), Action.SEE_QUALITY)


def test_an_admin_is_not_counted_among_a_languages_reviewers() -> None:
    assert reviews(user("reviewer", "es"), "es")
    assert not reviews(user("admin"), "es")
    assert needs_languages(["reviewer"]) and not needs_languages(["reviewer", "admin"])


def test_no_role_is_checked_outside_permissions() -> None:
    check = re.compile(r"has_role\(|\.roles\s*&|\bin\s+\w+\.roles\b|"
                       r"['\"](admin|editor|reviewer|publisher)['\"]\s+(not\s+)?in\b")
    found = []
    for package in ("workflow", "web", "workers"):
        for path in (ROOT / package).rglob("*"):
            if path.suffix not in (".py", ".html") or path.name == "permissions.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if check.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
