"""Shipping and stock arriving at once, on PostgreSQL with real threads: a unit ships once, and
backorders are served in the order they were placed whatever deliveries race."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from django.test import Client

from emporos.core.actor import Actor
from emporos.fulfillment.models import Shipment
from emporos.inventory.models import StockLevel
from emporos.inventory.services import AdjustmentDraft
from emporos.orders import services
from emporos.orders.models import Order, OrderLine
from emporos.orders.services import receive_stock
from tests.concurrency.test_intake_races import run_at_once
from tests.conftest import place

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("catalog")]
STAFF = Actor.staff("packer")


def test_eight_packers_ship_the_same_two_units_once(api: Client, api_key: str) -> None:
    number = place(api)
    services.confirm_order(order=Order.objects.get(number=int(number[3:])), actor=STAFF)

    def pack(index: int) -> tuple[int, Any]:
        client = Client(headers={"Authorization": f"Bearer {api_key}"})
        response = client.post(
            f"/api/v1/orders/{number}/shipments",
            data=json.dumps({"lines": [{"sku": "TEA-100", "quantity": 2}], "carrier": "demo"}),
            content_type="application/json",
            headers={"Idempotency-Key": f"pack-{index}"},
        )
        return response.status_code, response.json()

    results = run_at_once(8, pack)

    assert Counter(status for status, _ in results) == {201: 1, 409: 7}, results
    assert Shipment.objects.count() == 1
    level = StockLevel.objects.get(variant__sku="TEA-100", location__code="athens")
    assert (level.on_hand, level.reserved) == (8, 0)
    assert OrderLine.objects.get(order__number=int(number[3:])).quantity_shipped == 2


def test_racing_deliveries_serve_backorders_first_in_first_out(api: Client) -> None:
    numbers = [
        place(
            api,
            lines=[{"sku": "MUG-1", "quantity": 1, "unit_price": "12.00"}],
            shipping_price="0.00",
            total="12.00",
            placed_at=f"2026-11-29T0{hour}:00:00Z",
        )
        for hour in range(1, 7)
    ]  # the first takes the one mug in stock; five wait

    def deliver(index: int) -> int:
        receive_stock(drafts=[AdjustmentDraft(sku="MUG-1", location="athens", reason="received", delta=1)], actor=STAFF)
        return index

    run_at_once(3, deliver)

    states = [OrderLine.objects.get(order__number=int(n[3:])).stock_state for n in numbers]
    assert states == ["reserved"] * 4 + ["backordered"] * 2
    level = StockLevel.objects.get(variant__sku="MUG-1", location__code="athens")
    assert (level.on_hand, level.reserved) == (4, 4)
