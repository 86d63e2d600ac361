"""Hostile JSON answers a 400 that says what to fix, before authentication, never a 500."""

from __future__ import annotations

import pytest
from flask import Flask

from workflow.models import User


@pytest.mark.parametrize("body", ["[" * 5000, '{"a":' * 5000, "[" * 100000 + "]" * 100000,
                                  '{"title": ' + "[" * 40 + "]" * 40 + "}"])
def test_deeply_nested_json_is_refused_with_a_400_before_authentication(
        app: Flask, body: str) -> None:
    response = app.test_client().post("/api/v1/articles", data=body,
                                      content_type="application/json")
    assert response.status_code == 400, response.text[:200]
    assert response.json["error"] == "invalid_input"  # type: ignore[index]
    assert "nests" in response.json["message"]  # type: ignore[index]


def test_deep_json_on_a_page_endpoint_is_a_400_too(app: Flask) -> None:
    response = app.test_client().post("/login", data="[" * 5000,
                                      content_type="application/json")
    assert response.status_code == 400


def test_ordinary_nesting_still_reaches_the_api(
        app: Flask, people: dict[str, User], token_for: object) -> None:
    headers = token_for("editor@desk.test")  # type: ignore[operator]
    response = app.test_client().post("/api/v1/articles", headers=headers, json={
        "title": "Rain is expected tomorrow.", "body": "The team won the final.",
        "source_language": "en", "target_languages": ["es"],
        "credits": ["Edited by Ana"]})
    assert response.status_code == 201, response.text
