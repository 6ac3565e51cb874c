"""Partial and split fulfillment: what is in stock ships now, the rest when stock arrives, with
the order's fulfillment status derived from the quantities at each step (F5, F6, I1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from emporos.fulfillment.models import FulfillmentOrder, HoldReason, Shipment, Status
from emporos.inventory.models import StockLevel
from emporos.inventory.services import AdjustmentDraft
from emporos.orders.services import receive_stock
from tests.conftest import place, timeline_kinds
from tests.fulfillment.conftest import STAFF, confirm, drain, order_of, ship

pytestmark = pytest.mark.django_db(transaction=False)

THREE_LINES = [
    {"sku": "TEA-100", "quantity": 2, "unit_price": "19.90"},
    {"sku": "TEA-250", "quantity": 1, "unit_price": "19.90"},
    {"sku": "MUG-1", "quantity": 3, "unit_price": "12.00"},  # 1 in stock, backorder allowed
]


def _status(api: Client, number: str) -> dict[str, Any]:
    response = api.get(f"/api/v1/orders/{number}")
    assert response.status_code == 200
    return response.json()


def _lines(data: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {line["sku"]: (line["quantity_shipped"], line["stock_state"]) for line in data["lines"]}


def test_two_lines_ship_now_the_third_when_stock_arrives(api: Client, catalog: None) -> None:
    number = place(api, lines=THREE_LINES, total="95.70", shipping_price="0.00")
    confirm(number)
    drain()
    order = order_of(number)
    plan = {fo.waits_for or fo.status: fo for fo in FulfillmentOrder.objects.filter(order=order)}
    assert plan["out_of_stock"].status == Status.ON_HOLD
    assert plan["out_of_stock"].hold_reason == HoldReason.OUT_OF_STOCK
    assert plan["open"].lines.count() == 2

    data = _status(api, number)
    assert data["fulfillment_status"] == "unfulfilled"
    assert _lines(data)["MUG-1"] == (0, "backordered")

    refused = ship(api, number, [("MUG-1", 3)])
    assert refused.status_code == 409
    assert refused.json()["sku"] == "MUG-1"
    assert "MUG-1" in refused.json()["detail"]
    assert not Shipment.objects.exists()

    first = ship(api, number, [("TEA-100", 2), ("TEA-250", 1)])
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "label_created"
    assert body["carrier"] == "manual"
    assert {(line["sku"], line["quantity"]) for line in body["lines"]} == {("TEA-100", 2), ("TEA-250", 1)}
    assert body["label_url"].endswith("/label.pdf")

    data = _status(api, number)
    assert data["fulfillment_status"] == "partially_shipped"
    assert data["status"] == "processing"
    assert _lines(data) == {"TEA-100": (2, "shipped"), "TEA-250": (1, "shipped"), "MUG-1": (0, "backordered")}
    assert [s["tracking_number"] for s in data["shipments"]] == [body["tracking_number"]]
    tea = StockLevel.objects.get(variant__sku="TEA-100")
    assert (tea.on_hand, tea.reserved) == (8, 0)

    receive_stock(drafts=[AdjustmentDraft(sku="MUG-1", location="athens", reason="received", delta=10)], actor=STAFF)
    drain()
    data = _status(api, number)
    assert _lines(data)["MUG-1"] == (0, "reserved")
    assert data["has_waiting_lines"] is False
    assert FulfillmentOrder.objects.filter(order=order, status=Status.OPEN).count() == 1

    second = ship(api, number, [("MUG-1", 3)])
    assert second.status_code == 201, second.content
    assert second.json()["sequence"] == 2
    data = _status(api, number)
    assert data["fulfillment_status"] == "shipped"
    assert data["status"] == "completed"
    assert len(data["shipments"]) == 2
    mug = StockLevel.objects.get(variant__sku="MUG-1")
    assert (mug.on_hand, mug.reserved) == (8, 0)
    assert not FulfillmentOrder.objects.filter(order=order, status__in=["open", "on_hold", "in_progress"]).exists()
    kinds = timeline_kinds(order_of(number))
    assert kinds.count("fulfillment.shipment_created") == 2
    assert "orders.line_allocated" in kinds


def test_more_than_left_is_refused_naming_the_sku_and_nothing_is_written(api: Client, catalog: None) -> None:
    number = place(api)
    confirm(number)
    response = ship(api, number, [("TEA-100", 3)])
    assert response.status_code == 409
    assert response.json()["sku"] == "TEA-100"
    assert "2 unit(s) of SKU TEA-100 left" in response.json()["detail"]
    assert not Shipment.objects.exists()
    assert StockLevel.objects.get(variant__sku="TEA-100").reserved == 2


def test_a_cancelled_order_ships_nothing(api: Client, catalog: None) -> None:
    number = place(api)
    cancelled = api.post(f"/api/v1/orders/{number}/cancel", {"reason": "Διπλή"}, content_type="application/json")
    assert cancelled.status_code == 200
    response = ship(api, number, [("TEA-100", 1)])
    assert response.status_code == 409
    assert "cancelled" in response.json()["detail"]


def test_the_same_idempotency_key_returns_the_first_shipment(api: Client, catalog: None) -> None:
    number = place(api)
    confirm(number)
    body = {"lines": [{"sku": "TEA-100", "quantity": 1}], "carrier": "manual", "tracking_number": "ABC123"}
    headers = {"Idempotency-Key": "ship-once"}
    first = api.post(f"/api/v1/orders/{number}/shipments", body, content_type="application/json", headers=headers)
    again = api.post(f"/api/v1/orders/{number}/shipments", body, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = api.post(
        f"/api/v1/orders/{number}/shipments",
        {**body, "tracking_number": "XYZ"},
        content_type="application/json",
        headers=headers,
    )
    assert other.status_code == 409
    assert Shipment.objects.count() == 1


def test_missing_idempotency_key_and_bad_fields_are_4xx(api: Client, catalog: None) -> None:
    number = place(api)
    confirm(number)
    no_key = api.post(f"/api/v1/orders/{number}/shipments", {"carrier": "manual"}, content_type="application/json")
    assert no_key.status_code == 400
    no_tracking = ship(api, number, [("TEA-100", 1)], tracking_number="")
    assert no_tracking.status_code == 422
    assert no_tracking.json()["errors"][0]["field"] == "tracking_number"
    unknown = ship(api, number, [("NOPE", 1)])
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "lines.0.sku"
    carrier = ship(api, number, [("TEA-100", 1)], carrier="pigeon")
    assert carrier.status_code == 422
    assert carrier.json()["errors"][0]["field"] == "carrier"
