"""Events the orders domain publishes. Payloads carry ids and small facts, never personal data."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class OrderPlaced(DomainEvent):
    topic = "orders.order_placed"
    order_id: int
    number: str
    channel: str
    has_waiting_lines: bool


@dataclass(frozen=True)
class OrderConfirmed(DomainEvent):
    topic = "orders.order_confirmed"
    order_id: int


@dataclass(frozen=True)
class OrderVerified(DomainEvent):
    topic = "orders.order_verified"
    order_id: int
    outcome: str


@dataclass(frozen=True)
class OrderHeld(DomainEvent):
    topic = "orders.order_held"
    order_id: int


@dataclass(frozen=True)
class OrderReleased(DomainEvent):
    topic = "orders.order_released"
    order_id: int
    status: str


@dataclass(frozen=True)
class OrderCancelled(DomainEvent):
    topic = "orders.order_cancelled"
    order_id: int
    payment_status: str


@dataclass(frozen=True)
class PaymentRecorded(DomainEvent):
    topic = "orders.payment_recorded"
    order_id: int
    amount: str
    payment_status: str


@dataclass(frozen=True)
class NoteAdded(DomainEvent):
    topic = "orders.note_added"
    order_id: int


@dataclass(frozen=True)
class OrderOverdue(DomainEvent):
    topic = "orders.order_overdue"
    order_id: int


@dataclass(frozen=True)
class OrderProcessingStarted(DomainEvent):
    topic = "orders.order_processing_started"
    order_id: int


@dataclass(frozen=True)
class OrderCompleted(DomainEvent):
    topic = "orders.order_completed"
    order_id: int


@dataclass(frozen=True)
class LineAllocated(DomainEvent):
    """Stock arrived for a waiting line (first come, first served) and is now reserved for it."""

    topic = "orders.line_allocated"
    order_id: int
    line_id: int
    sku: str
    quantity: int


@dataclass(frozen=True)
class PreorderReleased(DomainEvent):
    """A pre-order line's release date came: it ships (or waits for stock, when counted)."""

    topic = "orders.preorder_released"
    order_id: int
    line_id: int
    sku: str
    stock_state: str


@dataclass(frozen=True)
class LineMade(DomainEvent):
    """Staff marked a made-to-order line as made: it is ready to ship."""

    topic = "orders.line_made"
    order_id: int
    line_id: int
    sku: str


@dataclass(frozen=True)
class ExpectedDateChanged(DomainEvent):
    """A waiting line's expected date changed (a customer-facing fact)."""

    topic = "orders.expected_date_changed"
    order_id: int
    line_id: int
    sku: str
    expected_on: str | None


@dataclass(frozen=True)
class RefundRecorded(DomainEvent):
    """Money given back to the customer; the payment status follows from the amounts."""

    topic = "orders.refund_recorded"
    order_id: int
    refund_id: int
    amount: str
    payment_status: str
    provider: str = "manual"


@dataclass(frozen=True)
class RefundSettled(DomainEvent):
    """The payment provider paid a refund back (`provider_status` succeeded)."""

    topic = "orders.refund_settled"
    order_id: int
    refund_id: int
    provider: str


@dataclass(frozen=True)
class RefundFailed(DomainEvent):
    """The payment provider refused a refund: its amount counts as not given back again, and a
    person must give it back another way."""

    topic = "orders.refund_failed"
    order_id: int
    refund_id: int
    amount: str
    payment_status: str
    provider: str
