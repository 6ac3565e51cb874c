"""Placing a 3-line order costs a fixed, small number of SQL statements."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from emporos.catalog.models import Variant
from tests.conftest import order_body

THREE_LINES = order_body(
    lines=[
        {"sku": "TEA-100", "quantity": 1, "unit_price": "19.90"},
        {"sku": "TEA-250", "quantity": 1, "unit_price": "10.00"},
        {"sku": "MUG-1", "quantity": 1, "unit_price": "12.00"},
    ],
    total="45.40",
)


# PostgreSQL: SKUs, BEGIN, the 3 reservations (in SKU order), one statement for the customer,
# order, lines, ledger, event, deliveries, timeline entry and subjects, COMMIT. The API key was
# read by the warm-up request and is remembered (access.key_cache).
# SQLite has no INSERT inside WITH: the same eight INSERTs one after another.
STATEMENTS = {"postgresql": 7, "sqlite": 14}
WRITES_AFTER_RESERVING = {"postgresql": 1, "sqlite": 8}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("catalog")
def test_a_three_line_order_takes_an_exact_number_of_statements(api: Client) -> None:
    """The answer's location codes come back with the reservations themselves (COMMIT is a
    statement Django logs)."""
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
    assert len(statements) == STATEMENTS[connection.vendor], "\n".join(statements)
    reservations = [sql for sql in statements if sql.lstrip().startswith("UPDATE inventory_stocklevel")]
    assert len(reservations) == 3
    # In SKU order, and last: after them only the write of the rest and COMMIT.
    variant_ids = dict(Variant.objects.values_list("sku", "id"))
    assert reservations == [
        next(sql for sql in reservations if f"level.variant_id = {variant_ids[sku]} " in sql)
        for sku in ["MUG-1", "TEA-100", "TEA-250"]
    ]
    last_reservation = statements.index(reservations[-1])
    assert len(statements) - last_reservation - 1 == WRITES_AFTER_RESERVING[connection.vendor] + 1
    assert statements[-1] == "COMMIT"
