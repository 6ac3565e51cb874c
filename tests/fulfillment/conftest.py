"""A shop with shipping methods (see tests/shipping) and helpers to confirm and ship orders."""

from __future__ import annotations

import uuid
from typing import Any

from django.test import Client

from emporos.core.actor import Actor
from emporos.orders import services
from emporos.orders.models import Order
from emporos.outbox.relay import deliver_due
from tests.shipping.conftest import greece  # noqa: F401  (a fixture other tests here use)

STAFF = Actor.staff("packer")


def order_of(number: str) -> Order:
    return Order.objects.get(number=int(number.removeprefix("EM-")))


def confirm(number: str) -> Order:
    order = order_of(number)
    services.confirm_order(order=order, actor=STAFF)
    return order_of(number)


def ship(api: Client, number: str, lines: list[tuple[str, int]] | None = None, **fields: Any) -> Any:
    body: dict[str, Any] = {"carrier": "manual", "tracking_number": f"TRK{uuid.uuid4().hex[:10].upper()}", **fields}
    if lines is not None:
        body["lines"] = [{"sku": sku, "quantity": quantity} for sku, quantity in lines]
    return api.post(
        f"/api/v1/orders/{number}/shipments",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )


def drain() -> None:
    """Run every due outbox delivery, as the worker would (handlers' own events included)."""
    for _ in range(20):
        if not deliver_due(worker_id="test"):
            return
