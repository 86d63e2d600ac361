"""After sign-in the desk follows ``next`` only to a path on this site."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask import Flask

from tests.conftest import PASSWORD
from tests.helpers import csrf_from
from workflow.models import User

HOSTILE = [
    "/%09/evil.example",        # the tab is dropped by browsers: //evil.example
    "/%0a/evil.example",
    "/%0d/evil.example",
    "//evil.example",
    "/\\evil.example",           # browsers read \ as /
    "/%5Cevil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "/%00/evil.example",
    "/%E2%80%8B/evil.example",  # a zero-width space (a format character)
    " //evil.example",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_a_sign_in_never_redirects_off_site(app: Flask, people: dict[str, User],
                                            target: str) -> None:
    client = app.test_client()
    token = csrf_from(client, "/login")
    response = client.post(f"/login?next={target}",
                           data={"email": "editor@desk.test", "password": PASSWORD,
                                 "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_sign_in_follows_a_path_on_this_site(app: Flask, people: dict[str, User]) -> None:
    client = app.test_client()
    token = csrf_from(client, "/login")
    wanted = "/articles/7?tab=history"
    response = client.post(f"/login?next={quote(wanted)}",
                           data={"email": "editor@desk.test", "password": PASSWORD,
                                 "csrf_token": token})
    assert response.headers["Location"] == wanted
