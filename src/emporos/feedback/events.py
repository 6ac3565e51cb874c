"""What the feedback domain publishes (payloads: ids and small facts, never what a customer wrote)."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class SatisfactionCheckScheduled(DomainEvent):
    """The order's last parcel was delivered: the customer will be asked how it went at `due_at`
    (ISO 8601; delivery + EMPOROS_SATISFACTION_DELAY_HOURS)."""

    topic = "feedback.satisfaction_check_scheduled"
    check_id: int
    order_id: int
    due_at: str


@dataclass(frozen=True)
class SatisfactionCheckDue(DomainEvent):
    """Emitted with the check and delivered at its due time: its handler queues the question."""

    topic = "feedback.satisfaction_check_due"
    check_id: int
    order_id: int


@dataclass(frozen=True)
class SatisfactionAnswered(DomainEvent):
    """The customer said how it went, 1 (very bad) to 5 (very good); `is_bad` for 1 and 2.
    `is_change`: an earlier answer was replaced (allowed within 7 days of the first)."""

    topic = "feedback.satisfaction_answered"
    check_id: int
    order_id: int
    customer_id: int
    score: int
    is_bad: bool
    has_comment: bool
    is_change: bool = False
