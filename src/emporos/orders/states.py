"""Order axes: order status, payment status and fulfillment status, each with its own rules.

Order and payment statuses are lifecycle states with transition tables; the fulfillment status
is a progress state derived from facts by `derive_fulfillment_status`.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class OrderStatus(StrEnum):
    PLACED = "placed"
    CONFIRMED = "confirmed"
    PROCESSING = "processing"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ON_HOLD = "on_hold"


ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PLACED: frozenset({OrderStatus.CONFIRMED, OrderStatus.ON_HOLD, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMED: frozenset({OrderStatus.PROCESSING, OrderStatus.ON_HOLD, OrderStatus.CANCELLED}),
    OrderStatus.PROCESSING: frozenset({OrderStatus.COMPLETED, OrderStatus.ON_HOLD, OrderStatus.CANCELLED}),
    # Release returns a held order to the status it was held from.
    OrderStatus.ON_HOLD: frozenset(
        {OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.PROCESSING, OrderStatus.CANCELLED}
    ),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

# Orders that wait for someone at the shop to act: the queue.
WAITING_STATUSES = frozenset({OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.PROCESSING})


class PaymentStatus(StrEnum):
    PENDING = "pending"
    AUTHORIZED = "authorized"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"


PAYMENT_TRANSITIONS: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    PaymentStatus.PENDING: frozenset({PaymentStatus.AUTHORIZED, PaymentStatus.PAID, PaymentStatus.VOIDED}),
    PaymentStatus.AUTHORIZED: frozenset({PaymentStatus.PAID, PaymentStatus.VOIDED}),
    PaymentStatus.PAID: frozenset({PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}),
    PaymentStatus.PARTIALLY_REFUNDED: frozenset({PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED}),
    PaymentStatus.REFUNDED: frozenset(),
    PaymentStatus.VOIDED: frozenset(),
}

# Money received may be given back while the payment is in one of these.
REFUNDABLE_PAYMENT_STATUSES = frozenset({PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED})


def derive_refund_status(*, amount_paid: Decimal, amount_refunded: Decimal) -> PaymentStatus:
    """The payment status of a paid order from its amounts: every cent back is refunded, some is partly."""
    if amount_refunded <= 0:
        return PaymentStatus.PAID
    if amount_refunded >= amount_paid:
        return PaymentStatus.REFUNDED
    return PaymentStatus.PARTIALLY_REFUNDED


# What a storefront may say about a payment when it sends the order.
INITIAL_PAYMENT_STATUSES = frozenset({PaymentStatus.PENDING, PaymentStatus.AUTHORIZED, PaymentStatus.PAID})


class PaymentMethod(StrEnum):
    CARD = "card"
    CASH_ON_DELIVERY = "cash_on_delivery"
    BANK_TRANSFER = "bank_transfer"
    PAYPAL = "paypal"
    BLIK = "blik"
    BIT = "bit"
    GIFT_CARD = "gift_card"
    OTHER = "other"


# Payment providers an order may name as having taken the money; a refund of such an order goes
# back through the provider's adapter (`orders.payment_providers`). Others are refunded by hand.
PAYMENT_PROVIDERS = ("stripe",)


class FulfillmentStatus(StrEnum):
    UNFULFILLED = "unfulfilled"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    PARTIALLY_DELIVERED = "partially_delivered"
    DELIVERED = "delivered"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"


def derive_fulfillment_status(
    *, ordered: int, shipped: int, delivered: int = 0, returned: int = 0
) -> FulfillmentStatus:
    """The fulfillment progress of an order from unit counts (digital units count as shipped)."""
    if ordered <= 0 or shipped <= 0:
        return FulfillmentStatus.UNFULFILLED
    if returned >= ordered:
        return FulfillmentStatus.RETURNED
    if returned > 0:
        return FulfillmentStatus.PARTIALLY_RETURNED
    if delivered >= ordered:
        return FulfillmentStatus.DELIVERED
    if delivered > 0:
        return FulfillmentStatus.PARTIALLY_DELIVERED
    if shipped < ordered:
        return FulfillmentStatus.PARTIALLY_SHIPPED
    return FulfillmentStatus.SHIPPED


def is_ready_to_ship(*, payment_status: str, payment_method: str) -> bool:
    """Paid (or authorised) orders ship; cash on delivery ships before it is paid."""
    return payment_status in {PaymentStatus.PAID, PaymentStatus.AUTHORIZED} or (
        payment_method == PaymentMethod.CASH_ON_DELIVERY and payment_status == PaymentStatus.PENDING
    )


def queue_rank(*, is_overdue: bool, is_express: bool, ready_to_ship: bool) -> int:
    """Lower comes first: overdue, then express, then paid (or cash on delivery), then the rest.

    Within a rank the queue is oldest first.
    """
    return (0 if is_overdue else 4) + (0 if is_express else 2) + (0 if ready_to_ship else 1)


class OrderAction(StrEnum):
    """What staff can do with an order; the values are the desk's URL slugs."""

    NOTE = "note"
    VERIFY = "verify"
    CONFIRM = "confirm"
    START_PROCESSING = "start-processing"
    COMPLETE = "complete"
    HOLD = "hold"
    RELEASE = "release"
    CANCEL = "cancel"
    RECORD_PAYMENT = "record-payment"
    REFUND = "refund"


def allowed_actions(
    *, status: str, outstanding: Decimal, payment_status: str = "", refundable: Decimal = Decimal(0)
) -> frozenset[OrderAction]:
    """The actions an order in `status`, owing `outstanding`, allows (from the transition table);
    a refund while `refundable` money of a paid order is left to give back."""
    current = OrderStatus(status)
    moves = ORDER_TRANSITIONS[current]
    held = current == OrderStatus.ON_HOLD
    allowed = {OrderAction.NOTE}
    if moves:  # neither completed nor cancelled
        allowed.add(OrderAction.VERIFY)
    # A held order goes back to placed, confirmed or processing only by release.
    if not held and OrderStatus.CONFIRMED in moves:
        allowed.add(OrderAction.CONFIRM)
    if not held and OrderStatus.PROCESSING in moves:
        allowed.add(OrderAction.START_PROCESSING)
    if OrderStatus.COMPLETED in moves:
        allowed.add(OrderAction.COMPLETE)
    if OrderStatus.ON_HOLD in moves:
        allowed.add(OrderAction.HOLD)
    if held:
        allowed.add(OrderAction.RELEASE)
    if OrderStatus.CANCELLED in moves:
        allowed.add(OrderAction.CANCEL)
    if current != OrderStatus.CANCELLED and outstanding > 0:
        allowed.add(OrderAction.RECORD_PAYMENT)
    if payment_status in REFUNDABLE_PAYMENT_STATUSES and refundable > 0:
        allowed.add(OrderAction.REFUND)
    return frozenset(allowed)


# Money the shop collects itself (the courier's cash, a bank transfer): staff record it when it arrives.
COLLECTED_BY_THE_SHOP = frozenset({PaymentMethod.CASH_ON_DELIVERY, PaymentMethod.BANK_TRANSFER})


# Statuses in the order work moves through them: sorting by status puts new orders first.
STATUS_STEPS = (
    OrderStatus.PLACED,
    OrderStatus.CONFIRMED,
    OrderStatus.PROCESSING,
    OrderStatus.ON_HOLD,
    OrderStatus.COMPLETED,
    OrderStatus.CANCELLED,
)
