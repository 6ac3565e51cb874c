"""Money received for an order: one payment, or the whole outstanding amount the shop collects itself."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from emporos.core import money
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.core.states import check_transition
from emporos.orders import events
from emporos.orders.errors import AlreadyPaid, NotCollectedByTheShop, OrderCancelled
from emporos.orders.models import Order
from emporos.orders.services._write import (
    MONEY,
    compare_and_set,
    free_text,
    rank,
    rank_in_database,
    record,
)
from emporos.orders.states import COLLECTED_BY_THE_SHOP, PAYMENT_TRANSITIONS, OrderStatus, PaymentStatus


def record_payment(*, order: Order, amount: Decimal, actor: Actor, reference: str = "") -> Order:
    """Record money received (card capture, bank transfer, cash collected by the courier).

    Compare-and-set on the order's status and payment: a payment racing a cancel, or another
    payment, is refused with OrderChangedMeanwhile instead of both going through.
    """
    errors = ErrorCollector()
    outstanding = order.outstanding
    if amount <= 0 or not money.has_valid_precision(amount, order.currency):
        errors.add("amount", "invalid_amount", f'Give the amount received, more than 0, e.g. "{outstanding}".')
    elif amount > outstanding:
        errors.add("amount", "too_much", f"Only {outstanding} {order.currency} is outstanding on this order.")
    cleaned_reference = free_text(errors, "reference", reference, max_length=100, multiline=False)
    if order.status == OrderStatus.CANCELLED:
        raise OrderCancelled(f"Order {order.display_number} is cancelled; record the money as a refund instead.")
    errors.raise_if_any()
    paid_in_full = order.amount_paid + amount >= order.total
    target = PaymentStatus.PAID if paid_in_full else PaymentStatus(order.payment_status)
    if target != order.payment_status:
        check_transition(
            PAYMENT_TRANSITIONS, current=PaymentStatus(order.payment_status), target=target, what="payment"
        )
    with transaction.atomic():
        compare_and_set(
            order,
            # Money received rests on the money as read and on the order not being cancelled
            # meanwhile; a confirmation or a completion meanwhile is no reason to refuse it.
            checked=MONEY,
            also=~Q(status=OrderStatus.CANCELLED),
            amount_paid=order.amount_paid + amount,
            payment_status=target,
            queue_rank=rank_in_database(order, payment_status=target),
        )
        order.queue_rank = rank(order, payment_status=target)
        record(
            order,
            events.PaymentRecorded(order_id=order.pk, amount=str(amount), payment_status=target),
            actor=actor,
            currency=order.currency,
            reference=cleaned_reference,
        )
    return order


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
