"""Real threads against PostgreSQL: no oversell, no deadlock, one order per idempotency key."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from emporos.inventory.models import StockLevel
from emporos.inventory.services import ledger_totals
from emporos.orders.models import Order, OrderLine
from tests.conftest import make_product, order_body, stock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in `count` threads released together; each thread has its own connection."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def target(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # noqa: BLE001 - reported by the assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def place(api_key: str, body: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
    client = Client(headers={"Authorization": f"Bearer {api_key}"})
    response = client.post(
        "/api/v1/orders", data=json.dumps(body), content_type="application/json", headers={"Idempotency-Key": key}
    )
    return response.status_code, response.json()


@pytest.fixture
def scarce(locations: Any) -> None:
    make_product("lamp", ["LAMP-7"], price="10.00")
    stock("LAMP-7", 7)


def test_fifty_buyers_for_seven_units_get_exactly_seven_orders(api_key: str, scarce: None) -> None:
    def buy(index: int) -> tuple[int, dict[str, Any]]:
        body = order_body(
            customer={"email": f"buyer{index}@example.pl", "name": f"Kupujący {index}"},
            lines=[{"sku": "LAMP-7", "quantity": 1, "unit_price": "10.00"}],
            total="13.50",
        )
        return place(api_key, body, f"buyer-{index}")

    results = run_at_once(50, buy)

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 7, 409: 43}, results
    assert {body["code"] for status, body in results if status == 409} == {"insufficient_stock"}
    level = StockLevel.objects.get(variant__sku="LAMP-7")
    assert (level.on_hand, level.reserved, level.available) == (7, 7, 0)
    assert ledger_totals(variant_id=level.variant_id) == {level.location_id: (7, 7)}
    assert Order.objects.count() == 7
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == 7


def test_two_line_orders_in_opposite_sku_order_never_deadlock(api_key: str, locations: Any) -> None:
    make_product("pair", ["PAIR-A", "PAIR-B"], price="5.00")
    stock("PAIR-A", 1000)
    stock("PAIR-B", 1000)
    forward = [
        {"sku": "PAIR-A", "quantity": 1, "unit_price": "5.00"},
        {"sku": "PAIR-B", "quantity": 1, "unit_price": "5.00"},
    ]

    def buy(index: int) -> tuple[int, dict[str, Any]]:
        lines = forward if index % 2 == 0 else list(reversed(forward))
        body = order_body(customer={"email": f"pair{index}@example.gr", "name": "Ζεύγος"}, lines=lines, total="13.50")
        return place(api_key, body, f"pair-{index}")

    results = run_at_once(40, buy)

    assert Counter(status for status, _ in results) == {201: 40}, results
    for sku in ("PAIR-A", "PAIR-B"):
        level = StockLevel.objects.get(variant__sku=sku)
        assert level.reserved == 40
        assert ledger_totals(variant_id=level.variant_id) == {level.location_id: (1000, 40)}


def test_the_same_request_twenty_times_at_once_makes_one_order(api_key: str, scarce: None) -> None:
    body = order_body(lines=[{"sku": "LAMP-7", "quantity": 1, "unit_price": "10.00"}], total="13.50")

    results = run_at_once(20, lambda index: place(api_key, body, "one-key-for-all"))

    assert Counter(status for status, _ in results) == {201: 1, 200: 19}, results
    assert len({data["number"] for _, data in results}) == 1
    assert Order.objects.count() == 1
    assert StockLevel.objects.get(variant__sku="LAMP-7").reserved == 1
