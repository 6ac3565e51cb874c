"""POST /api/v1/orders: the request from the issue, idempotency, and every bad-input rule."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from emporos.inventory.models import StockLevel, StockMovement
from emporos.notifications.models import Message
from emporos.orders.models import Order, OrderLine
from emporos.outbox import selectors as outbox
from emporos.outbox.models import Event
from emporos.timeline.models import Entry
from tests.conftest import order_body, timeline_kinds

pytestmark = pytest.mark.usefixtures("catalog")

KEY = "0b6f5c1e-4a0e-4e39-9a52-7f3f3c1d2a10"


def post(api: Client, body: Any, *, key: str | None = KEY, raw: bytes | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    data = raw if raw is not None else json.dumps(body)
    return api.post("/api/v1/orders", data=data, content_type="application/json", headers=headers)


def snapshot() -> dict[str, int]:
    return {
        "orders": Order.objects.count(),
        "lines": OrderLine.objects.count(),
        "movements": StockMovement.objects.count(),
        "timeline": Entry.objects.count(),
        "events": Event.objects.count(),
        "reserved": sum(StockLevel.objects.values_list("reserved", flat=True)),
    }


def test_the_issue_request_places_an_order_and_reserves_stock(api: Client) -> None:
    before = Event.objects.order_by("-id").first()

    response = post(api, order_body())

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"].startswith("EM-")
    assert (data["status"], data["payment_status"], data["fulfillment_status"]) == ("placed", "paid", "unfulfilled")
    assert data["total"] == "43.30"
    assert data["lines"] == [
        {
            "sku": "TEA-100",
            "name": "mountain-tea TEA-100",
            "quantity": 2,
            "unit_price": "19.90",
            "tax_rate": "0.00",
            "line_total": "39.80",
            "stock_state": "reserved",
            "location": "athens",
            "available_on": None,
            "quantity_shipped": 0,
            "quantity_delivered": 0,
            "quantity_returned": 0,
        }
    ]
    assert StockLevel.objects.get(variant__sku="TEA-100").reserved == 2
    assert outbox.topics(since=before) == ["orders.order_placed"]
    order = Order.objects.get(number=int(data["number"][3:]))
    assert order.customer.email == "maria@example.gr"
    assert timeline_kinds(order) == ["orders.order_placed"]


def test_same_key_same_body_returns_the_same_order(api: Client) -> None:
    first = post(api, order_body())
    again = post(api, order_body())

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["number"] == first.json()["number"]
    assert Order.objects.count() == 1
    assert StockLevel.objects.get(variant__sku="TEA-100").reserved == 2


def test_same_key_other_body_is_a_conflict(api: Client) -> None:
    post(api, order_body())
    before = snapshot()

    response = post(api, order_body(customer_note="Please ring twice"))

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert snapshot() == before


def test_the_worker_turns_the_event_into_one_order_received_message(api: Client, daytime: None) -> None:
    from emporos.orders.events import OrderPlaced
    from emporos.outbox.registry import handlers_for
    from emporos.outbox.relay import deliver_due

    while deliver_due(worker_id="test"):  # the catalog's own events (release dates followed)
        pass
    post(api, order_body())

    # Each handler of a placed order (the "order received" message, the delivery promise, the
    # integrators' webhooks), then the message's sending (due at once).
    assert deliver_due(worker_id="test") == len(handlers_for(OrderPlaced.topic)) + 1
    assert deliver_due(worker_id="test") == 0
    message = Message.objects.get()
    assert (message.kind, message.channel, message.language, message.status) == (
        "order_received",
        "email",
        "el",
        "sent",
    )


BAD_INPUTS = [
    pytest.param(
        order_body(lines=[{"sku": "NOPE", "quantity": 1, "unit_price": "1.00"}], total="4.50"),
        422,
        "lines.0.sku",
        id="unknown-sku",
    ),
    pytest.param(
        order_body(lines=[{"sku": "TEA-100", "quantity": 0, "unit_price": "19.90"}], total="3.50"),
        422,
        "lines.0.quantity",
        id="quantity-below-one",
    ),
    pytest.param(order_body(total="50.00"), 422, "total", id="totals-do-not-add-up"),
    pytest.param(order_body(currency="XYZ"), 422, "currency", id="unknown-currency"),
    pytest.param(order_body(shipping_address=None), 422, "shipping_address", id="missing-address"),
    pytest.param(
        order_body(customer={"email": "maria@", "name": "Maria"}), 422, "customer.email", id="malformed-email"
    ),
    pytest.param(
        order_body(customer={"email": "maria@example.gr", "name": "Maria", "phone": "12ab"}),
        422,
        "customer.phone",
        id="malformed-phone",
    ),
    pytest.param(order_body(coupon="FREE"), 422, "coupon", id="unknown-field"),
    pytest.param(
        order_body(customer={"email": "m@example.gr", "name": "M", "shoe_size": 42}),
        422,
        "customer.shoe_size",
        id="unknown-nested-field",
    ),
]


@pytest.mark.parametrize(("body", "status", "field"), BAD_INPUTS)
def test_bad_input_names_the_field_and_writes_nothing(api: Client, body: Any, status: int, field: str) -> None:
    before = snapshot()

    response = post(api, body)

    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]
    assert snapshot() == before


def test_malformed_json_is_400_and_writes_nothing(api: Client) -> None:
    before = snapshot()

    response = post(api, None, raw=b'{"channel": "web", ')

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"
    assert snapshot() == before


def test_a_body_over_one_megabyte_is_413_and_writes_nothing(api: Client) -> None:
    before = snapshot()

    response = post(api, order_body(customer_note="x" * (1024 * 1024)))

    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"
    assert snapshot() == before


def test_deny_line_without_stock_is_409_naming_sku_requested_available(api: Client) -> None:
    before = snapshot()
    body = order_body(
        lines=[
            {"sku": "TEA-100", "quantity": 1, "unit_price": "19.90"},
            {"sku": "TEA-250", "quantity": 6, "unit_price": "10.00"},
        ],
        total="83.40",
    )

    response = post(api, body)

    assert response.status_code == 409
    problem = response.json()
    assert (problem["code"], problem["sku"], problem["requested"], problem["available"]) == (
        "insufficient_stock",
        "TEA-250",
        6,
        5,
    )
    assert snapshot() == before


def test_backorder_preorder_and_made_to_order_lines_are_accepted_and_waiting(api: Client) -> None:
    body = order_body(
        lines=[
            {"sku": "MUG-1", "quantity": 3, "unit_price": "12.00"},
            {"sku": "BOOK-1", "quantity": 1, "unit_price": "25.00"},
            {"sku": "ICON-1", "quantity": 1, "unit_price": "80.00"},
            {"sku": "EBOOK-1", "quantity": 1, "unit_price": "9.99"},
        ],
        total="154.49",
    )

    response = post(api, body)

    assert response.status_code == 201, response.content
    states = {line["sku"]: (line["stock_state"], line["available_on"]) for line in response.json()["lines"]}
    assert states == {
        "MUG-1": ("backordered", None),
        "BOOK-1": ("preorder", "2027-01-15"),
        "ICON-1": ("made_to_order", None),
        "EBOOK-1": ("not_stocked", None),
    }
    assert response.json()["has_waiting_lines"] is True
    assert StockLevel.objects.get(variant__sku="MUG-1").reserved == 0


def test_digital_only_order_needs_no_address(api: Client) -> None:
    body = order_body(
        lines=[{"sku": "EBOOK-1", "quantity": 1, "unit_price": "9.99"}],
        shipping_price="0",
        total="9.99",
        shipping_address=None,
    )

    assert post(api, body).status_code == 201


def test_an_order_without_idempotency_key_is_400_and_writes_nothing(api: Client) -> None:
    before = snapshot()

    response = post(api, order_body(), key=None)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert snapshot() == before


def test_the_same_external_reference_twice_is_one_order(api: Client) -> None:
    body = order_body(external_reference="WC-5521")

    first = post(api, body, key="first-try")
    second = post(api, order_body(external_reference="WC-5521", customer_note="again"), key="second-try")

    assert (first.status_code, second.status_code) == (201, 409)
    assert second.json()["code"] == "duplicate_external_reference"
    assert Order.objects.count() == 1
