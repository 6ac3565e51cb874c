"""Reads of the fulfillment domain for pages and endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet

from emporos.core import clock
from emporos.fulfillment.errors import NoSuchShipment
from emporos.fulfillment.models import FulfillmentOrder, Shipment, ShipmentStatus, Status, Wave
from emporos.orders.models import Order
from emporos.shop import selectors as shop


def shipment(public_id: str | uuid.UUID) -> Shipment:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NoSuchShipment(f"There is no shipment {public_id}.") from None
    found = (
        Shipment.objects.select_related("order__customer", "packaging")
        .prefetch_related("lines")
        .filter(public_id=key)
        .first()
    )
    if found is None:
        raise NoSuchShipment(f"There is no shipment {public_id}.")
    return found


def of_order(order: Order) -> list[Shipment]:
    return list(
        Shipment.objects.filter(order=order)
        .select_related("order", "packaging")
        .prefetch_related("lines")
        .order_by("sequence")
    )


def fulfillment_orders_of(order: Order) -> list[FulfillmentOrder]:
    return list(
        FulfillmentOrder.objects.filter(order=order)
        .exclude(status=Status.CANCELLED)
        .select_related("location", "wave")
        .prefetch_related("lines")
        .order_by("id")
    )


def shipments(*, carrier: str = "", status: str = "", search: str = "") -> QuerySet[Shipment]:
    rows = Shipment.objects.select_related("order__customer").order_by("-created_at", "-id")
    if carrier:
        rows = rows.filter(carrier=carrier)
    if status:
        rows = rows.filter(status=status)
    if search:
        term = search.strip().upper().removeprefix("EM-")
        by_number = Q(order__number=int(term)) if term.isdigit() else Q()
        rows = rows.filter(by_number | Q(tracking_number__iexact=search.strip()))
    return rows


@dataclass(frozen=True)
class WaveRow:
    wave: Wave
    orders: int
    express: int
    shipped: int


def recent_waves(limit: int = 30) -> list[WaveRow]:
    waves = Wave.objects.order_by("-cutoff_at").annotate(
        orders=Count("fulfillment_orders__order", distinct=True),
        express=Count("fulfillment_orders__order", filter=Q(fulfillment_orders__is_express=True), distinct=True),
        shipped=Count("shipments", distinct=True),
    )[:limit]
    return [WaveRow(wave=w, orders=w.orders, express=w.express, shipped=w.shipped) for w in waves]


def wave_fulfillment_orders(wave: Wave) -> list[FulfillmentOrder]:
    return list(
        FulfillmentOrder.objects.filter(wave=wave)
        .select_related("order__customer", "location")
        .prefetch_related("lines")
        .order_by("-is_express", "order__placed_at", "id")
    )


def is_on_track(shipment: Shipment, *, today: dt.date) -> bool | None:
    """Whether the parcel keeps the order's promise: delivered by its latest day, or still able
    to. None for an order without a promise."""
    if shipment.expected_on is None:
        return None
    if shipment.delivered_at is not None:
        return shipment.delivered_at.astimezone(shop.time_zone()).date() <= shipment.expected_on
    return today <= shipment.expected_on


@dataclass(frozen=True)
class OnTime:
    """Orders with a promise whose parcels were all delivered in the period, and how many of them
    arrived by their latest promised day (S4)."""

    delivered: int
    on_time: int
    late_in_transit: int  # not delivered yet and already past the promised day

    @property
    def share(self) -> Decimal | None:
        return None if not self.delivered else (Decimal(self.on_time) / self.delivered * 100).quantize(Decimal("0.1"))


def on_time_report(*, since: dt.date, until: dt.date) -> OnTime:
    """Delivered within their promise, for orders whose last parcel arrived between the two days."""
    tz = shop.time_zone()
    start = dt.datetime.combine(since, dt.time.min, tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tz)
    orders = (
        Shipment.objects.exclude(status=ShipmentStatus.CANCELLED)
        .filter(order__delivery_promise__isnull=False)
        .values("order_id", "order__delivery_promise__latest")
        .annotate(
            last=Max("delivered_at"),
            parcels=Count("id"),
            arrived=Count("id", filter=Q(delivered_at__isnull=False)),
        )
    )
    delivered = on_time = 0
    for row in orders.filter(last__gte=start, last__lt=end):
        if row["parcels"] != row["arrived"]:
            continue
        delivered += 1
        if row["last"].astimezone(tz).date() <= row["order__delivery_promise__latest"]:
            on_time += 1
    today = clock.now().astimezone(tz).date()
    late = (
        Shipment.objects.filter(delivered_at__isnull=True, expected_on__lt=today)
        .exclude(status__in=[ShipmentStatus.CANCELLED, ShipmentStatus.RETURNED_TO_SENDER])
        .values("order_id")
        .distinct()
        .count()
    )
    return OnTime(delivered=delivered, on_time=on_time, late_in_transit=late)
