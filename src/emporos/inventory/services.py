"""Writes of stock: reservations for orders, releases, and adjustments, each with its ledger rows.

A reservation is one conditional UPDATE guarded by the check constraint `reserved <= on_hand`,
so it is correct on SQLite and PostgreSQL without explicit locks. Callers reserve lines in SKU
order so two orders never wait on each other's rows in opposite orders.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Sum

from emporos.catalog.models import Variant
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.inventory.errors import InsufficientStock, Shortage
from emporos.inventory.events import StockAdjusted
from emporos.inventory.models import ADJUSTMENT_REASONS, Location, MovementReason, StockLevel, StockMovement
from emporos.outbox.services import emit

_RESERVE_SQL = """
UPDATE inventory_stocklevel SET reserved = reserved + %s
WHERE id = (
    SELECT level.id FROM inventory_stocklevel level
    JOIN inventory_location location ON location.id = level.location_id
    WHERE level.variant_id = %s AND location.is_active AND level.on_hand - level.reserved >= %s
    ORDER BY location.priority, level.id LIMIT 1
) AND on_hand - reserved >= %s
RETURNING location_id
"""

# A conditional update can miss when a concurrent order took the chosen level first while
# another level still has stock; a fresh attempt sees the committed state.
_RESERVE_ATTEMPTS = 10


@dataclass(frozen=True)
class ReservationRequest:
    variant_id: int
    sku: str
    quantity: int
    may_wait: bool  # backorder or pre-order: accept without stock instead of refusing


@dataclass(frozen=True)
class Reservation:
    variant_id: int
    quantity: int
    location_id: int | None  # None: nothing reserved, the line waits for stock


def reserve(*, requests: list[ReservationRequest], reference: str, actor: Actor) -> list[Reservation]:
    """Reserve stock for each request, in SKU order, inside the caller's transaction.

    Raises InsufficientStock for the first request that can neither be reserved nor wait; the
    caller's transaction then rolls back every reservation made so far.
    """
    results: dict[int, Reservation] = {}
    for index in sorted(range(len(requests)), key=lambda i: (requests[i].sku, i)):
        request = requests[index]
        location_id = _reserve_one(request)
        results[index] = Reservation(request.variant_id, request.quantity, location_id)
    reservations = [results[index] for index in range(len(requests))]
    _record(
        [(r.variant_id, r.location_id, 0, r.quantity) for r in reservations if r.location_id is not None],
        reason=MovementReason.RESERVED,
        reference=reference,
        actor=actor,
    )
    return reservations


def _reserve_one(request: ReservationRequest) -> int | None:
    with connection.cursor() as cursor:
        for _ in range(_RESERVE_ATTEMPTS):
            cursor.execute(_RESERVE_SQL, [request.quantity, request.variant_id, request.quantity, request.quantity])
            row = cursor.fetchone()
            if row is not None:
                return int(row[0])
            available = _available(request.variant_id)
            if available < request.quantity:
                if request.may_wait:
                    return None
                raise InsufficientStock(Shortage(request.sku, request.quantity, max(available, 0)))
    if request.may_wait:
        return None
    raise InsufficientStock(Shortage(request.sku, request.quantity, _available(request.variant_id)))


def _available(variant_id: int) -> int:
    """The largest quantity one active location could reserve now (one line reserves in one place)."""
    levels = StockLevel.objects.filter(variant_id=variant_id, location__is_active=True)
    best = levels.annotate(free=F("on_hand") - F("reserved")).order_by("-free").values_list("free", flat=True).first()
    return int(best or 0)


def release(*, reservations: list[Reservation], reference: str, actor: Actor) -> None:
    """Give reserved units back (cancelled order, changed line), inside the caller's transaction."""
    _settle(reservations, reference=reference, actor=actor, shipped=False)


def ship(*, reservations: list[Reservation], reference: str, actor: Actor) -> None:
    """Reserved units leave the shelves: both on_hand and reserved go down."""
    _settle(reservations, reference=reference, actor=actor, shipped=True)


def _settle(reservations: list[Reservation], *, reference: str, actor: Actor, shipped: bool) -> None:
    held = sorted((r.variant_id, r.location_id, r.quantity) for r in reservations if r.location_id is not None)
    for variant_id, location_id, quantity in held:
        changes = {"reserved": F("reserved") - quantity}
        if shipped:
            changes["on_hand"] = F("on_hand") - quantity
        changed = StockLevel.objects.filter(
            variant_id=variant_id, location_id=location_id, reserved__gte=quantity
        ).update(**changes)
        if changed != 1:
            raise RuntimeError(f"Reservation of variant {variant_id} for {reference} is not on record.")
    _record(
        [
            (variant_id, location_id, -quantity if shipped else 0, -quantity)
            for variant_id, location_id, quantity in held
        ],
        reason=MovementReason.SHIPPED if shipped else MovementReason.RELEASED,
        reference=reference,
        actor=actor,
    )


def _record(
    rows: list[tuple[int, int, int, int]], *, reason: str, reference: str, actor: Actor, note: str = ""
) -> None:
    if not rows:
        return
    now = clock.now()
    StockMovement.objects.bulk_create(
        [
            StockMovement(
                variant_id=variant_id,
                location_id=location_id,
                on_hand_delta=on_hand_delta,
                reserved_delta=reserved_delta,
                reason=reason,
                reference=reference,
                note=note,
                actor=str(actor),
                created_at=now,
            )
            for variant_id, location_id, on_hand_delta, reserved_delta in rows
        ]
    )


@dataclass(frozen=True)
class AdjustmentDraft:
    """Set the counted `on_hand` (absolute) or change it by `delta`; exactly one of the two."""

    sku: str
    location: str
    reason: str
    on_hand: int | None = None
    delta: int | None = None
    reference: str = ""
    note: str = ""


@dataclass(frozen=True)
class AdjustmentResult:
    sku: str
    location: str
    on_hand: int
    reserved: int
    delta: int


def adjust_stock(*, drafts: list[AdjustmentDraft], actor: Actor) -> list[AdjustmentResult]:
    """Apply stock adjustments all or nothing; each is a ledger row and an event."""
    variants, locations = _check_adjustments(drafts)
    results = []
    with transaction.atomic():
        for index, draft in enumerate(drafts):
            variant, location = variants[draft.sku], locations[draft.location]
            StockLevel.objects.bulk_create([StockLevel(variant=variant, location=location)], ignore_conflicts=True)
            level = StockLevel.objects.select_for_update().get(variant=variant, location=location)
            delta = draft.delta if draft.delta is not None else (draft.on_hand or 0) - level.on_hand
            if level.on_hand + delta < level.reserved:
                errors = ErrorCollector()
                field = "on_hand" if draft.on_hand is not None else "delta"
                errors.add(
                    f"adjustments.{index}.{field}",
                    "below_reserved",
                    f"SKU {draft.sku} at {draft.location} would have {level.on_hand + delta} on hand, but "
                    f"{level.reserved} are reserved for orders; count again or cancel those orders first.",
                )
                errors.raise_if_any()
            StockLevel.objects.filter(pk=level.pk).update(on_hand=F("on_hand") + delta)
            _record(
                [(variant.pk, location.pk, delta, 0)],
                reason=draft.reason,
                reference=draft.reference,
                actor=actor,
                note=draft.note,
            )
            emit(
                StockAdjusted(variant_id=variant.pk, location_id=location.pk, on_hand_delta=delta, reason=draft.reason)
            )
            results.append(AdjustmentResult(draft.sku, draft.location, level.on_hand + delta, level.reserved, delta))
    return results


def _check_adjustments(drafts: list[AdjustmentDraft]) -> tuple[dict[str, Variant], dict[str, Location]]:
    errors = ErrorCollector()
    variants = {v.sku: v for v in Variant.objects.filter(sku__in=[d.sku for d in drafts])}
    locations = {loc.code: loc for loc in Location.objects.filter(code__in=[d.location for d in drafts])}
    if not drafts:
        errors.add("adjustments", "required", "Send at least one adjustment.")
    for index, draft in enumerate(drafts):
        where = f"adjustments.{index}"
        if draft.sku not in variants:
            errors.add(f"{where}.sku", "unknown_sku", f"There is no product variant with SKU {draft.sku}.")
        if draft.location not in locations:
            known = ", ".join(sorted(Location.objects.values_list("code", flat=True)))
            errors.add(
                f"{where}.location", "unknown_location", f"Unknown location {draft.location}; use one of {known}."
            )
        if (draft.on_hand is None) == (draft.delta is None):
            errors.add(where, "on_hand_or_delta", "Give either on_hand (the counted number) or delta (the change).")
        if draft.on_hand is not None and draft.on_hand < 0:
            errors.add(f"{where}.on_hand", "negative", "A counted quantity cannot be below 0.")
        if draft.delta == 0:
            errors.add(f"{where}.delta", "zero", "A delta of 0 changes nothing; give the change in units.")
        if draft.reason not in ADJUSTMENT_REASONS:
            allowed = ", ".join(sorted(ADJUSTMENT_REASONS))
            errors.add(f"{where}.reason", "invalid_reason", f"Unknown reason {draft.reason}; use one of {allowed}.")
    errors.raise_if_any()
    return variants, locations


def ledger_totals(*, variant_id: int) -> dict[int, tuple[int, int]]:
    """Per location: (sum of on_hand deltas, sum of reserved deltas). Used to audit the levels."""
    rows = (
        StockMovement.objects.filter(variant_id=variant_id)
        .values("location_id")
        .annotate(on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta"))
    )
    return {row["location_id"]: (row["on_hand"], row["reserved"]) for row in rows}
