"""Events the customers domain publishes."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class CouponIssued(DomainEvent):
    """A single-use coupon was issued (to a customer, or to anyone when customer_id is None)."""

    topic = "customers.coupon_issued"
    coupon_id: int
    customer_id: int | None


@dataclass(frozen=True)
class MembershipActivated(DomainEvent):
    """A customer's membership became active (bought in an order)."""

    topic = "customers.membership_activated"
    membership_id: int
    customer_id: int
    sku: str


@dataclass(frozen=True)
class GiftCardIssued(DomainEvent):
    """A gift card was issued (store credit for a return, or sold); customer_id None: to anyone."""

    topic = "customers.gift_card_issued"
    gift_card_id: int
    customer_id: int | None
