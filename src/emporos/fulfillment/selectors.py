"""Reads of the fulfillment domain for pages and endpoints."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from emporos.fulfillment.errors import NoSuchShipment
from emporos.fulfillment.models import FulfillmentOrder, Shipment, Status, Wave
from emporos.orders.models import Order


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
