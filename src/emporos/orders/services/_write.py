"""What every write of an order shares: compare-and-set on the facts it checked, and the timeline."""

from __future__ import annotations

from typing import Any

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

# The facts a decision about an order rests on. A write goes through only if none of them changed
# since the order was read, so a cancel racing a payment can never both win.
CHECKED = ("status", "payment_status", "amount_paid")


def compare_and_set(order: Order, **changes: Any) -> None:
    """Write `changes` only if the order's status and payment are still what `order` says."""
    changes["updated_at"] = clock.now()
    expected = {name: getattr(order, name) for name in CHECKED}
    if Order.objects.filter(pk=order.pk, **expected).update(**changes) != 1:
        raise OrderChangedMeanwhile(
            f"Order {order.display_number} was changed by someone else just now; reload it and try again."
        )
    for name, value in changes.items():
        setattr(order, name, value)


def set_status(order: Order, target: OrderStatus, **changes: Any) -> None:
    """Move the order to `target` if the transition table allows it, compare-and-set."""
    current = OrderStatus(order.status)
    check_transition(ORDER_TRANSITIONS, current=current, target=target, what=f"order {order.display_number}")
    compare_and_set(order, status=target, **changes)


def about_order(order: Order) -> list[About]:
    """An order's entries are about the order and its customer."""
    return [About(SubjectKind.ORDER, order.pk), About(SubjectKind.CUSTOMER, order.customer_id)]


def record(order: Order, event: DomainEvent, *, actor: Actor, **facts: Any) -> None:
    """The event and the order's timeline entry, with its number for the customer's timeline."""
    timeline.record(event=event, about=about_order(order), actor=actor, facts={"number": order.display_number, **facts})


def reason(text: str, field: str) -> str:
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


def rank(order: Order, *, payment_status: str | None = None, is_overdue: bool | None = None) -> int:
    return queue_rank(
        is_overdue=order.overdue_flagged_at is not None if is_overdue is None else is_overdue,
        is_express=order.is_express,
        ready_to_ship=is_ready_to_ship(
            payment_status=payment_status or order.payment_status, payment_method=order.payment_method
        ),
    )
