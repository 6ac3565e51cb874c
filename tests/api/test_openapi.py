"""The OpenAPI document lists every answer each operation can give, the problem media type, the
required Idempotency-Key header and every limit (lengths, ranges, patterns)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from emporos.core.text import CODE_PATTERN, MULTILINE_PATTERN, SINGLE_LINE_PATTERN

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def schema_of(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]


def test_every_operation_documents_the_problems_it_can_answer(document: dict[str, Any]) -> None:
    missing = {}
    for method, path, operation in operations(document):
        expected = {"401", "403"}
        if "requestBody" in operation:
            expected |= {"400", "413", "415", "422"}
        if operation.get("parameters"):
            expected.add("422")
        if "{" in path:
            expected.add("404")
        absent = expected - set(operation["responses"])
        if absent:
            missing[f"{method} {path}"] = sorted(absent)
    assert missing == {}


@pytest.mark.parametrize(
    ("operation", "statuses"),
    [
        ("POST /api/v1/orders", {"200", "201", "400", "401", "403", "409", "413", "415", "422"}),
        ("GET /api/v1/orders", {"200", "400", "401", "403", "422"}),
        ("GET /api/v1/orders/{number}", {"200", "401", "403", "404", "422"}),
        ("POST /api/v1/orders/{number}/cancel", {"200", "400", "401", "403", "404", "409", "413", "415", "422"}),
        ("GET /api/v1/stock/{sku}/ledger", {"200", "400", "401", "403", "404", "422"}),
        ("GET /api/v1/locations", {"200", "401", "403"}),
        ("POST /api/v1/locations", {"200", "201", "400", "401", "403", "409", "413", "415", "422"}),
        ("POST /api/v1/outbox/deliveries/{delivery_id}/replay", {"200", "401", "403", "404", "409", "422"}),
    ],
)
def test_operations_list_exactly_their_answers(document: dict[str, Any], operation: str, statuses: set[str]) -> None:
    method, path = operation.split(" ")
    assert set(document["paths"][path][method.lower()]["responses"]) == statuses


def test_problems_are_documented_as_application_problem_json(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            media = set(response.get("content", {}))
            if status.startswith(("4", "5")):
                assert media == {"application/problem+json"}, f"{method} {path} {status}"
                schema = response["content"]["application/problem+json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Problem"}
            else:
                assert media <= {"application/json"}, f"{method} {path} {status}"
    problem = schema_of(document, "Problem")
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code"}
    assert problem["properties"]["errors"]["anyOf"][0]["items"] == {"$ref": "#/components/schemas/FieldErrorOut"}


def test_the_idempotency_key_header_is_required_on_post_orders(document: dict[str, Any]) -> None:
    (header,) = [p for p in document["paths"]["/api/v1/orders"]["post"]["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key"
    assert header["required"] is True
    assert header["schema"]["maxLength"] == 255
    assert header["schema"]["minLength"] == 1


def test_every_limit_is_in_the_document(document: dict[str, Any]) -> None:
    order = schema_of(document, "OrderIn")["properties"]
    line = schema_of(document, "LineIn")["properties"]
    variant = schema_of(document, "VariantIn")["properties"]
    adjustment = schema_of(document, "AdjustmentIn")["properties"]
    assert (order["customer_note"]["maxLength"], order["customer_note"]["pattern"]) == (2000, MULTILINE_PATTERN)
    assert (order["shipping_method"]["maxLength"], order["shipping_method"]["pattern"]) == (64, SINGLE_LINE_PATTERN)
    assert (
        order["total"].items()
        >= {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$", "maxLength": 15}.items()
    )
    assert order["lines"]["minItems"] == 1
    assert order["lines"]["maxItems"] == 200
    assert (line["quantity"]["minimum"], line["quantity"]["maximum"]) == (1, 100_000)
    assert (line["sku"]["pattern"], line["sku"]["maxLength"]) == (CODE_PATTERN, 64)
    assert variant["price"]["pattern"] == r"^[0-9]{1,10}(\.[0-9]{1,2})?$"
    assert (adjustment["delta"]["anyOf"][0]["minimum"], adjustment["delta"]["anyOf"][0]["maximum"]) == (
        -100_000_000,
        100_000_000,
    )
    assert sorted(adjustment["reason"]["enum"]) == ["correction", "count", "damaged", "received", "returned"]
    limit = next(p for p in document["paths"]["/api/v1/orders"]["get"]["parameters"] if p["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 200)


def test_every_string_in_a_request_has_a_length_limit_and_a_pattern_or_a_list(document: dict[str, Any]) -> None:
    """No free-form string slips through: each is bounded and says which characters it takes."""
    unbounded = []

    def visit(where: str, schema: dict[str, Any], inherited: frozenset[str] = frozenset()) -> None:
        """`inherited`: the keywords of an enclosing anyOf, which apply to each of its options."""
        if "$ref" in schema:
            return
        keywords = inherited | set(schema)
        for option in schema.get("anyOf", []):
            visit(where, option, frozenset(keywords & {"enum", "pattern", "maxLength"}))
        is_free_text = schema.get("type") == "string" and schema.get("format") not in {"date", "date-time"}
        if is_free_text and not ({"maxLength", "pattern"} <= keywords or "enum" in keywords):
            unbounded.append(where)
        for name, child in schema.get("properties", {}).items():
            visit(f"{where}.{name}", child)
        if isinstance(schema.get("items"), dict):
            visit(f"{where}[]", schema["items"])

    for name, schema in document["components"]["schemas"].items():
        if name.endswith("In"):
            visit(name, schema)
    for method, path, operation in operations(document):
        for parameter in operation.get("parameters", []):
            if parameter["name"] not in {"overdue"}:
                visit(f"{method} {path} {parameter['name']}", parameter["schema"])
    assert unbounded == []


def test_the_declared_patterns_are_the_ones_enforced() -> None:
    assert re.match(SINGLE_LINE_PATTERN, "Μαρία Παπαδοπούλου, Ερμού 10")
    assert not re.match(SINGLE_LINE_PATTERN, "tab\there")
    assert re.match(MULTILINE_PATTERN, "line one\r\n\tline two")
    for bad in ["\x00", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\ud800"]:
        assert not re.match(MULTILINE_PATTERN, f"a{bad}b"), repr(bad)
