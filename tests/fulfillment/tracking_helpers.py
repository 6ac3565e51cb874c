"""Helpers for the tracking tests: a shipped parcel and carrier updates for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from emporos.core import clock
from emporos.fulfillment.carriers import TrackingStatus, TrackingUpdate
from emporos.fulfillment.models import Shipment
from tests.conftest import place
from tests.fulfillment.conftest import confirm, drain, ship

# Thursday 3 December 2026, 10:00 in Athens: courier-standard promises 4 to 7 December.
THURSDAY = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)


def shipped(api: Client, *, at: dt.datetime = THURSDAY, **fields: Any) -> Shipment:
    with clock.frozen_at(at):
        number = place(api, shipping_method="courier-standard")
        drain()
        confirm(number)
        response = ship(api, number, **fields)
        assert response.status_code == 201, response.content
    return Shipment.objects.get(public_id=response.json()["id"])


def update(
    shipment: Shipment, event_id: str, status: str, hours: float, *, description: str = "", **more: Any
) -> TrackingUpdate:
    """An event `hours` after THURSDAY for `shipment`."""
    return TrackingUpdate(
        event_id=event_id,
        tracking_number=shipment.tracking_number,
        status=TrackingStatus(status),
        occurred_at=THURSDAY + dt.timedelta(hours=hours),
        description=description,
        location=more.pop("location", "Αθήνα"),
        **more,
    )
