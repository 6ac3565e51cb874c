"""Changes to a placed order: confirm, verify, start processing, complete, hold and release, cancel,
notes, overdue.

Each is one transaction: a compare-and-set write on the facts it checked, a timeline entry and an
event (recorded together by `timeline.record`).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.inventory import services as inventory
from emporos.orders import events
from emporos.orders.errors import NothingToVerify, NotOnHold, StillWaiting
from emporos.orders.models import (
    WAITING_LINE_STATES,
    LineStockState,
    Order,
    OrderLine,
    Verification,
    VerificationOutcome,
)
from emporos.orders.services._write import (
    STATUS_AND_MONEY,
    checked_reason,
    compare_and_set,
    free_text,
    rank,
    record,
    set_status,
)
from emporos.orders.states import WAITING_STATUSES, OrderStatus, derive_fulfillment_status


def confirm_order(*, order: Order, actor: Actor) -> Order:
    """Accept a placed order for handling."""
    with transaction.atomic():
        set_status(order, OrderStatus.CONFIRMED)
        record(order, events.OrderConfirmed(order_id=order.pk), actor=actor)
    return order


def verify_order(*, order: Order, outcome: str, note: str, actor: Actor) -> Verification:
    """Record the outcome of the verification call with the customer (L3)."""
    errors = ErrorCollector()
    if outcome not in VerificationOutcome.values:
        errors.add("outcome", "invalid", f"Use one of {', '.join(VerificationOutcome.values)}.")
    cleaned = free_text(errors, "note", note, max_length=2000)
    if order.status in {OrderStatus.CANCELLED, OrderStatus.COMPLETED}:
        raise NothingToVerify(f"Order {order.display_number} is {order.status}; there is nothing left to verify.")
    errors.raise_if_any()
    with transaction.atomic():
        now = clock.now()
        if outcome in {VerificationOutcome.CONFIRMED, VerificationOutcome.CORRECTED}:
            compare_and_set(order, verified_at=now)
        else:
            compare_and_set(order)  # still not cancelled or completed by someone else meanwhile
        verification = Verification.objects.create(
            order=order, outcome=outcome, note=cleaned, actor=str(actor)[:150], created_at=now
        )
        record(order, events.OrderVerified(order_id=order.pk, outcome=outcome), actor=actor, note=cleaned)
    return verification


def start_processing(*, order: Order, actor: Actor) -> Order:
    """Mark a confirmed order as being picked and packed."""
    with transaction.atomic():
        set_status(order, OrderStatus.PROCESSING)
        record(order, events.OrderProcessingStarted(order_id=order.pk), actor=actor)
    return order


def complete_order(*, order: Order, actor: Actor) -> Order:
    """Hand every line over (shipped or delivered digitally): reserved stock leaves the shelves."""
    with transaction.atomic():
        lines = list(OrderLine.objects.filter(order=order).order_by("sku", "id"))
        waiting = [line.sku for line in lines if line.stock_state in WAITING_LINE_STATES]
        if waiting:
            raise StillWaiting(
                f"Order {order.display_number} still waits for {', '.join(waiting)}; ship those first or cancel them."
            )
        units = sum(line.quantity for line in lines)
        set_status(
            order, OrderStatus.COMPLETED, fulfillment_status=derive_fulfillment_status(ordered=units, shipped=units)
        )
        inventory.ship(
            reservations=[
                inventory.Reservation(line.variant_id, line.quantity_unshipped, line.reserved_location_id)
                for line in lines
                if line.stock_state == LineStockState.RESERVED and line.quantity_unshipped
            ],
            reference=order.display_number,
            actor=actor,
        )
        OrderLine.objects.filter(order=order).update(stock_state=LineStockState.SHIPPED, quantity_shipped=F("quantity"))
        record(order, events.OrderCompleted(order_id=order.pk), actor=actor, units=units)
    return order


def hold_order(*, order: Order, reason: str, actor: Actor) -> Order:
    """Pause an order; it leaves the queue until released."""
    cleaned = checked_reason(reason, "reason")
    with transaction.atomic():
        set_status(order, OrderStatus.ON_HOLD, held_from_status=order.status, hold_reason=cleaned)
        record(order, events.OrderHeld(order_id=order.pk), actor=actor, reason=cleaned)
    return order


def release_order(*, order: Order, actor: Actor, note: str = "") -> Order:
    """Take an order off hold, back to the status it was held from."""
    if order.status != OrderStatus.ON_HOLD:
        raise NotOnHold(f"Order {order.display_number} is {order.status}, not on hold.")
    errors = ErrorCollector()
    cleaned = free_text(errors, "note", note, max_length=500)
    errors.raise_if_any()
    target = OrderStatus(order.held_from_status or OrderStatus.PLACED)
    with transaction.atomic():
        set_status(order, target, held_from_status="", hold_reason="")
        record(order, events.OrderReleased(order_id=order.pk, status=target), actor=actor, note=cleaned)
    return order


def cancel_order(*, order: Order, reason: str, actor: Actor) -> Order:
    """Cancel an order that has not completed, and give its reserved stock back."""
    cleaned = checked_reason(reason, "reason")
    with transaction.atomic():
        # The refund due and the event's payment status rest on the money: checked too.
        set_status(order, OrderStatus.CANCELLED, checked=STATUS_AND_MONEY, cancel_reason=cleaned, held_from_status="")
        reserved = list(
            OrderLine.objects.filter(order=order, stock_state=LineStockState.RESERVED).order_by("sku", "id")
        )
        inventory.release(
            reservations=[
                inventory.Reservation(line.variant_id, line.quantity_unshipped, line.reserved_location_id)
                for line in reserved
                if line.quantity_unshipped
            ],
            reference=order.display_number,
            actor=actor,
        )
        OrderLine.objects.filter(pk__in=[line.pk for line in reserved]).update(stock_state=LineStockState.RELEASED)
        record(
            order,
            events.OrderCancelled(order_id=order.pk, payment_status=order.payment_status),
            actor=actor,
            reason=cleaned,
            released_lines=len(reserved),
            # Money received is due back (an authorised card is voided instead, so it does not count).
            refund_due=str(order.amount_paid) if order.amount_paid > 0 else "",
            currency=order.currency,
        )
    return order


def add_note(*, order: Order, text: str, actor: Actor) -> None:
    """Add an internal note (staff only, never shown to the customer)."""
    errors = ErrorCollector()
    cleaned = free_text(errors, "text", text, max_length=4000)
    if not cleaned:
        errors.add("text", "required", "Write the note.")
    errors.raise_if_any()
    with transaction.atomic():
        record(order, events.NoteAdded(order_id=order.pk), actor=actor, text=cleaned)


def flag_overdue_orders(*, limit: int = 500) -> int:
    """Flag, once, every waiting order past its due time; return how many were flagged."""
    now = clock.now()
    flagged = 0
    with transaction.atomic():
        due = Order.objects.filter(
            status__in=list(WAITING_STATUSES), due_by__lt=now, overdue_flagged_at__isnull=True
        ).order_by("due_by", "id")[:limit]
        for order in due:
            # Still waiting, and paid as read (the rank rests on it); a miss is flagged next run.
            still = Order.objects.filter(
                pk=order.pk,
                overdue_flagged_at__isnull=True,
                status__in=list(WAITING_STATUSES),
                payment_status=order.payment_status,
            )
            if not still.update(overdue_flagged_at=now, queue_rank=rank(order, is_overdue=True)):
                continue
            record(order, events.OrderOverdue(order_id=order.pk), actor=Actor.system())
            flagged += 1
    return flagged
