"""The JSON API's OpenAPI document, and schemathesis attacking the API in process with it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from web.openapi import DOCUMENT
from workflow.models import User

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def test_the_openapi_document_lists_every_api_route(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.0")
    documented = {(method.upper(), "/api/v1" + path.replace("{", "<").replace("}", ">"))
                  for path, ops in document["paths"].items() for method in ops}
    routes = {(method, str(rule).replace("<int:", "<"))
              for rule in app.url_map.iter_rules() if str(rule).startswith("/api/v1/")
              and not str(rule).endswith("openapi.json")
              for method in rule.methods or () if method not in ("HEAD", "OPTIONS")}
    assert routes == documented


@pytest.mark.timeout(240)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_server_error_and_no_response_outside_the_schema(
        app: Flask, people: dict[str, User], token_for: Callable[[str], dict[str, str]],
        mode: GenerationMode) -> None:
    headers = token_for("admin@desk.test")
    client = app.test_client()
    for title in ("Rain is expected tomorrow.", "The team won the final."):
        client.post("/api/v1/articles", headers=headers, json={
            "title": title, "body": "Prices rose sharply this year.",
            "source_language": "en", "target_languages": ["es", "fr"]})
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(len(ops) for ops in DOCUMENT["paths"].values())

    for operation in operations:

        @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def attack(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        attack()


def test_ids_no_row_can_have_and_unstorable_text_get_a_clear_4xx(
        client: FlaskClient, people: dict[str, User],
        token_for: Callable[[str], dict[str, str]]) -> None:
    headers = token_for("editor@desk.test")
    huge = client.get(f"/api/v1/articles/{2**64}", headers=headers)
    assert huge.status_code == 404 and huge.get_json()["error"] == "not_found"
    half = client.post("/api/v1/articles", headers=headers, json={
        "title": "Budget\ud800", "body": "One.", "source_language": "en",
        "target_languages": ["es"]})
    assert half.status_code == 400 and "surrogate" in half.get_json()["message"]
