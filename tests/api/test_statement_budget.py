"""Placing a 3-line order costs a fixed, small number of SQL statements."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import order_body

THREE_LINES = order_body(
    lines=[
        {"sku": "TEA-100", "quantity": 1, "unit_price": "19.90"},
        {"sku": "TEA-250", "quantity": 1, "unit_price": "10.00"},
        {"sku": "MUG-1", "quantity": 1, "unit_price": "12.00"},
    ],
    total="45.40",
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("catalog")
def test_a_three_line_order_takes_exactly_15_statements(api: Client) -> None:
    """API key, SKUs, BEGIN, customer upsert, order, 3 reservations, ledger, lines, event, its
    delivery, timeline entry, its subjects (COMMIT is not a statement Django logs). The answer's
    location codes come back with the reservations themselves."""
    warm = api.post(
        "/api/v1/orders",
        data=json.dumps(order_body()),
        content_type="application/json",
        headers={"Idempotency-Key": "warm-up"},
    )
    assert warm.status_code == 201

    with CaptureQueriesContext(connection) as captured:
        response = api.post(
            "/api/v1/orders",
            data=json.dumps(THREE_LINES),
            content_type="application/json",
            headers={"Idempotency-Key": "three-lines"},
        )

    assert response.status_code == 201, response.content
    statements = [query["sql"] for query in captured.captured_queries]
    assert len(statements) == 15, "\n".join(statements)
