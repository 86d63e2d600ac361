"""The JSON API's OpenAPI document, generated from its schemas, and schemathesis attacking
the API in process with it (tests/integration/test_api_contract.py attacks it over HTTP)."""

from __future__ import annotations

import re
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

from tests.conftest import Dispatched
from web.guards import MAX_ID
from workflow.ingest.extract import FORMATS, META_FIELDS
from workflow.languages import LANGUAGES
from workflow.models import User

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def test_the_openapi_document_lists_every_api_route(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.0")
    documented = {(method.upper(), path) for path, ops in document["paths"].items()
                  for method in ops if method != "parameters"}
    routes = {(method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(rule)))
              for rule in app.url_map.iter_rules() if str(rule).startswith("/api/v1/")
              and not str(rule).endswith("openapi.json")
              for method in rule.methods or () if method not in ("HEAD", "OPTIONS")}
    assert routes == documented and len(routes) >= 15


def test_every_operation_documents_its_answers_in_one_error_shape(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    error = document["components"]["schemas"]["Error"]
    assert {"error", "message"} <= set(error["required"])
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            if method == "parameters":
                continue
            answers = op["responses"]
            assert "401" in answers and any(code.startswith("2") for code in answers), path
            for code, answer in answers.items():
                if code.startswith("4"):
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (path, code)


def test_the_document_takes_languages_formats_and_id_bounds_from_the_domain(
        client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    new = document["components"]["schemas"]["NewArticle"]["properties"]
    assert new["source_language"]["enum"] == sorted(LANGUAGES)
    assert new["format"]["enum"] == list(FORMATS)
    assert set(META_FIELDS) <= set(new)
    ids = document["paths"]["/api/v1/articles/{article_id}"]["parameters"][0]["schema"]
    assert (ids["minimum"], ids["maximum"]) == (1, MAX_ID)


def test_an_undeclared_method_is_405_with_allow_in_the_error_shape(
        client: FlaskClient, people: dict[str, User],
        token_for: Callable[[str], dict[str, str]]) -> None:
    headers = token_for("editor@desk.test")
    for method, path, allowed in (("DELETE", "/api/v1/articles/1", {"GET", "PUT"}),
                                  ("GET", "/api/v1/articles", {"POST"}),
                                  ("PATCH", "/api/v1/translations/1/approve", {"POST"})):
        response = client.open(path, method=method, headers=headers)
        assert response.status_code == 405
        assert allowed <= set(response.headers["Allow"].split(", "))
        assert response.get_json()["error"] == "method_not_allowed"


def test_a_body_that_breaks_the_schema_is_400_naming_each_field(
        client: FlaskClient, people: dict[str, User], dispatched: Dispatched,
        token_for: Callable[[str], dict[str, str]]) -> None:
    response = client.post("/api/v1/articles", headers=token_for("editor@desk.test"), json={
        "body": "Rain.", "source_language": "en", "target_languages": ["es"], "titel": "X",
        "credits": "Jo"})
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["error"] == "invalid_input"
    assert set(answer["fields"]) == {"titel", "credits"}
    assert "titel: Unknown field." in answer["message"]
    assert dispatched == []


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
    document = client.get("/api/v1/openapi.json").get_json()
    assert len(operations) == sum(1 for ops in document["paths"].values()
                                  for method in ops if method != "parameters")

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
