"""A delivered order to send back, and helpers to ask for a return and receive it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.fulfillment.carriers import TrackingStatus, TrackingUpdate
from emporos.fulfillment.models import Shipment
from emporos.fulfillment.tracking import record_tracking
from tests.conftest import place
from tests.fulfillment.conftest import confirm, drain, ship
from tests.shipping.conftest import greece  # noqa: F401  (a fixture the tests here use)

# Thursday 3 December 2026, 10:00 in Athens; delivered on Friday 4 December at 12:00.
THURSDAY = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)
DELIVERED = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
CARRIER = Actor.system("carrier")
# Tuesday 8 December 2026: four days after the delivery, well within the withdrawal period.
SOON = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)


def delivered(api: Client, *, at: dt.datetime = DELIVERED, placed: dt.datetime = THURSDAY, **order: Any) -> str:
    """Place, confirm, ship (at `placed`) and deliver (at `at`) an order (order_body with `order`
    overrides); its number."""
    with clock.frozen_at(placed):
        number = place(api, **order)
        drain()
        confirm(number)
        response = ship(api, number)
        assert response.status_code == 201, response.content
    parcel = Shipment.objects.get(public_id=response.json()["id"])
    with clock.frozen_at(at):
        record_tracking(
            carrier=parcel.carrier,
            updates=[
                TrackingUpdate(
                    event_id=f"d-{parcel.pk}",
                    tracking_number=parcel.tracking_number,
                    status=TrackingStatus.DELIVERED,
                    occurred_at=at,
                )
            ],
            actor=CARRIER,
        )
    return number


def ask(api: Client, number: str, body: dict[str, Any], *, key: str | None = None) -> Any:
    return api.post(
        f"/api/v1/orders/{number}/returns",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": key or str(uuid.uuid4())},
    )


def receive(api: Client, return_id: str, lines: list[dict[str, Any]]) -> Any:
    return api.post(f"/api/v1/returns/{return_id}/receive", {"lines": lines}, content_type="application/json")
