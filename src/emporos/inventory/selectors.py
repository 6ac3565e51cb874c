"""Reads of stock for screens and endpoints."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from emporos.catalog.models import Variant
from emporos.core.errors import NotFound
from emporos.inventory.models import Location, StockLevel, StockMovement


@dataclass(frozen=True)
class LocationStock:
    location: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class SkuStock:
    sku: str
    name: str
    locations: list[LocationStock]

    @property
    def on_hand(self) -> int:
        return sum(level.on_hand for level in self.locations)

    @property
    def reserved(self) -> int:
        return sum(level.reserved for level in self.locations)

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


def variant_by_sku(sku: str) -> Variant:
    variant = Variant.objects.select_related("product").filter(sku=sku).first()
    if variant is None:
        raise NotFound(f"There is no product variant with SKU {sku}.")
    return variant


def stock_for_sku(sku: str) -> SkuStock:
    variant = variant_by_sku(sku)
    levels = StockLevel.objects.filter(variant=variant).select_related("location").order_by("location__priority")
    return SkuStock(
        sku=variant.sku,
        name=variant.name,
        locations=[LocationStock(level.location.code, level.on_hand, level.reserved) for level in levels],
    )


def ledger_for_sku(sku: str) -> QuerySet[StockMovement]:
    """Movements of one SKU, newest first."""
    variant = variant_by_sku(sku)
    return StockMovement.objects.filter(variant=variant).select_related("location").order_by("-created_at", "-id")


_location_codes: dict[int, str] = {}


def location_code(location_id: int | None) -> str | None:
    """The code of a location, from a process-wide cache (codes never change once given)."""
    if location_id is None:
        return None
    if location_id not in _location_codes:
        _location_codes.update(Location.objects.values_list("id", "code"))
    return _location_codes.get(location_id)
