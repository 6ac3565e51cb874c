"""What goes into an order's next parcel, read for the packing table (reads only).

A line's unshipped units go in when they can leave now: in stock (or made), the order being
handled, paid or cash on delivery, and no staff hold on its part of the order. Lines still
waiting for stock, a date or making follow separately; digital lines and lines a fulfillment
service (3PL) ships never reach the packing table. `create_shipment` checks it all again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from emporos.fulfillment.models import ACTIVE_STATUSES, FulfillmentOrder, HoldReason, Mode, Status, Wave
from emporos.fulfillment.shipments import carrier_for
from emporos.orders.models import WAITING_LINE_STATES, LineStockState, Order, OrderLine
from emporos.orders.services.stock import SHIPPABLE_STATES, SHIPPING_STATUSES
from emporos.orders.states import is_ready_to_ship

_WAITS_FOR = {
    LineStockState.BACKORDERED: HoldReason.OUT_OF_STOCK,
    LineStockState.PREORDER: HoldReason.PREORDER_DATE,
    LineStockState.MADE_TO_ORDER: HoldReason.BEING_MADE,
}


@dataclass(frozen=True)
class PackLine:
    """Units of one order line that go into this parcel."""

    line_id: int
    sku: str
    name: str
    quantity: int
    unit_weight_grams: int


@dataclass(frozen=True)
class StayingLine:
    """Units that do not go into this parcel, and why: a waiting reason or a hold."""

    line_id: int
    sku: str
    name: str
    quantity: int
    reason: str  # a HoldReason code
    note: str = ""
    available_on: dt.date | None = None


@dataclass(frozen=True)
class PackingPlan:
    order: Order
    lines: tuple[PackLine, ...]
    waiting: tuple[StayingLine, ...]  # follow separately, once in stock, released or made
    held: tuple[StayingLine, ...]  # stopped: a staff hold, or a payment still awaited
    wave: Wave | None  # the wave every packable line was picked in, if one
    carrier: str  # the carrier the order's shipping method names ("manual" when none)
    parcels: int  # parcels already sent for this order

    @property
    def is_being_handled(self) -> bool:
        return self.order.status in SHIPPING_STATUSES

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)

    def quantity_of(self, sku: str) -> int:
        return next((line.quantity for line in self.lines if line.sku == sku), 0)


def packing_plan(order: Order) -> PackingPlan:
    """The order's next parcel as it stands now."""
    lines = list(OrderLine.objects.filter(order=order).select_related("variant__product").order_by("sku", "id"))
    parts = {
        fo_line.order_line_id: fo
        for fo in FulfillmentOrder.objects.filter(order=order, status__in=ACTIVE_STATUSES)
        .select_related("wave")
        .prefetch_related("lines")
        for fo_line in fo.lines.all()
    }
    paid = is_ready_to_ship(payment_status=order.payment_status, payment_method=order.payment_method)
    packable: list[PackLine] = []
    waiting: list[StayingLine] = []
    held: list[StayingLine] = []
    waves: set[Wave | None] = set()
    for line in lines:
        part = parts.get(line.pk)
        left = line.quantity_unshipped
        if left <= 0 or not line.variant.product.is_shipped or (part is not None and part.mode == Mode.THIRD_PARTY):
            continue
        if line.stock_state in WAITING_LINE_STATES:
            reason = _WAITS_FOR[LineStockState(line.stock_state)]
            waiting.append(StayingLine(line.pk, line.sku, line.name, left, reason, available_on=line.available_on))
        elif part is not None and part.status == Status.ON_HOLD and part.held_by_staff:
            held.append(StayingLine(line.pk, line.sku, line.name, left, part.hold_reason, note=part.hold_note))
        elif not paid:
            held.append(StayingLine(line.pk, line.sku, line.name, left, HoldReason.AWAITING_PAYMENT))
        elif line.stock_state in SHIPPABLE_STATES:
            packable.append(PackLine(line.pk, line.sku, line.name, left, line.variant.weight_grams))
            waves.add(part.wave if part is not None else None)
    return PackingPlan(
        order=order,
        lines=tuple(packable) if order.status in SHIPPING_STATUSES else (),
        waiting=tuple(waiting),
        held=tuple(held),
        wave=next(iter(waves)) if len(waves) == 1 else None,
        carrier=carrier_for(order),
        parcels=order.shipments.count(),
    )
