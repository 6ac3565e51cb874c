"""Changes to a placed order: confirm, verify, hold and release, cancel, payments, notes, overdue.

Each is one transaction: a compare-and-set write of the status, a timeline entry and an event.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from emporos.core import clock, money
from emporos.core.actor import Actor
from emporos.core.errors import Conflict, ErrorCollector
from emporos.core.states import check_transition
from emporos.inventory import services as inventory
from emporos.orders import events, timeline
from emporos.orders.models import (
    WAITING_LINE_STATES,
    LineStockState,
    Order,
    OrderLine,
    Verification,
    VerificationOutcome,
)
from emporos.orders.states import (
    COLLECTED_BY_THE_SHOP,
    ORDER_TRANSITIONS,
    PAYMENT_TRANSITIONS,
    WAITING_STATUSES,
    OrderStatus,
    PaymentStatus,
    derive_fulfillment_status,
    is_ready_to_ship,
    queue_rank,
)
from emporos.outbox.services import emit


class OrderChangedMeanwhile(Conflict):
    code = "order_changed_meanwhile"


def _set_status(order: Order, target: OrderStatus, **changes: Any) -> None:
    """Compare-and-set: write `target` only if the status is still what `order` says."""
    current = OrderStatus(order.status)
    check_transition(ORDER_TRANSITIONS, current=current, target=target, what=f"order {order.display_number}")
    changes["updated_at"] = clock.now()
    updated = Order.objects.filter(pk=order.pk, status=current).update(status=target, **changes)
    if updated != 1:
        raise OrderChangedMeanwhile(
            f"Order {order.display_number} was changed by someone else just now; reload it and try again."
        )
    order.status = target
    for name, value in changes.items():
        setattr(order, name, value)


def _reason(reason: str, field: str) -> str:
    cleaned = reason.strip()
    errors = ErrorCollector()
    if not cleaned:
        errors.add(field, "required", "Say why, in a few words; the timeline keeps it for everyone.")
    elif len(cleaned) > 500:
        errors.add(field, "too_long", "Keep it under 500 characters.")
    errors.raise_if_any()
    return cleaned


def confirm_order(*, order: Order, actor: Actor) -> Order:
    """Accept a placed order for handling."""
    with transaction.atomic():
        _set_status(order, OrderStatus.CONFIRMED)
        timeline.record(order=order, kind="order_confirmed", summary="Order confirmed.", actor=actor)
        emit(events.OrderConfirmed(order_id=order.pk))
    return order


def verify_order(*, order: Order, outcome: str, note: str, actor: Actor) -> Verification:
    """Record the outcome of the verification call with the customer (L3)."""
    errors = ErrorCollector()
    if outcome not in VerificationOutcome.values:
        errors.add("outcome", "invalid", f"Use one of {', '.join(VerificationOutcome.values)}.")
    if len(note) > 2000:
        errors.add("note", "too_long", "Keep the note under 2000 characters.")
    if order.status in {OrderStatus.CANCELLED, OrderStatus.COMPLETED}:
        raise Conflict(f"Order {order.display_number} is {order.status}; there is nothing left to verify.")
    errors.raise_if_any()
    label = VerificationOutcome(outcome).label
    with transaction.atomic():
        now = clock.now()
        verification = Verification.objects.create(
            order=order, outcome=outcome, note=note.strip(), actor=str(actor), created_at=now
        )
        if outcome in {VerificationOutcome.CONFIRMED, VerificationOutcome.CORRECTED}:
            Order.objects.filter(pk=order.pk).update(verified_at=now, updated_at=now)
            order.verified_at = now
        summary = f"Verification call: {label}." + (f" {note.strip()}" if note.strip() else "")
        timeline.record(order=order, kind="order_verified", summary=summary, actor=actor, data={"outcome": outcome})
        emit(events.OrderVerified(order_id=order.pk, outcome=outcome))
    return verification


def start_processing(*, order: Order, actor: Actor) -> Order:
    """Mark a confirmed order as being picked and packed."""
    with transaction.atomic():
        _set_status(order, OrderStatus.PROCESSING)
        timeline.record(order=order, kind="order_processing", summary="Processing started.", actor=actor)
        emit(events.OrderProcessingStarted(order_id=order.pk))
    return order


def complete_order(*, order: Order, actor: Actor) -> Order:
    """Hand every line over (shipped or delivered digitally): reserved stock leaves the shelves."""
    with transaction.atomic():
        lines = list(OrderLine.objects.filter(order=order).order_by("sku", "id"))
        waiting = [line.sku for line in lines if line.stock_state in WAITING_LINE_STATES]
        if waiting:
            raise Conflict(
                f"Order {order.display_number} still waits for {', '.join(waiting)}; ship those first or cancel them."
            )
        units = sum(line.quantity for line in lines)
        _set_status(
            order, OrderStatus.COMPLETED, fulfillment_status=derive_fulfillment_status(ordered=units, shipped=units)
        )
        inventory.ship(
            reservations=[
                inventory.Reservation(line.variant_id, line.quantity, line.reserved_location_id)
                for line in lines
                if line.stock_state == LineStockState.RESERVED
            ],
            reference=order.display_number,
            actor=actor,
        )
        OrderLine.objects.filter(order=order).update(stock_state=LineStockState.SHIPPED)
        timeline.record(order=order, kind="order_completed", summary="Completed: every line handed over.", actor=actor)
        emit(events.OrderCompleted(order_id=order.pk))
    return order


def hold_order(*, order: Order, reason: str, actor: Actor) -> Order:
    """Pause an order; it leaves the queue until released."""
    cleaned = _reason(reason, "reason")
    with transaction.atomic():
        _set_status(order, OrderStatus.ON_HOLD, held_from_status=order.status, hold_reason=cleaned)
        timeline.record(order=order, kind="order_held", summary=f"On hold: {cleaned}", actor=actor)
        emit(events.OrderHeld(order_id=order.pk))
    return order


def release_order(*, order: Order, actor: Actor, note: str = "") -> Order:
    """Take an order off hold, back to the status it was held from."""
    if order.status != OrderStatus.ON_HOLD:
        raise Conflict(f"Order {order.display_number} is {order.status}, not on hold.")
    target = OrderStatus(order.held_from_status or OrderStatus.PLACED)
    with transaction.atomic():
        _set_status(order, target, held_from_status="", hold_reason="")
        summary = f"Released from hold, back to {target}." + (f" {note.strip()}" if note.strip() else "")
        timeline.record(order=order, kind="order_released", summary=summary, actor=actor)
        emit(events.OrderReleased(order_id=order.pk, status=target))
    return order


def cancel_order(*, order: Order, reason: str, actor: Actor) -> Order:
    """Cancel an order that has not completed, and give its reserved stock back."""
    cleaned = _reason(reason, "reason")
    with transaction.atomic():
        _set_status(order, OrderStatus.CANCELLED, cancel_reason=cleaned, held_from_status="")
        reserved = list(
            OrderLine.objects.filter(order=order, stock_state=LineStockState.RESERVED).order_by("sku", "id")
        )
        inventory.release(
            reservations=[
                inventory.Reservation(line.variant_id, line.quantity, line.reserved_location_id) for line in reserved
            ],
            reference=order.display_number,
            actor=actor,
        )
        OrderLine.objects.filter(pk__in=[line.pk for line in reserved]).update(stock_state=LineStockState.RELEASED)
        refund_hint = " A refund is due." if order.payment_status == PaymentStatus.PAID else ""
        timeline.record(
            order=order,
            kind="order_cancelled",
            summary=f"Cancelled: {cleaned}. Stock released for {len(reserved)} line(s).{refund_hint}",
            actor=actor,
        )
        emit(events.OrderCancelled(order_id=order.pk, payment_status=order.payment_status))
    return order


def record_payment(*, order: Order, amount: Decimal, actor: Actor, reference: str = "") -> Order:
    """Record money received (card capture, bank transfer, cash collected by the courier)."""
    errors = ErrorCollector()
    outstanding = order.outstanding
    if amount <= 0 or not money.has_valid_precision(amount, order.currency):
        errors.add("amount", "invalid_amount", f'Give the amount received, more than 0, e.g. "{outstanding}".')
    elif amount > outstanding:
        errors.add("amount", "too_much", f"Only {outstanding} {order.currency} is outstanding on this order.")
    if len(reference) > 100:
        errors.add("reference", "too_long", "Keep the payment reference under 100 characters.")
    if order.status == OrderStatus.CANCELLED:
        raise Conflict(f"Order {order.display_number} is cancelled; record the money as a refund instead.")
    errors.raise_if_any()
    paid_in_full = order.amount_paid + amount >= order.total
    target = PaymentStatus.PAID if paid_in_full else PaymentStatus(order.payment_status)
    if target != order.payment_status:
        check_transition(
            PAYMENT_TRANSITIONS, current=PaymentStatus(order.payment_status), target=target, what="payment"
        )
    with transaction.atomic():
        rank = _rank(order, payment_status=target)
        updated = Order.objects.filter(pk=order.pk, amount_paid=order.amount_paid).update(
            amount_paid=order.amount_paid + amount, payment_status=target, queue_rank=rank, updated_at=clock.now()
        )
        if updated != 1:
            raise OrderChangedMeanwhile(f"A payment for {order.display_number} was recorded just now; reload it.")
        order.amount_paid += amount
        order.payment_status = target
        order.queue_rank = rank
        suffix = f" (ref. {reference.strip()})" if reference.strip() else ""
        timeline.record(
            order=order,
            kind="payment_recorded",
            summary=f"Payment of {amount} {order.currency} recorded{suffix}; payment is {target}.",
            actor=actor,
            data={"amount": str(amount), "reference": reference.strip()},
        )
        emit(events.PaymentRecorded(order_id=order.pk, amount=str(amount), payment_status=target))
    return order


class AlreadyPaid(Conflict):
    code = "already_paid"


class NotCollectedByTheShop(Conflict):
    code = "not_collected_by_the_shop"


def record_outstanding_payment(*, order: Order, actor: Actor, reference: str = "") -> Order:
    """Record the whole outstanding amount of money the shop collects itself (cash on delivery,
    bank transfer). Card, PayPal and the like are recorded by their provider, never in bulk."""
    if order.outstanding <= 0:
        raise AlreadyPaid(f"Order {order.display_number} is already paid in full.")
    if order.payment_method not in COLLECTED_BY_THE_SHOP:
        raise NotCollectedByTheShop(
            f"Order {order.display_number} is paid by {order.payment_method}; record its payment on the order itself."
        )
    return record_payment(order=order, amount=order.outstanding, actor=actor, reference=reference)


def add_note(*, order: Order, text: str, actor: Actor) -> None:
    """Add an internal note (staff only, never shown to the customer)."""
    cleaned = text.strip()
    errors = ErrorCollector()
    if not cleaned:
        errors.add("text", "required", "Write the note.")
    elif len(cleaned) > 4000:
        errors.add("text", "too_long", "Keep a note under 4000 characters.")
    errors.raise_if_any()
    with transaction.atomic():
        timeline.record(order=order, kind="note", summary=cleaned[:500], actor=actor, data={"text": cleaned})
        emit(events.NoteAdded(order_id=order.pk))


def flag_overdue_orders(*, limit: int = 500) -> int:
    """Flag, once, every waiting order past its due time; return how many were flagged."""
    now = clock.now()
    flagged = 0
    with transaction.atomic():
        due = Order.objects.filter(
            status__in=list(WAITING_STATUSES), due_by__lt=now, overdue_flagged_at__isnull=True
        ).order_by("due_by", "id")[:limit]
        for order in due:
            rank = _rank(order, is_overdue=True)
            if not Order.objects.filter(pk=order.pk, overdue_flagged_at__isnull=True).update(
                overdue_flagged_at=now, queue_rank=rank
            ):
                continue
            timeline.record(
                order=order,
                kind="order_overdue",
                summary="Overdue: waiting longer than the shop's handling time.",
                actor=Actor.system(),
            )
            emit(events.OrderOverdue(order_id=order.pk))
            flagged += 1
    return flagged


def _rank(order: Order, *, payment_status: str | None = None, is_overdue: bool | None = None) -> int:
    return queue_rank(
        is_overdue=order.overdue_flagged_at is not None if is_overdue is None else is_overdue,
        is_express=order.is_express,
        ready_to_ship=is_ready_to_ship(
            payment_status=payment_status or order.payment_status, payment_method=order.payment_method
        ),
    )
