"""What the rules need to know about an order: when each line reached the customer, what was
downloaded, and the law that applies (the customer's country)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Max

from emporos.fulfillment.models import Download, ShipmentLine
from emporos.orders.models import Order, OrderLine
from emporos.returns import rules
from emporos.returns.models import ReturnPolicy
from emporos.shop import selectors as shop


@dataclass(frozen=True)
class DeliveryFacts:
    delivered_on: list[dt.date | None]  # per order line: the day its last unit arrived; None: not all yet
    downloaded: frozenset[int]  # order line ids of digital content downloaded at least once


def local_date(moment: dt.datetime) -> dt.date:
    """The day `moment` falls on in the shop's time zone (legal periods count calendar days)."""
    return moment.astimezone(ZoneInfo(shop.current().time_zone)).date()


def delivery_facts(order: Order, lines: Sequence[OrderLine]) -> DeliveryFacts:
    """Two reads: the parcels' delivery times per line, and the downloads of digital lines."""
    arrived = dict(
        ShipmentLine.objects.filter(order_line__order=order, shipment__delivered_at__isnull=False)
        .values("order_line")
        .annotate(last=Max("shipment__delivered_at"))
        .values_list("order_line", "last")
    )
    downloads = {row.order_line_id: row for row in Download.objects.filter(order_line__order=order)}
    delivered_on: list[dt.date | None] = []
    for line in lines:
        if line.quantity_delivered < line.quantity:
            delivered_on.append(None)
        elif line.pk in arrived:
            delivered_on.append(local_date(arrived[line.pk]))
        elif line.pk in downloads:
            delivered_on.append(local_date(downloads[line.pk].created_at))
        else:  # delivered without a parcel or a download (recorded by hand): the order's last change
            delivered_on.append(local_date(order.updated_at))
    return DeliveryFacts(
        delivered_on=delivered_on,
        downloaded=frozenset(pk for pk, row in downloads.items() if row.downloads > 0),
    )


def country_of(order: Order) -> str:
    """The consumer's country (its law applies): the shipping address, the billing one, the shop's."""
    for address in (order.shipping_address, order.billing_address):
        if isinstance(address, dict) and address.get("country"):
            return str(address["country"]).upper()
    return (shop.current().country or "GR").upper()


def terms_of(order: Order, policy: ReturnPolicy) -> rules.Terms:
    return rules.Terms(
        country=country_of(order),
        voluntary_days=policy.voluntary_days,
        customer_informed=policy.customers_informed,
    )
