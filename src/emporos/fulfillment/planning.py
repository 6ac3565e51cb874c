"""Fulfillment orders: an order's unshipped lines grouped by where and how they leave, and why
some wait. Planning is recomputed from the facts (line states, payment, holds) whenever one of
them changes, and is idempotent: planning twice changes nothing the second time. Lines already
in a wave or being packed stay where they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from emporos.catalog.models import FulfillmentMode
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.fulfillment import digital, events, handover
from emporos.fulfillment.errors import NotHeld
from emporos.fulfillment.models import (
    ACTIVE_STATUSES,
    STAFF_HOLD_REASONS,
    FulfillmentOrder,
    FulfillmentOrderLine,
    HoldReason,
    Mode,
    Status,
)
from emporos.inventory.models import LocationKind
from emporos.orders.models import LineStockState, Order, OrderLine
from emporos.orders.services import about_order
from emporos.orders.services._write import checked_reason
from emporos.orders.states import OrderStatus, is_ready_to_ship
from emporos.timeline import services as timeline

# Orders whose lines are planned: confirmed and being handled (a held order keeps its plan, held).
PLANNED_STATUSES = frozenset({OrderStatus.CONFIRMED, OrderStatus.PROCESSING, OrderStatus.ON_HOLD})

_WAITING = {
    LineStockState.BACKORDERED: HoldReason.OUT_OF_STOCK,
    LineStockState.PREORDER: HoldReason.PREORDER_DATE,
    LineStockState.MADE_TO_ORDER: HoldReason.BEING_MADE,
}


@dataclass(frozen=True)
class _Key:
    mode: str
    location_id: int | None
    waits_for: str  # "" for lines that can leave now


def _key(line: OrderLine) -> _Key:
    product = line.variant.product
    if product.fulfillment_mode in {FulfillmentMode.DIGITAL, FulfillmentMode.MEMBERSHIP}:
        return _Key(Mode.DIGITAL, None, "")
    waits_for = _WAITING.get(LineStockState(line.stock_state), "")
    if product.fulfillment_mode == FulfillmentMode.MADE_TO_ORDER:
        return _Key(Mode.MADE_TO_ORDER, None, waits_for)
    location = line.reserved_location
    if location is not None and location.kind == LocationKind.THIRD_PARTY:
        return _Key(Mode.THIRD_PARTY, location.pk, waits_for)
    return _Key(Mode.OWN, location.pk if location is not None else None, waits_for)


def _key_of(fo: FulfillmentOrder) -> _Key:
    return _Key(fo.mode, fo.location_id, fo.waits_for)


def _movable(fo: FulfillmentOrder) -> bool:
    """Lines of a fulfillment order in a wave or being handled stay put."""
    return fo.wave_id is None and fo.status != Status.IN_PROGRESS


def plan(*, order: Order, actor: Actor) -> list[FulfillmentOrder]:
    """Group the order's unshipped lines into fulfillment orders and set each one's status from
    the facts. Returns the active fulfillment orders."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        active = list(
            FulfillmentOrder.objects.filter(order=order, status__in=ACTIVE_STATUSES).prefetch_related("lines")
        )
        if order.status not in PLANNED_STATUSES:
            _cancel_all(order, active)
            return []
        lines = list(
            OrderLine.objects.filter(order=order).select_related("variant__product", "reserved_location").order_by("id")
        )
        placed: dict[int, tuple[FulfillmentOrder, FulfillmentOrderLine]] = {
            fo_line.order_line_id: (fo, fo_line) for fo in active for fo_line in fo.lines.all()
        }
        now = clock.now()
        changed = False
        for line in lines:
            unshipped = line.quantity_unshipped
            where = placed.get(line.pk)
            if unshipped == 0 or (where is not None and not _movable(where[0])):
                continue
            key = _key(line)
            if where is not None and _key_of(where[0]) == key:
                continue
            target = next((fo for fo in active if _movable(fo) and _key_of(fo) == key), None)
            if target is None:
                target = FulfillmentOrder.objects.create(
                    order=order,
                    mode=key.mode,
                    location_id=key.location_id,
                    waits_for=key.waits_for,
                    status=Status.OPEN,
                    is_express=order.is_express,
                    created_at=now,
                    updated_at=now,
                )
                target._prefetched_objects_cache = {}  # type: ignore[attr-defined]
                active.append(target)
            if where is not None:
                _old_fo, old_line = where
                old_line.quantity -= unshipped
                if old_line.quantity == 0:
                    old_line.delete()
                else:
                    old_line.save(update_fields=["quantity"])
            FulfillmentOrderLine.objects.create(fulfillment_order=target, order_line=line, quantity=unshipped)
            changed = True
        by_line = {line.pk: line for line in lines}
        ready = waiting = 0
        for fo in active:
            fo_lines = list(FulfillmentOrderLine.objects.filter(fulfillment_order=fo))
            left = [fl for fl in fo_lines if fl.quantity_shipped < fl.quantity]
            status: str
            reason: str
            fulfill_on: dt.date | None
            if not left:
                status, reason, fulfill_on = (
                    (Status.CLOSED if fo_lines and any(fl.quantity_shipped for fl in fo_lines) else Status.CANCELLED),
                    "",
                    None,
                )
            else:
                status, reason, fulfill_on = _status_for(order, fo, [by_line[fl.order_line_id] for fl in left])
            if (fo.status, fo.hold_reason, fo.fulfill_on) != (status, reason, fulfill_on):
                fo.status, fo.hold_reason, fo.fulfill_on, fo.updated_at = status, reason, fulfill_on, now
                if reason not in STAFF_HOLD_REASONS or status != Status.ON_HOLD:
                    fo.held_by_staff = False
                fo.save(update_fields=["status", "hold_reason", "fulfill_on", "held_by_staff", "updated_at"])
                changed = True
            if fo.status in {Status.OPEN, Status.IN_PROGRESS}:
                ready += 1
            elif fo.status in {Status.ON_HOLD, Status.SCHEDULED}:
                waiting += 1
        for fo in active:
            if fo.status == Status.OPEN and fo.mode == Mode.DIGITAL:
                digital.deliver(fulfillment_order=fo, actor=actor)
            elif fo.status == Status.OPEN and fo.mode == Mode.THIRD_PARTY:
                handover.request(fulfillment_order=fo, actor=actor)
        if changed:
            timeline.record(
                event=events.FulfillmentPlanned(order_id=order.pk, ready=ready, waiting=waiting),
                about=about_order(order),
                actor=actor,
                facts={"number": order.display_number},
            )
        return [fo for fo in active if fo.status in ACTIVE_STATUSES]


def _status_for(order: Order, fo: FulfillmentOrder, lines: list[OrderLine]) -> tuple[str, str, dt.date | None]:
    key = _key_of(fo)
    if key.waits_for == HoldReason.PREORDER_DATE:
        dates = [line.available_on for line in lines if line.available_on is not None]
        return Status.SCHEDULED, "", min(dates) if dates else None
    if key.waits_for:
        return Status.ON_HOLD, key.waits_for, None
    if fo.held_by_staff and fo.status == Status.ON_HOLD:
        return Status.ON_HOLD, fo.hold_reason, None
    if order.status == OrderStatus.ON_HOLD:
        return Status.ON_HOLD, HoldReason.OTHER, None
    if fo.mode != Mode.DIGITAL and not is_ready_to_ship(
        payment_status=order.payment_status, payment_method=order.payment_method
    ):
        return Status.ON_HOLD, HoldReason.AWAITING_PAYMENT, None
    if fo.mode == Mode.DIGITAL and order.payment_status not in {"paid", "authorized"}:
        return Status.ON_HOLD, HoldReason.AWAITING_PAYMENT, None
    if fo.status == Status.IN_PROGRESS:
        return Status.IN_PROGRESS, "", None
    return Status.OPEN, "", None


def _cancel_all(order: Order, active: list[FulfillmentOrder]) -> None:
    now = clock.now()
    for fo in active:
        if fo.wave_id is None or order.status == OrderStatus.CANCELLED:
            FulfillmentOrder.objects.filter(pk=fo.pk).update(status=Status.CANCELLED, updated_at=now)


def hold(*, fulfillment_order: FulfillmentOrder, reason: str, note: str, actor: Actor) -> FulfillmentOrder:
    """Staff stop a fulfillment order (an address to check, a call to make); it leaves the waves."""
    errors = ErrorCollector()
    if reason not in STAFF_HOLD_REASONS:
        errors.add("reason", "invalid", f"Use one of {', '.join(sorted(STAFF_HOLD_REASONS))}.")
    errors.raise_if_any()
    cleaned = checked_reason(note, "note") if note.strip() else ""
    with transaction.atomic():
        fo = FulfillmentOrder.objects.select_for_update().select_related("order").get(pk=fulfillment_order.pk)
        if fo.status not in {Status.OPEN, Status.ON_HOLD, Status.IN_PROGRESS}:
            raise NotHeld(f"This part of order {fo.order.display_number} is {fo.status}; it cannot be held.")
        fo.status, fo.hold_reason, fo.hold_note, fo.held_by_staff = Status.ON_HOLD, reason, cleaned, True
        fo.wave = None
        fo.updated_at = clock.now()
        fo.save()
        timeline.record(
            event=events.FulfillmentHeld(order_id=fo.order_id, fulfillment_order_id=fo.pk, reason=reason),
            about=about_order(fo.order),
            actor=actor,
            facts={"number": fo.order.display_number, "note": cleaned},
        )
    return fo


def release(*, fulfillment_order: FulfillmentOrder, actor: Actor) -> FulfillmentOrder:
    """Lift a staff hold; the facts decide what the fulfillment order does next."""
    with transaction.atomic():
        fo = FulfillmentOrder.objects.select_for_update().select_related("order").get(pk=fulfillment_order.pk)
        if not (fo.status == Status.ON_HOLD and fo.held_by_staff):
            raise NotHeld(f"This part of order {fo.order.display_number} is not held by staff.")
        fo.held_by_staff = False
        fo.status, fo.hold_reason, fo.hold_note = Status.OPEN, "", ""
        fo.updated_at = clock.now()
        fo.save()
        timeline.record(
            event=events.FulfillmentReleased(order_id=fo.order_id, fulfillment_order_id=fo.pk),
            about=about_order(fo.order),
            actor=actor,
            facts={"number": fo.order.display_number},
        )
        plan(order=fo.order, actor=actor)
    fo.refresh_from_db()
    return fo
