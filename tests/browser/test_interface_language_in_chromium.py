"""The desk in its people's languages, as Chromium shows it: a Spanish browser gets the
sign-in page in Spanish, and an Arabic desk is laid out right to left, not only its words."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from workflow.db import Database
from workflow.models import User
from workflow.services.people import update_profile
from workflow.uow import UnitOfWork

pytestmark = pytest.mark.browser


@pytest.fixture
def context_in(chromium: Any) -> Iterator[Any]:
    """A browser context whose language (and so Accept-Language) is the one given."""
    contexts: list[Any] = []

    def make(locale: str) -> Any:
        context = chromium.new_context(locale=locale)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def test_a_visitor_whose_browser_speaks_spanish_sees_the_sign_in_page_in_spanish(
        context_in: Any, server: str) -> None:
    page = context_in("es-ES").new_page()
    page.goto(f"{server}/login")
    assert page.evaluate("document.documentElement.lang") == "es"
    assert page.locator("h1").inner_text() == "Iniciar sesión"
    assert page.locator("label[for=password]").inner_text() == "Contraseña"
    assert page.title() == "Iniciar sesión · Linguadesk"


def test_a_reviewer_who_chose_arabic_sees_the_desk_right_to_left_in_arabic(
        open_as: Callable[[str], Any], server: str, people: dict[str, User],
        sqlite_db: Database) -> None:
    with UnitOfWork(sqlite_db) as uow:
        reviewer = uow.session.get(User, people["reviewer"].id)
        assert reviewer is not None
        update_profile(uow, reviewer, "Layla", "ar", [])
    page = open_as("rev-es@desk.test")  # signs in from an English browser
    page.goto(f"{server}/inbox")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.get_by_role("heading", name="بانتظار مراجع").is_visible()  # Waiting for a reviewer
    assert page.get_by_role("link", name="صندوق الوارد").is_visible()  # Inbox
    # The header is mirrored: the brand at the right edge, signing out at the left.
    brand = page.locator("header > a").first.bounding_box()
    sign_out = page.get_by_role("button", name="تسجيل الخروج").bounding_box()
    assert brand is not None and sign_out is not None
    assert sign_out["x"] + sign_out["width"] < brand["x"]
