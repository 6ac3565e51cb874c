"""Events the shipping domain publishes."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class DeliveryPromised(DomainEvent):
    """An order was promised delivery between two days (ISO dates), by its shipping method."""

    topic = "shipping.delivery_promised"
    order_id: int
    method_code: str
    earliest: str
    latest: str
