"""Lines and stock after intake: waiting lines served first in, first out when stock arrives,
pre-orders released on their date, made-to-order lines marked made, and units handed over.

Stock arriving and the waiting lines it serves commit together (`receive_stock`), so an order
placed a moment later can never take units that a backorder placed earlier was waiting for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction

from emporos.catalog.models import FulfillmentMode
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.inventory import services as inventory
from emporos.orders import events
from emporos.orders.errors import CannotShip, NothingToMake
from emporos.orders.models import WAITING_LINE_STATES, LineStockState, Order, OrderLine
from emporos.orders.services._write import STATUS, compare_and_set, record, set_status
from emporos.orders.states import OrderStatus, derive_fulfillment_status

# Line states whose units can go into a parcel now.
SHIPPABLE_STATES = frozenset({LineStockState.RESERVED, LineStockState.READY})
# Orders whose lines may be handed over.
SHIPPING_STATUSES = frozenset({OrderStatus.CONFIRMED, OrderStatus.PROCESSING})


def receive_stock(*, drafts: list[inventory.AdjustmentDraft], actor: Actor) -> list[inventory.AdjustmentResult]:
    """Adjust stock and, in the same transaction, give what arrived to the lines waiting for it."""
    with transaction.atomic():
        results = inventory.adjust_stock(drafts=drafts, actor=actor)
        grown = {result.sku for result in results if result.delta > 0}
        if grown:
            allocate_waiting(skus=grown, actor=actor)
    return results


def allocate_waiting(*, skus: Iterable[str], actor: Actor) -> list[OrderLine]:
    """Reserve stock for backordered lines of `skus`, oldest order first. A line that cannot be
    served stops its SKU's queue: a later, smaller order never jumps ahead of an earlier one."""
    allocated: list[OrderLine] = []
    with transaction.atomic():
        for sku in sorted(set(skus)):
            waiting = (
                OrderLine.objects.select_for_update()
                .filter(sku=sku, stock_state=LineStockState.BACKORDERED, order__status__in=_OPEN_STATUSES)
                .select_related("order")
                .order_by("order__placed_at", "order__id", "id")
            )
            for line in waiting:
                (reservation,) = inventory.reserve(
                    requests=[
                        inventory.ReservationRequest(
                            variant_id=line.variant_id, sku=line.sku, quantity=line.quantity_unshipped, may_wait=True
                        )
                    ],
                    reference=line.order.display_number,
                    actor=actor,
                )
                if reservation.location_id is None:
                    break
                OrderLine.objects.filter(pk=line.pk).update(
                    stock_state=LineStockState.RESERVED, reserved_location_id=reservation.location_id
                )
                line.stock_state = LineStockState.RESERVED
                line.reserved_location_id = reservation.location_id
                _refresh_waiting(line.order)
                record(
                    line.order,
                    events.LineAllocated(
                        order_id=line.order_id, line_id=line.pk, sku=line.sku, quantity=line.quantity_unshipped
                    ),
                    actor=actor,
                    sku=line.sku,
                    quantity=line.quantity_unshipped,
                    location=reservation.location_code or "",
                )
                allocated.append(line)
    return allocated


_OPEN_STATUSES = (OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.PROCESSING, OrderStatus.ON_HOLD)


def release_preorders(*, today: dt.date, actor: Actor) -> list[OrderLine]:
    """Release pre-order lines whose date has come: counted goods join the queue for stock (and
    are served at once when there is some), the rest are ready to ship."""
    released: list[OrderLine] = []
    with transaction.atomic():
        due = (
            OrderLine.objects.select_for_update()
            .filter(stock_state=LineStockState.PREORDER, available_on__lte=today, order__status__in=_OPEN_STATUSES)
            .select_related("order", "variant__product")
            .order_by("order__placed_at", "order__id", "id")
        )
        counted: set[str] = set()
        for line in due:
            stocked = line.variant.product.is_stocked
            state = LineStockState.BACKORDERED if stocked else LineStockState.READY
            OrderLine.objects.filter(pk=line.pk).update(stock_state=state)
            line.stock_state = state
            if stocked:
                counted.add(line.sku)
            _refresh_waiting(line.order)
            record(
                line.order,
                events.PreorderReleased(order_id=line.order_id, line_id=line.pk, sku=line.sku, stock_state=state),
                actor=actor,
                sku=line.sku,
                stock_state=state,
            )
            released.append(line)
        if counted:
            allocate_waiting(skus=counted, actor=actor)
    return released


def mark_made(*, order: Order, line_id: int, actor: Actor) -> OrderLine:
    """A made-to-order line is finished: it ships with the next wave."""
    with transaction.atomic():
        line = OrderLine.objects.select_for_update().filter(order=order, pk=line_id).first()
        if line is None or line.stock_state != LineStockState.MADE_TO_ORDER:
            raise NothingToMake(
                f"Order {order.display_number} has no line waiting to be made with that id; reload the order."
            )
        OrderLine.objects.filter(pk=line.pk).update(stock_state=LineStockState.READY)
        line.stock_state = LineStockState.READY
        _refresh_waiting(order)
        record(order, events.LineMade(order_id=order.pk, line_id=line.pk, sku=line.sku), actor=actor, sku=line.sku)
    return line


def change_expected_date(*, product_id: int, release_on: dt.date | None, actor: Actor) -> int:
    """A pre-order's release date moved: every waiting line takes the new date, and each order
    hears of it (an event, so the customer can be told). Returns the number of lines changed."""
    changed = 0
    with transaction.atomic():
        lines = (
            OrderLine.objects.select_for_update()
            .filter(variant__product_id=product_id, stock_state=LineStockState.PREORDER)
            .exclude(available_on=release_on)
            .select_related("order")
            .order_by("id")
        )
        for line in lines:
            OrderLine.objects.filter(pk=line.pk).update(available_on=release_on)
            record(
                line.order,
                events.ExpectedDateChanged(
                    order_id=line.order_id,
                    line_id=line.pk,
                    sku=line.sku,
                    expected_on=release_on.isoformat() if release_on else None,
                ),
                actor=actor,
                sku=line.sku,
                expected_on=release_on.isoformat() if release_on else "",
            )
            changed += 1
    return changed


def _refresh_waiting(order: Order) -> None:
    waiting = OrderLine.objects.filter(order=order, stock_state__in=WAITING_LINE_STATES).exists()
    if waiting != order.has_waiting_lines:
        Order.objects.filter(pk=order.pk).update(has_waiting_lines=waiting, updated_at=clock.now())
        order.has_waiting_lines = waiting


@dataclass(frozen=True)
class Handed:
    """What a hand-over did to the order."""

    fulfillment_status: str
    status: str
    units: int


def ship_lines(
    *, order: Order, quantities: Mapping[int, int], reference: str, actor: Actor, delivered: bool = False
) -> Handed:
    """Hand units of lines over (to a carrier, or delivered digitally when `delivered`), inside the
    caller's transaction: reserved units leave the shelves, the lines count them, the order's
    fulfillment status follows, and a fully handed-over order completes. Refuses (CannotShip,
    naming the SKU) more than is left, a line still waiting, or an order that is not being
    handled; the caller's transaction then writes nothing."""
    if order.status not in SHIPPING_STATUSES:
        raise CannotShip(_status_refusal(order), sku=None)
    lines = {
        line.pk: line
        for line in OrderLine.objects.select_for_update().filter(order=order).select_related("variant__product")
    }
    moves = []
    for line_id, quantity in sorted(quantities.items(), key=lambda item: (lines[item[0]].sku, item[0])):
        line = lines[line_id]
        digital = line.variant.product.fulfillment_mode in {FulfillmentMode.DIGITAL, FulfillmentMode.MEMBERSHIP}
        if line.stock_state in WAITING_LINE_STATES:
            raise CannotShip(
                f"SKU {line.sku} of order {order.display_number} still waits "
                f"({LineStockState(line.stock_state).label.lower()}); ship it once it is in.",
                sku=line.sku,
            )
        if not digital and line.stock_state not in SHIPPABLE_STATES:
            raise CannotShip(f"SKU {line.sku} of order {order.display_number} cannot be shipped.", sku=line.sku)
        if quantity < 1 or quantity > line.quantity_unshipped:
            raise CannotShip(
                f"Order {order.display_number} has {line.quantity_unshipped} unit(s) of SKU {line.sku} left to ship, "
                f"not {quantity}.",
                sku=line.sku,
            )
        moves.append((line, quantity))
    inventory.ship(
        reservations=[
            inventory.Reservation(line.variant_id, quantity, line.reserved_location_id)
            for line, quantity in moves
            if line.stock_state == LineStockState.RESERVED
        ],
        reference=reference,
        actor=actor,
    )
    for line, quantity in moves:
        line.quantity_shipped += quantity
        changes: dict[str, object] = {"quantity_shipped": line.quantity_shipped}
        if delivered:
            line.quantity_delivered += quantity
            changes["quantity_delivered"] = line.quantity_delivered
        if line.quantity_shipped == line.quantity:
            changes["stock_state"] = line.stock_state = LineStockState.SHIPPED
        OrderLine.objects.filter(pk=line.pk).update(**changes)
    return _progress(order, list(lines.values()), actor=actor)


def record_delivered(*, order: Order, quantities: Mapping[int, int], actor: Actor) -> Handed:
    """Units of shipped lines reached the customer (tracking says so), inside the caller's transaction."""
    lines = {line.pk: line for line in OrderLine.objects.select_for_update().filter(order=order)}
    for line_id, quantity in quantities.items():
        line = lines[line_id]
        line.quantity_delivered = min(line.quantity_delivered + quantity, line.quantity_shipped)
        OrderLine.objects.filter(pk=line.pk).update(quantity_delivered=line.quantity_delivered)
    return _progress(order, list(lines.values()), actor=actor)


def record_returned(*, order: Order, quantities: Mapping[int, int], actor: Actor) -> Handed:
    """Units of lines came back from the customer (a return received), inside the caller's
    transaction; the order's fulfillment status follows (partially returned, returned). The
    returns domain checks what may come back first; this refuses only the impossible."""
    lines = {line.pk: line for line in OrderLine.objects.select_for_update().filter(order=order)}
    for line_id, quantity in quantities.items():
        line = lines[line_id]
        if quantity < 1 or line.quantity_returned + quantity > line.quantity_shipped:
            raise CannotShip(
                f"Order {order.display_number} has {line.quantity_shipped - line.quantity_returned} unit(s) of SKU "
                f"{line.sku} that may come back, not {quantity}.",
                sku=line.sku,
            )
        line.quantity_returned += quantity
        OrderLine.objects.filter(pk=line.pk).update(quantity_returned=line.quantity_returned)
    return _progress(order, list(lines.values()), actor=actor)


def _progress(order: Order, lines: list[OrderLine], *, actor: Actor) -> Handed:
    ordered = sum(line.quantity for line in lines)
    shipped = sum(line.quantity_shipped for line in lines)
    status = derive_fulfillment_status(
        ordered=ordered,
        shipped=shipped,
        delivered=sum(line.quantity_delivered for line in lines),
        returned=sum(line.quantity_returned for line in lines),
    )
    if shipped == ordered and order.status in SHIPPING_STATUSES:
        if order.status == OrderStatus.CONFIRMED:
            set_status(order, OrderStatus.PROCESSING)
        set_status(order, OrderStatus.COMPLETED, fulfillment_status=status)
        record(order, events.OrderCompleted(order_id=order.pk), actor=actor, units=ordered)
    elif order.status == OrderStatus.CONFIRMED:
        set_status(order, OrderStatus.PROCESSING, fulfillment_status=status)
    elif status != order.fulfillment_status:
        compare_and_set(order, checked=STATUS, fulfillment_status=status)
    return Handed(fulfillment_status=status, status=order.status, units=shipped)


def _status_refusal(order: Order) -> str:
    if order.status == OrderStatus.PLACED:
        return f"Order {order.display_number} is not confirmed yet; confirm it before shipping."
    if order.status == OrderStatus.ON_HOLD:
        return f"Order {order.display_number} is on hold ({order.hold_reason}); release it before shipping."
    return f"Order {order.display_number} is {order.status}; nothing of it can be shipped."
