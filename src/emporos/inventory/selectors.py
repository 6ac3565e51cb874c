"""Reads of stock for screens and endpoints."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from emporos.catalog.models import STOCKED_MODES, Variant
from emporos.core.errors import NotFound
from emporos.core.text import text_problem
from emporos.inventory.models import Location, StockLevel, StockMovement


@dataclass(frozen=True)
class LocationStock:
    """One SKU at one location; zeros when the location has no level row for it yet."""

    location: Location
    on_hand: int
    reserved: int
    bin: str = ""  # where on the shelves, when the shop says

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
    # Text no SKU can hold (PostgreSQL refuses a NUL even in a WHERE clause) names no variant.
    variant = Variant.objects.select_related("product").filter(sku=sku).first() if text_problem(sku) is None else None
    if variant is None:
        raise NotFound(f"There is no product variant with SKU {sku}.")
    return variant


def stock_for_sku(sku: str) -> SkuStock:
    variant = variant_by_sku(sku)
    levels = StockLevel.objects.filter(variant=variant).select_related("location").order_by("location__priority")
    return SkuStock(
        sku=variant.sku,
        name=variant.name,
        locations=[LocationStock(level.location, level.on_hand, level.reserved) for level in levels],
    )


def ledger_for_sku(sku: str) -> QuerySet[StockMovement]:
    """Movements of one SKU, newest first."""
    variant = variant_by_sku(sku)
    return StockMovement.objects.filter(variant=variant).select_related("location").order_by("-created_at", "-id")


def location_codes(location_ids: set[int]) -> dict[int, str]:
    """The codes of these locations, by id; one query, none for an empty set. Codes can be edited
    (in the admin), so they are read each time rather than kept in the process."""
    if not location_ids:
        return {}
    return dict(Location.objects.filter(id__in=location_ids).values_list("id", "code"))


# --- The staff pages: stock per SKU and location, and a SKU's ledger a page at a time ---


@dataclass(frozen=True)
class SkuOverview:
    variant: Variant
    rows: list[LocationStock]
    total_available: int

    @property
    def is_low(self) -> bool:
        """At or below the SKU's threshold, counting every location."""
        return self.total_available <= self.variant.low_stock_threshold


@dataclass(frozen=True)
class StockPage:
    skus: list[SkuOverview]
    next_after: str | None  # the last SKU of this page, when there is a next one
    total: int  # SKUs matching the filters, counted up to COUNT_LIMIT
    is_total_capped: bool  # more than COUNT_LIMIT match: say "10,000+"


# A count past this many would cost more than it tells; the page says "10,000+".
COUNT_LIMIT = 10_000


@dataclass(frozen=True)
class StockFilters:
    search: str = ""
    only_low: bool = False
    location: str = ""


def all_locations() -> list[Location]:
    """Every location, in reservation order (lowest priority first)."""
    return list(Location.objects.order_by("priority", "code"))


def stock_page(
    filters: StockFilters, *, locations: list[Location], after: str | None = None, limit: int = 100
) -> StockPage:
    """Stocked SKUs (or SKUs with stock rows) in SKU order, `limit` at a time after the SKU `after`,
    each with the locations that hold a level of it (or only the filtered location).

    Three queries whatever the page size: how many match (up to COUNT_LIMIT), the variants with
    their total available, then their levels.
    """
    variants = _listed_variants(filters)
    total = variants.values("pk")[: COUNT_LIMIT + 1].count()
    if after:
        variants = variants.filter(sku__gt=after)
    page = list(variants.order_by("sku")[: limit + 1])
    next_after = page[limit - 1].sku if len(page) > limit else None
    page = page[:limit]
    levels = _levels_of([variant.pk for variant in page])
    shown = [loc for loc in locations if loc.code == filters.location] if filters.location else None
    skus = [_overview(variant, levels, locations, shown) for variant in page]
    return StockPage(
        skus=skus, next_after=next_after, total=min(total, COUNT_LIMIT), is_total_capped=total > COUNT_LIMIT
    )


def sku_overview(variant: Variant, *, locations: list[Location]) -> SkuOverview:
    return _overview(variant, _levels_of([variant.pk]), locations, None)


def _listed_variants(filters: StockFilters) -> QuerySet[Variant]:
    has_levels = Exists(StockLevel.objects.filter(variant=OuterRef("pk")))
    available = (
        StockLevel.objects.filter(variant=OuterRef("pk"))
        .values("variant")
        .annotate(total=Sum(F("on_hand") - F("reserved")))
        .values("total")
    )
    variants = (
        Variant.objects.select_related("product")
        .filter(Q(product__fulfillment_mode__in=list(STOCKED_MODES)) | Q(has_levels))
        .annotate(total_available=Coalesce(Subquery(available), 0))
    )
    term = filters.search.strip()
    if term:
        variants = variants.filter(Q(sku__icontains=term) | Q(name__icontains=term) | Q(product__name__icontains=term))
    if filters.only_low:
        variants = variants.filter(total_available__lte=F("low_stock_threshold"))
    return variants


def _levels_of(variant_ids: list[int]) -> dict[tuple[int, int], StockLevel]:
    levels = StockLevel.objects.filter(variant_id__in=variant_ids) if variant_ids else StockLevel.objects.none()
    return {(level.variant_id, level.location_id): level for level in levels}


def _overview(
    variant: Variant,
    levels: dict[tuple[int, int], StockLevel],
    locations: list[Location],
    shown: list[Location] | None,
) -> SkuOverview:
    """Rows for the `shown` locations, or for every location that holds a level of the SKU (a
    location that never stocked it has nothing to say about it)."""
    rows = []
    for location in locations:
        level = levels.get((variant.pk, location.pk))
        wanted = location in shown if shown is not None else level is not None
        if wanted:
            rows.append(
                LocationStock(location, level.on_hand, level.reserved, level.bin)
                if level
                else LocationStock(location, 0, 0)
            )
    total = sum(level.available for (variant_id, _), level in levels.items() if variant_id == variant.pk)
    return SkuOverview(variant=variant, rows=rows, total_available=total)


@dataclass(frozen=True)
class LedgerPage:
    movements: list[StockMovement]
    next_before: int | None  # the id of the last movement shown, when older ones follow


def on_hand_after(variant: Variant, movements: list[StockMovement], *, on_hand: Mapping[int, int]) -> list[int]:
    """What was on hand at each movement's location just after it, for `movements` (newest first,
    one page of the ledger), walking back from `on_hand` (now, by location id).

    One query whatever the page or its depth: the changes newer than the page, per location, read
    through the (variant, created_at) index. Right however many pages back, and for stock that was
    on hand before the ledger began.
    """
    if not movements:
        return []
    newest = movements[0]
    newer = (
        StockMovement.objects.filter(variant=variant)
        .filter(Q(created_at__gt=newest.created_at) | Q(created_at=newest.created_at, pk__gt=newest.pk))
        .values("location_id")
        .annotate(change=Sum("on_hand_delta"))
        .values_list("location_id", "change")
    )
    balance = dict(on_hand)
    for location_id, change in newer:
        balance[location_id] = balance.get(location_id, 0) - (change or 0)
    after = []
    for movement in movements:
        current = balance.get(movement.location_id, 0)
        after.append(current)
        balance[movement.location_id] = current - movement.on_hand_delta
    return after


def ledger_page(variant: Variant, *, before: int | None = None, limit: int = 50) -> LedgerPage:
    """Movements of one SKU, newest first, `limit` at a time older than the movement `before`.

    One query: the cursor's moment comes from a subquery, so the variant's (variant, created_at)
    index narrows the scan however deep the page.
    """
    movements = StockMovement.objects.filter(variant=variant).select_related("location")
    if before is not None:
        moment = StockMovement.objects.filter(variant=variant, pk=before).values("created_at")
        movements = movements.filter(created_at__lte=Subquery(moment)).filter(
            Q(created_at__lt=Subquery(moment)) | Q(pk__lt=before)
        )
    rows = list(movements.order_by("-created_at", "-id")[: limit + 1])
    next_before = rows[limit - 1].pk if len(rows) > limit else None
    return LedgerPage(movements=rows[:limit], next_before=next_before)


@dataclass(frozen=True)
class LowStock:
    sku: str
    name: str
    available: int
    threshold: int


@dataclass(frozen=True)
class LowStockList:
    skus: list[LowStock]  # the emptiest first
    more: bool  # more SKUs are low than listed


def low_stock(*, limit: int = 10) -> LowStockList:
    """Stocked SKUs at or below their threshold (every location counted), the emptiest first: one query."""
    variants = _listed_variants(StockFilters(only_low=True)).order_by("total_available", "sku")
    rows = list(
        variants.values_list("sku", "name", "total_available", "low_stock_threshold")[: limit + 1]  # type: ignore[misc]
    )
    skus = [
        LowStock(sku=sku, name=name, available=available, threshold=threshold)
        for sku, name, available, threshold in rows
    ]
    return LowStockList(skus=skus[:limit], more=len(skus) > limit)
