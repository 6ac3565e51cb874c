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
