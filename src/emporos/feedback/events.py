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


@dataclass(frozen=True)
class ReviewReceived(DomainEvent):
    """A review on one of the shop's platforms was read for the first time; `is_low` for 1 and 2
    stars. `has_reply`: the platform already shows a reply (written there, not at the desk)."""

    topic = "feedback.review_received"
    review_id: int
    platform: str
    stars: int
    is_low: bool
    has_reply: bool


@dataclass(frozen=True)
class ReviewEdited(DomainEvent):
    """The author changed a review already read (its text or its stars); `stars_before` is what it had."""

    topic = "feedback.review_edited"
    review_id: int
    platform: str
    stars: int
    stars_before: int


@dataclass(frozen=True)
class ReviewReplyWritten(DomainEvent):
    """Staff wrote (or rewrote) the shop's public reply; its handler posts it to the platform.
    `reply_version` names this reply: a delivery for an older one does nothing."""

    topic = "feedback.review_reply_written"
    review_id: int
    platform: str
    reply_version: int


@dataclass(frozen=True)
class ReviewReplyPosted(DomainEvent):
    """The platform shows the shop's reply now."""

    topic = "feedback.review_reply_posted"
    review_id: int
    platform: str
    reply_version: int


@dataclass(frozen=True)
class ReviewReplyRefused(DomainEvent):
    """The platform refused the reply for good (the review was removed, the text is refused); staff
    see its words beside the review and may write again."""

    topic = "feedback.review_reply_refused"
    review_id: int
    platform: str
    reply_version: int
