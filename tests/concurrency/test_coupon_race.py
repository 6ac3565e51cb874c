"""Ten orders at once with one single-use coupon, on PostgreSQL with real threads: one is
accepted, nine are refused with 409 and leave nothing behind."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.customers.coupons import issue_coupon
from emporos.customers.models import Coupon, Customer
from emporos.inventory.models import StockLevel
from emporos.orders.models import Order
from tests.concurrency.test_intake_races import run_at_once
from tests.conftest import ACTOR, order_body, place, stock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("catalog")]


def test_ten_orders_with_one_single_use_coupon_one_accepted_nine_refused(api: Client, api_key: str) -> None:
    stock("TEA-100", 100)
    place(api)
    coupon = issue_coupon(
        actor=ACTOR,
        customer=Customer.objects.get(email="maria@example.gr"),
        kind="amount",
        value=Decimal("5.00"),
        currency="EUR",
    )
    orders_before = Order.objects.count()
    reserved_before = StockLevel.objects.get(variant__sku="TEA-100").reserved

    def buy(index: int) -> tuple[int, Any]:
        client = Client(headers={"Authorization": f"Bearer {api_key}"})
        response = client.post(
            "/api/v1/orders",
            data=json.dumps(order_body(coupon_code=coupon.code, total="38.30")),
            content_type="application/json",
            headers={"Idempotency-Key": f"coupon-{index}"},
        )
        return response.status_code, response.json()

    results = run_at_once(10, buy)

    assert Counter(status for status, _ in results) == {201: 1, 409: 9}, results
    assert {body["code"] for status, body in results if status == 409} == {"coupon_already_used"}
    (accepted,) = [body["number"] for status, body in results if status == 201]
    assert Order.objects.count() == orders_before + 1
    assert StockLevel.objects.get(variant__sku="TEA-100").reserved == reserved_before + 2
    assert Coupon.objects.get(pk=coupon.pk).redeemed_order_id == Order.objects.get(number=int(accepted[3:])).pk
