from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class ProductsUpserted(DomainEvent):
    topic = "catalog.products_upserted"
    product_ids: list[int]
