from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class StockAdjusted(DomainEvent):
    topic = "inventory.stock_adjusted"
    variant_id: int
    location_id: int
    on_hand_delta: int
    reason: str


@dataclass(frozen=True)
class LocationAdded(DomainEvent):
    """A stock location was created; who did it, by kind and id (never a name)."""

    topic = "inventory.location_added"
    location_id: int
    actor_kind: str
    actor_id: str
