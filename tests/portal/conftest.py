"""An order shipped in two parcels with a line still waiting, and its carrier's events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

from emporos.core import clock
from emporos.fulfillment.models import Shipment, ShipmentStatus, TrackingEvent
from emporos.orders.models import Order
from tests.conftest import place
from tests.fulfillment.conftest import confirm, drain, order_of, ship
from tests.portal.support_helpers import SATURDAY_NOON, TUESDAY_MORNING

LINES = [
    {"sku": "TEA-100", "quantity": 2, "unit_price": "19.90"},
    {"sku": "TEA-250", "quantity": 1, "unit_price": "19.90"},
    {"sku": "MUG-1", "quantity": 3, "unit_price": "12.00"},  # 1 in stock: the rest waits
    {"sku": "BOOK-1", "quantity": 1, "unit_price": "25.00"},  # pre-order, out on 2027-01-15
]
TOTAL = "120.70"
ATHENS = dt.timezone(dt.timedelta(hours=2))


@dataclass
class SplitOrder:
    order: Order
    first: Shipment
    second: Shipment


def _event(shipment: Shipment, event_id: str, status: str, at: dt.datetime, location: str, text: str) -> None:
    TrackingEvent.objects.create(
        shipment=shipment,
        carrier=shipment.carrier,
        carrier_event_id=event_id,
        status=status,
        raw_status=status.upper(),
        description=text,
        location=location,
        occurred_at=at,
        received_at=at,
    )


@pytest.fixture
def split_order(api: Client, catalog: None) -> SplitOrder:
    return make_split_order(api)


def make_split_order(api: Client) -> SplitOrder:
    """EM-… for Μαρία (Greek): parcel 1 (2 × TEA-100) waits in a BOX NOW-style locker with its code;
    parcel 2 (1 × TEA-250, signature required) is out for delivery; 3 mugs and the book wait."""
    number = place(api, lines=LINES, total=TOTAL, shipping_price="0.00")
    confirm(number)
    drain()
    first = ship(api, number, [("TEA-100", 2)], tracking_number="BN1234567890")
    assert first.status_code == 201, first.content
    second = ship(api, number, [("TEA-250", 1)], tracking_number="ACS-77001122")
    assert second.status_code == 201, second.content
    order = order_of(number)
    one, two = Shipment.objects.filter(order=order).order_by("sequence")

    day = dt.datetime(2026, 12, 2, 9, 10, tzinfo=ATHENS)
    _event(one, "bn-1", "picked_up", day, "Αθήνα", "Παραλαβή από τον αποστολέα")
    _event(one, "bn-2", "in_transit", day + dt.timedelta(hours=3), "Κέντρο διαλογής Αθήνας", "Στο κέντρο διαλογής")
    _event(one, "bn-3", "available_for_pickup", day + dt.timedelta(days=1), "Locker Ερμού 10", "Στο locker")
    Shipment.objects.filter(pk=one.pk).update(
        status=ShipmentStatus.AVAILABLE_FOR_PICKUP,
        status_at=day + dt.timedelta(days=1),
        last_event_at=day + dt.timedelta(days=1),
        pickup_point="BN-ATH-042",
        pickup_code="483920",
        pickup_until=dt.date(2026, 12, 6),
        expected_on=dt.date(2026, 12, 4),
        tracking_url="https://boxnow.gr/en/?track=BN1234567890",
    )
    _event(two, "acs-1", "in_transit", day + dt.timedelta(hours=1), "Θεσσαλονίκη", "Σε μεταφορά")
    _event(two, "acs-2", "out_for_delivery", day + dt.timedelta(days=1, hours=1), "Αθήνα", "Σε διανομή")
    Shipment.objects.filter(pk=two.pk).update(
        status=ShipmentStatus.OUT_FOR_DELIVERY,
        status_at=day + dt.timedelta(days=1, hours=1),
        carrier_name="ACS Courier",
        signature_required=True,
        expected_on=dt.date(2026, 12, 3),
        tracking_url="https://www.acscourier.net/el/track?n=ACS-77001122",
    )
    one.refresh_from_db()
    two.refresh_from_db()
    return SplitOrder(order=order_of(number), first=one, second=two)


# --- support pages: a clock inside and outside opening hours, and a plain order ---------------------


@pytest.fixture
def open_hours() -> Iterator[None]:
    with clock.frozen_at(TUESDAY_MORNING):
        yield


@pytest.fixture
def closed_hours() -> Iterator[None]:
    with clock.frozen_at(SATURDAY_NOON):
        yield


@pytest.fixture
def shop_order(api: Client, catalog: None) -> Order:
    number = place(api)
    return Order.objects.select_related("customer").get(number=int(number.removeprefix("EM-")))
