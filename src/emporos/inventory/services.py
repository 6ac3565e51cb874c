"""Writes of stock: reservations for orders, releases, and adjustments, each with its ledger rows.

A reservation is one conditional UPDATE guarded by the check constraint `reserved <= on_hand`,
so it is correct on SQLite and PostgreSQL without explicit locks. Callers reserve lines in SKU
order so two orders never wait on each other's rows in opposite orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Sum

from emporos.catalog.models import Variant
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.core.text import check_code, check_text, text_problem
from emporos.inventory.errors import InsufficientStock, LocationCodeTaken, ReservationNotOnRecord, Shortage
from emporos.inventory.events import LocationAdded, StockAdjusted
from emporos.inventory.models import (
    ADJUSTMENT_REASONS,
    MAX_UNITS,
    Location,
    MovementReason,
    StockLevel,
    StockMovement,
)
from emporos.outbox.services import emit

_RESERVE_SQL = """
UPDATE inventory_stocklevel SET reserved = reserved + %s
WHERE id = (
    SELECT level.id FROM inventory_stocklevel level
    JOIN inventory_location location ON location.id = level.location_id
    WHERE level.variant_id = %s AND location.is_active AND level.on_hand - level.reserved >= %s
    ORDER BY location.priority, level.id LIMIT 1
) AND on_hand - reserved >= %s
RETURNING location_id, (SELECT code FROM inventory_location WHERE id = inventory_stocklevel.location_id)
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
    location_code: str | None = None  # as the reserving statement read it; None when not reserved here


def reserve(*, requests: list[ReservationRequest], reference: str, actor: Actor) -> list[Reservation]:
    """Reserve stock for each request, in SKU order, inside the caller's transaction.

    Raises InsufficientStock for the first request that can neither be reserved nor wait; the
    caller's transaction then rolls back every reservation made so far.
    """
    reservations = reserve_levels(requests=requests)
    rows = reservation_movements(reservations=reservations, reference=reference, actor=actor, at=clock.now())
    if rows:
        StockMovement.objects.bulk_create([StockMovement(**row) for row in rows])
    return reservations


def reserve_levels(*, requests: list[ReservationRequest]) -> list[Reservation]:
    """Reserve as `reserve` does, in SKU order, without the ledger rows: the caller writes
    `reservation_movements` in its own statement, in the same transaction."""
    results: dict[int, Reservation] = {}
    for index in sorted(range(len(requests)), key=lambda i: (requests[i].sku, i)):
        request = requests[index]
        location_id, code = _reserve_one(request) or (None, None)
        results[index] = Reservation(request.variant_id, request.quantity, location_id, code)
    return [results[index] for index in range(len(requests))]


def reservation_movements(
    *, reservations: list[Reservation], reference: object, actor: Actor, at: dt.datetime
) -> list[dict[str, object]]:
    """The ledger rows of `reservations` (StockMovement field values), one per reserved line.
    `reference` is usually the order's number; a writer composing one statement may pass a
    value its statement computes."""
    return [
        {
            "variant_id": r.variant_id,
            "location_id": r.location_id,
            "on_hand_delta": 0,
            "reserved_delta": r.quantity,
            "reason": MovementReason.RESERVED,
            "reference": reference,
            "note": "",
            "actor": _actor_label(actor),
            "created_at": at,
        }
        for r in reservations
        if r.location_id is not None
    ]


def _actor_label(actor: Actor) -> str:
    # "kind:name" of a 150-character username is longer than the column; the name is for reading.
    return str(actor)[: StockMovement._meta.get_field("actor").max_length]


def _reserve_one(request: ReservationRequest) -> tuple[int, str] | None:
    """(location id, location code) reserved from, or None when the line may wait without stock."""
    with connection.cursor() as cursor:
        for _ in range(_RESERVE_ATTEMPTS):
            cursor.execute(_RESERVE_SQL, [request.quantity, request.variant_id, request.quantity, request.quantity])
            row = cursor.fetchone()
            if row is not None:
                return int(row[0]), str(row[1])
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
            raise ReservationNotOnRecord(
                f"{reference} holds {quantity} unit(s) of variant {variant_id} that are not reserved at that "
                "location any more; reload the order and check its stock."
            )
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
    label = _actor_label(actor)
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
                actor=label,
                created_at=now,
            )
            for variant_id, location_id, on_hand_delta, reserved_delta in rows
        ]
    )


@dataclass(frozen=True)
class AdjustmentDraft:
    """Set the counted `on_hand` (absolute) or change it by `delta`; exactly one of the two.

    `location` may be None when the shop has exactly one active location: that one is meant.
    """

    sku: str
    location: str | None
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
        for index, (draft, location) in enumerate(zip(drafts, locations, strict=True)):
            variant = variants[draft.sku]
            StockLevel.objects.bulk_create([StockLevel(variant=variant, location=location)], ignore_conflicts=True)
            level = StockLevel.objects.select_for_update().get(variant=variant, location=location)
            delta = draft.delta if draft.delta is not None else (draft.on_hand or 0) - level.on_hand
            _check_new_level(index, draft, location, level, delta)
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
            results.append(AdjustmentResult(draft.sku, location.code, level.on_hand + delta, level.reserved, delta))
    return results


def _check_new_level(index: int, draft: AdjustmentDraft, location: Location, level: StockLevel, delta: int) -> None:
    """The level after `delta` keeps every reserved unit and fits its column (earlier adjustments
    of the same batch included: `level` is read after them)."""
    errors = ErrorCollector()
    field = f"adjustments.{index}.{'on_hand' if draft.on_hand is not None else 'delta'}"
    after = level.on_hand + delta
    if after < level.reserved:
        errors.add(
            field,
            "below_reserved",
            f"SKU {draft.sku} at {location.code} would have {after} on hand, but "
            f"{level.reserved} are reserved for orders; count again or cancel those orders first.",
        )
    elif after > MAX_UNITS:
        errors.add(
            field,
            "too_large",
            f"SKU {draft.sku} at {location.code} would have {after} on hand; a level holds at most {MAX_UNITS}. "
            "Check the number.",
        )
    errors.raise_if_any()


def _check_adjustments(drafts: list[AdjustmentDraft]) -> tuple[dict[str, Variant], list[Location]]:
    """Every adjustment's fields, and the variant and location each one means; nothing is written."""
    errors = ErrorCollector()
    if not drafts:
        errors.add("adjustments", "required", "Send at least one adjustment.")
    for index, draft in enumerate(drafts):
        _check_adjustment_fields(errors, f"adjustments.{index}", draft)
    # Only text that could be stored is looked up: PostgreSQL refuses a NUL even in a WHERE clause.
    skus = [d.sku for d in drafts if text_problem(d.sku) is None]
    codes = [d.location for d in drafts if d.location is not None and text_problem(d.location) is None]
    variants = {v.sku: v for v in Variant.objects.filter(sku__in=skus)}
    known = {loc.code: loc for loc in Location.objects.filter(code__in=codes)}
    default = _only_active_location() if any(d.location is None for d in drafts) else None
    locations = []
    for index, draft in enumerate(drafts):
        where = f"adjustments.{index}"
        if draft.sku in skus and draft.sku not in variants:
            errors.add(f"{where}.sku", "unknown_sku", f"There is no product variant with SKU {draft.sku}.")
        location = known.get(draft.location) if draft.location is not None else default
        if location is None and (draft.location is None or draft.location in codes):
            errors.add(f"{where}.location", *_location_refusal(draft.location))
        locations.append(location)
    errors.raise_if_any()
    return variants, [location for location in locations if location is not None]


def _check_adjustment_fields(errors: ErrorCollector, where: str, draft: AdjustmentDraft) -> None:
    check_text(errors, f"{where}.sku", draft.sku, max_length=64, required=True)
    if draft.location is not None:
        check_text(errors, f"{where}.location", draft.location, max_length=50, required=True)
    if (draft.on_hand is None) == (draft.delta is None):
        errors.add(where, "on_hand_or_delta", "Give either on_hand (the counted number) or delta (the change).")
    if draft.on_hand is not None and draft.on_hand < 0:
        errors.add(f"{where}.on_hand", "negative", "A counted quantity cannot be below 0.")
    elif draft.on_hand is not None and draft.on_hand > MAX_UNITS:
        errors.add(f"{where}.on_hand", "too_large", f"A counted quantity is at most {MAX_UNITS}.")
    if draft.delta == 0:
        errors.add(f"{where}.delta", "zero", "A delta of 0 changes nothing; give the change in units.")
    elif draft.delta is not None and abs(draft.delta) > MAX_UNITS:
        errors.add(f"{where}.delta", "too_large", f"A change is at most {MAX_UNITS} units either way.")
    if draft.reason not in ADJUSTMENT_REASONS:
        allowed = ", ".join(sorted(ADJUSTMENT_REASONS))
        errors.add(f"{where}.reason", "invalid_reason", f"Use one of {allowed}.")
    check_text(errors, f"{where}.reference", draft.reference, max_length=100)
    check_text(errors, f"{where}.note", draft.note, max_length=500, multiline=True)


def _only_active_location() -> Location | None:
    active = list(Location.objects.filter(is_active=True)[:2])
    return active[0] if len(active) == 1 else None


def _location_refusal(code: str | None) -> tuple[str, str]:
    known = ", ".join(
        Location.objects.filter(is_active=True).order_by("priority", "code").values_list("code", flat=True)
    )
    if code is None:
        if not known:
            return "required", "There is no active location; add one (POST /api/v1/locations), then name it here."
        return "required", f"The shop has more than one active location; name one of {known}."
    return "unknown_location", f"Unknown location {code}; use one of {known or 'none yet (add one first)'}."


@dataclass(frozen=True)
class LocationResult:
    location: Location
    created: bool  # False: the same location was there already (a retry)


def add_location(*, code: str, name: str, actor: Actor, priority: int = 10, is_active: bool = True) -> LocationResult:
    """Create a stock location (an event says who did). The same location again is no change; a
    code already given to another location (another name, priority or state) raises LocationCodeTaken."""
    errors = ErrorCollector()
    check_code(errors, "code", code, max_length=50, what="location code")
    check_text(errors, "name", name, max_length=200, required=True)
    if not 0 <= priority <= 32767:
        errors.add("priority", "out_of_range", "Give a priority from 0 to 32767; orders reserve from the lowest first.")
    errors.raise_if_any()
    wanted = {"name": name.strip(), "priority": priority, "is_active": is_active}
    with transaction.atomic():
        location, created = Location.objects.get_or_create(code=code, defaults=wanted)
        if not created and {key: getattr(location, key) for key in wanted} != wanted:
            raise LocationCodeTaken(
                f"The code {code} belongs to the location {location.name} (priority {location.priority}, "
                f"{'active' if location.is_active else 'inactive'}); choose another code."
            )
        if created:
            emit(LocationAdded(location_id=location.pk, actor_kind=actor.kind, actor_id=actor.id))
    return LocationResult(location=location, created=created)


def set_bin(*, sku: str, location: str, bin_code: str) -> StockLevel:
    """Say where a SKU lies on a location's shelves ("A-03-2"; "" when nowhere in particular).
    The pick list sorts and prints by it. Stock is not touched."""
    errors = ErrorCollector()
    check_text(errors, "bin", bin_code, max_length=50)
    errors.raise_if_any()
    variant = Variant.objects.filter(sku=sku).first()
    place = Location.objects.filter(code=location).first()
    if variant is None:
        errors.add("sku", "unknown_sku", f"There is no product with SKU {sku}.")
    if place is None:
        errors.add("location", "unknown_location", f"Unknown location {location}.")
    errors.raise_if_any()
    with transaction.atomic():
        level, _created = StockLevel.objects.get_or_create(variant=variant, location=place)
        if level.bin != bin_code.strip():
            level.bin = bin_code.strip()
            level.save(update_fields=["bin"])
    return level


def ledger_totals(*, variant_id: int) -> dict[int, tuple[int, int]]:
    """Per location: (sum of on_hand deltas, sum of reserved deltas). Used to audit the levels."""
    rows = (
        StockMovement.objects.filter(variant_id=variant_id)
        .values("location_id")
        .annotate(on_hand=Sum("on_hand_delta"), reserved=Sum("reserved_delta"))
    )
    return {row["location_id"]: (row["on_hand"], row["reserved"]) for row in rows}
