"""What every write of an order shares: compare-and-set on the facts it checked, and the timeline."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Expression, Q, Value, When

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.core.states import check_transition
from emporos.core.text import check_text
from emporos.orders.errors import OrderChangedMeanwhile
from emporos.orders.models import Order
from emporos.orders.states import ORDER_TRANSITIONS, OrderStatus, is_ready_to_ship, queue_rank
from emporos.outbox.events import DomainEvent
from emporos.timeline import services as timeline
from emporos.timeline.models import SubjectKind
from emporos.timeline.services import About

# The facts a write of an order rests on. A write goes through only if the facts it checked are
# unchanged since the order was read: a cancel checks the money too, so a cancel racing a payment
# can never both win, while confirming or holding is not refused because a payment landed.
STATUS = ("status",)
MONEY = ("payment_status", "amount_paid", "amount_refunded")
STATUS_AND_MONEY = STATUS + MONEY


def compare_and_set(order: Order, *, checked: tuple[str, ...] = STATUS, also: Q | None = None, **changes: Any) -> None:
    """Write `changes` only if the `checked` columns still hold what `order` says (and the row
    still matches `also`, a condition on a fact that may have moved in an allowed way)."""
    changes["updated_at"] = clock.now()
    expected = {name: getattr(order, name) for name in checked}
    rows = Order.objects.filter(pk=order.pk, **expected)
    if also is not None:
        rows = rows.filter(also)
    if rows.update(**changes) != 1:
        raise OrderChangedMeanwhile(
            f"Order {order.display_number} was changed by someone else just now; reload it and try again."
        )
    for name, value in changes.items():
        if not isinstance(value, Expression):  # computed by the database; the caller sets its own copy
            setattr(order, name, value)


def set_status(order: Order, target: OrderStatus, *, checked: tuple[str, ...] = STATUS, **changes: Any) -> None:
    """Move the order to `target` if the transition table allows it, compare-and-set on `checked`."""
    current = OrderStatus(order.status)
    check_transition(ORDER_TRANSITIONS, current=current, target=target, what=f"order {order.display_number}")
    compare_and_set(order, checked=checked, status=target, **changes)


def about_order(order: Order) -> list[About]:
    """An order's entries are about the order and its customer."""
    return [About(SubjectKind.ORDER, order.pk), About(SubjectKind.CUSTOMER, order.customer_id)]


def record(order: Order, event: DomainEvent, *, actor: Actor, **facts: Any) -> None:
    """The event and the order's timeline entry, with its number for the customer's timeline."""
    timeline.record(event=event, about=about_order(order), actor=actor, facts={"number": order.display_number, **facts})


def checked_reason(text: str, field: str) -> str:
    cleaned = text.strip()
    errors = ErrorCollector()
    if not cleaned:
        errors.add(field, "required", "Say why, in a few words; the timeline keeps it for everyone.")
    else:
        check_text(errors, field, cleaned, max_length=500)
    errors.raise_if_any()
    return cleaned


def free_text(errors: ErrorCollector, field: str, text: str, *, max_length: int, multiline: bool = True) -> str:
    """`text` without surrounding space, its problems (control characters, length) added to `errors`."""
    cleaned = text.strip()
    check_text(errors, field, cleaned, max_length=max_length, multiline=multiline)
    return cleaned


def rank_in_database(order: Order, *, payment_status: str) -> Case:
    """The queue rank after a payment, with the overdue flag as the row has it when written, so a
    payment and the overdue check can land in either order without one undoing the other's rank."""
    return Case(
        When(overdue_flagged_at__isnull=False, then=Value(rank(order, payment_status=payment_status, is_overdue=True))),
        default=Value(rank(order, payment_status=payment_status, is_overdue=False)),
    )


def rank(order: Order, *, payment_status: str | None = None, is_overdue: bool | None = None) -> int:
    return queue_rank(
        is_overdue=order.overdue_flagged_at is not None if is_overdue is None else is_overdue,
        is_express=order.is_express,
        ready_to_ship=is_ready_to_ship(
            payment_status=payment_status or order.payment_status, payment_method=order.payment_method
        ),
    )
