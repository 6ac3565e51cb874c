"""What the returns domain publishes (payloads: ids and small facts, never personal data)."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class ReturnRequested(DomainEvent):
    """A customer asked to send lines back (the portal, the API or staff for them); approved by
    the rules. `withdrawal_statement`: made with the EU withdrawal button, acknowledged by e-mail."""

    topic = "returns.return_requested"
    return_id: int
    order_id: int
    kind: str
    resolution: str
    units: int
    withdrawal_statement: bool = False


@dataclass(frozen=True)
class ReturnLabelCreated(DomainEvent):
    """The return's prepaid label exists (the carrier's, or Emporos's own for the manual carrier)."""

    topic = "returns.label_created"
    return_id: int
    order_id: int
    carrier: str


@dataclass(frozen=True)
class ReturnSent(DomainEvent):
    """The carrier scanned the return parcel for the first time: the customer's proof of sending."""

    topic = "returns.return_sent"
    return_id: int
    order_id: int
    carrier: str


@dataclass(frozen=True)
class ReturnReceived(DomainEvent):
    """The parcel is back and inspected: units restocked or written off, the refund issued or waiting."""

    topic = "returns.return_received"
    return_id: int
    order_id: int
    units: int
    restocked: int
    refund_id: int | None = None


@dataclass(frozen=True)
class ReturnRefunded(DomainEvent):
    """The return's money was given back (a refund issued for it, by rule or by a person)."""

    topic = "returns.return_refunded"
    return_id: int
    order_id: int
    refund_id: int
    amount: str


@dataclass(frozen=True)
class ReturnRejected(DomainEvent):
    """Staff refused the return (what came back is not what was approved, or the claim failed)."""

    topic = "returns.return_rejected"
    return_id: int
    order_id: int


@dataclass(frozen=True)
class ReturnCancelled(DomainEvent):
    """The return was called off before the parcel came back (the customer changed their mind)."""

    topic = "returns.return_cancelled"
    return_id: int
    order_id: int


@dataclass(frozen=True)
class ReturnPolicyChanged(DomainEvent):
    """The owner changed the return policy; `changed` names the settings that moved."""

    topic = "returns.policy_changed"
    changed: list[str]


@dataclass(frozen=True)
class ExchangePlaced(DomainEvent):
    """The replacement order of an exchange was placed, its stock reserved; `held`: it waits for
    the returned goods (the customer is not trusted to receive it first)."""

    topic = "returns.exchange_placed"
    return_id: int
    order_id: int
    replacement_order_id: int
    held: bool


@dataclass(frozen=True)
class StoreCreditIssued(DomainEvent):
    """The return's value was given as store credit: a gift card for the customer."""

    topic = "returns.store_credit_issued"
    return_id: int
    order_id: int
    gift_card_id: int
    amount: str
