"""Carrier tracking events: the one write path from a carrier's event to a parcel's status.

Each event is stored first (`TrackingEvent`, unique per carrier and the carrier's event id): the
same event again is a duplicate and changes nothing. Events keep the carrier's own time, words
and place, even when dated before the parcel was recorded in Emporos.

A parcel's status is derived from all its stored events by a pure function (`derive_status`),
so the order in which events arrive never matters and a late event never moves a parcel back:

- Progress ranks: label_created 0 < picked_up 1 < in_transit 2 < out_for_delivery 3 <
  available_for_pickup 4 (a courier may leave the parcel at a point after an attempt). The
  highest rank reached is the parcel's progress; its status time is the first event of that rank
  (after the last problem, when a problem was cleared).
- Final: delivered and returned_to_sender. The earliest final event wins and nothing moves a
  parcel out of it (delivered is preferred when both carry the same time).
- Problems: exception and delivery_attempted. The latest problem is the status while no event
  after it reached at least the progress made before it: an exception while in transit is
  cleared by the next in_transit scan; a failed attempt while out for delivery is cleared by the
  next out_for_delivery, a pickup point or delivery, not by a scan back at the depot.

When the derived status changes, the parcel's status, status time, pickup code and day are
written, `ShipmentTracked` is emitted with a timeline entry on the order, and delay cases are
opened or closed (`fulfillment.delays`). Delivered also counts the parcel's units as delivered on
the order lines (`orders.services.stock.record_delivered`). Scans that do not change the status
only move `last_event_at` (the order status page shows them).

Concurrency: the parcels named in one call are locked (in id order) before their events are
inserted, so two requests carrying the same event serialise on the parcel; the insert skips an
event id already stored (ON CONFLICT DO NOTHING on the unique key), so the second counts it as a
duplicate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.fulfillment import delays, events
from emporos.fulfillment.carriers import TrackingStatus, TrackingUpdate
from emporos.fulfillment.models import (
    DelayCase,
    DelayCaseStatus,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    TrackingEvent,
)
from emporos.orders.services import about_order
from emporos.orders.services import stock as orders_stock
from emporos.timeline import services as timeline
from emporos.timeline.models import SubjectKind
from emporos.timeline.services import About

S = ShipmentStatus
PROGRESS_RANK: dict[str, int] = {
    S.LABEL_CREATED: 0,
    S.PICKED_UP: 1,
    S.IN_TRANSIT: 2,
    S.OUT_FOR_DELIVERY: 3,
    S.AVAILABLE_FOR_PICKUP: 4,
}
PROBLEMS = frozenset({S.EXCEPTION, S.DELIVERY_ATTEMPTED})
FINAL = frozenset({S.DELIVERED, S.RETURNED_TO_SENDER})
# A parcel in one of these takes no more status from events (its events are still kept).
SETTLED = frozenset({*FINAL, S.CANCELLED})


@dataclass(frozen=True)
class Fact:
    """One stored event, as the status derivation sees it."""

    status: str
    occurred_at: dt.datetime


@dataclass(frozen=True)
class Derived:
    status: str
    status_at: dt.datetime | None


def derive_status(facts: Iterable[Fact], *, initial: str = S.LABEL_CREATED) -> Derived:
    """The status the events say a parcel is in (see the module's docstring for the ranking)."""
    facts = sorted(facts, key=lambda f: f.occurred_at)
    if not facts:
        return Derived(initial, None)
    finals = [f for f in facts if f.status in FINAL]
    if finals:
        first = min(finals, key=lambda f: (f.occurred_at, f.status != S.DELIVERED))
        return Derived(first.status, first.occurred_at)
    progress = [f for f in facts if f.status in PROGRESS_RANK]
    problems = [f for f in facts if f.status in PROBLEMS]
    since = None
    if problems:
        problem = problems[-1]
        before = max((PROGRESS_RANK[f.status] for f in progress if f.occurred_at <= problem.occurred_at), default=0)
        cleared = any(PROGRESS_RANK[f.status] >= before and f.occurred_at > problem.occurred_at for f in progress)
        if not cleared:
            return Derived(problem.status, problem.occurred_at)
        since = problem.occurred_at
    if not progress:
        return Derived(initial, None)
    rank = max(PROGRESS_RANK[f.status] for f in progress)
    at_rank = [f for f in progress if PROGRESS_RANK[f.status] == rank]
    after = [f for f in at_rank if since is None or f.occurred_at > since] or at_rank
    return Derived(after[0].status, after[0].occurred_at)


@dataclass(frozen=True)
class Recorded:
    """What one call stored: new events, replays, and tracking numbers Emporos does not know."""

    accepted: int = 0
    duplicates: int = 0
    unknown: list[str] = field(default_factory=list)
    tracked: list[int] = field(default_factory=list)  # shipments whose status moved


@dataclass(frozen=True)
class OtherRecorded:
    """What a domain owning other parcels (returns) made of the updates no shipment claimed:
    the tracking numbers and carrier references it recognised, and the events it stored."""

    handled: frozenset[str] = frozenset()
    accepted: int = 0
    duplicates: int = 0


# (carrier, updates no shipment matched, actor) -> what the owning domain recorded, in the
# caller's transaction. Higher domains register theirs at start-up (returns: return parcels).
OtherParcels = Callable[[str, Sequence[TrackingUpdate], Actor], OtherRecorded]
_OTHER_PARCELS: list[OtherParcels] = []


def register_other_parcels(resolver: OtherParcels) -> None:
    """Let a higher domain claim parcels Emporos tracks that are not shipments (called from an
    app's ready(); registering the same resolver twice keeps one)."""
    if resolver not in _OTHER_PARCELS:
        _OTHER_PARCELS.append(resolver)


def _record_others(carrier: str, updates: list[TrackingUpdate], actor: Actor) -> tuple[set[str], int, int]:
    handled: set[str] = set()
    accepted = duplicates = 0
    for resolver in _OTHER_PARCELS:
        left = [u for u in updates if not _claimed(u, handled)]
        if not left:
            break
        recorded = resolver(carrier, left, actor)
        handled |= recorded.handled
        accepted += recorded.accepted
        duplicates += recorded.duplicates
    return handled, accepted, duplicates


def _parcel_key(update: TrackingUpdate) -> str:
    return update.tracking_number or update.carrier_reference


def _claimed(update: TrackingUpdate, handled: set[str]) -> bool:
    return bool({update.tracking_number, update.carrier_reference} & handled - {""})


def known_statuses() -> list[str]:
    return [status.value for status in TrackingStatus]


def record_tracking(
    *, carrier: str, updates: Sequence[TrackingUpdate], actor: Actor, unknown_is_error: bool = False
) -> Recorded:
    """Store `updates` of `carrier` and move their parcels on, in one transaction.

    Updates whose tracking number (or carrier reference) names no shipment are offered to the
    domains that own other parcels (`register_other_parcels`: return parcels); those nobody claims
    are counted in `unknown` and skipped, or, with `unknown_is_error`, refused with
    ValidationFailed naming `tracking_number`, and nothing is written.
    """
    with transaction.atomic():
        shipments, by_update = _lock_shipments(carrier, updates)
        unmatched = [u for u in updates if id(u) not in by_update]
        handled, other_accepted, other_duplicates = (
            _record_others(carrier, unmatched, actor) if unmatched else (set(), 0, 0)
        )
        unknown = sorted({_parcel_key(u) for u in unmatched if not _claimed(u, handled)})
        if unknown and unknown_is_error:
            errors = ErrorCollector()
            errors.add(
                "tracking_number",
                "unknown_tracking_number",
                f"No parcel of carrier {carrier} has tracking number {', '.join(unknown)}.",
            )
            errors.raise_if_any()
        grouped: dict[int, list[TrackingUpdate]] = defaultdict(list)
        for update in updates:
            if id(update) in by_update:
                grouped[by_update[id(update)]].append(update)
        accepted, duplicates = other_accepted, other_duplicates
        tracked = []
        for pk in sorted(grouped):
            shipment = shipments[pk]
            stored = _store(shipment, carrier, grouped[pk])
            accepted += len(stored)
            duplicates += len(grouped[pk]) - len(stored)
            if stored and _apply(shipment, stored, actor=actor):
                tracked.append(pk)
    return Recorded(accepted=accepted, duplicates=duplicates, unknown=unknown, tracked=tracked)


def _lock_shipments(carrier: str, updates: Sequence[TrackingUpdate]) -> tuple[dict[int, Shipment], dict[int, int]]:
    """The parcels the updates name, locked in id order, and id(update) -> the parcel's pk; a live
    parcel is preferred to a cancelled one of the same number. By tracking number first (one
    indexed statement, the usual case), then by the carrier's own id for the updates left."""
    rows = _locked(carrier, tracking_number__in={u.tracking_number for u in updates if u.tracking_number})
    by_number = _newest_live_first(rows, "tracking_number")
    missing = {u.carrier_reference for u in updates if u.carrier_reference and u.tracking_number not in by_number}
    by_reference: dict[str, int] = {}
    if missing:
        more = _locked(carrier, carrier_reference__in=missing)
        rows += [row for row in more if row.pk not in {r.pk for r in rows}]
        by_reference = _newest_live_first(more, "carrier_reference")
    found = {}
    for update in updates:
        match = by_number.get(update.tracking_number) if update.tracking_number else None
        if match is None and update.carrier_reference:
            match = by_reference.get(update.carrier_reference)
        if match is not None:
            found[id(update)] = match
    return {row.pk: row for row in rows}, found


def _locked(carrier: str, **lookup: object) -> list[Shipment]:
    if not any(lookup.values()):
        return []
    return list(
        Shipment.objects.select_for_update(of=("self",))
        .select_related("order")
        .annotate(has_open_case=Exists(DelayCase.objects.filter(shipment=OuterRef("pk"), status=DelayCaseStatus.OPEN)))
        .filter(carrier=carrier, **lookup)
        .order_by("pk")
    )


def _newest_live_first(rows: list[Shipment], field_name: str) -> dict[str, int]:
    chosen: dict[str, int] = {}
    for row in sorted(rows, key=lambda r: (r.status == S.CANCELLED, -r.pk)):
        value = getattr(row, field_name)
        if value:
            chosen.setdefault(value, row.pk)
    return chosen


def _store(shipment: Shipment, carrier: str, updates: list[TrackingUpdate]) -> list[TrackingEvent]:
    """Insert the events not stored yet, in one statement; an event id already stored (a replay,
    or a concurrent twin) is skipped by the unique key and counts as a duplicate."""
    fresh: dict[str, TrackingEvent] = {}
    now = clock.now()
    for update in updates:
        event_id = update.event_id[:200]
        if event_id in fresh:
            continue
        fresh[event_id] = TrackingEvent(
            shipment=shipment,
            carrier=carrier,
            carrier_event_id=event_id,
            status=update.status.value,
            raw_status=_raw_status(update)[:200],
            description=update.description[:500],
            location=update.location[:200],
            occurred_at=update.occurred_at,
            received_at=now,
            raw={
                **dict(update.raw),
                **({"pickup_code": update.pickup_code} if update.pickup_code else {}),
                **({"pickup_until": update.pickup_until.isoformat()} if update.pickup_until else {}),
            },
        )
    inserted = _insert_skipping_known(list(fresh.values()))
    stored = []
    for event in fresh.values():
        if event.carrier_event_id in inserted:
            event.pk = inserted[event.carrier_event_id]
            stored.append(event)
    return stored


_EVENT_FIELDS = [f for f in TrackingEvent._meta.concrete_fields if not f.primary_key]


def _insert_skipping_known(events: list[TrackingEvent]) -> dict[str, int]:
    """INSERT ... ON CONFLICT (carrier, carrier_event_id) DO NOTHING RETURNING: carrier event id ->
    the new row's id, for the rows that went in (PostgreSQL and SQLite 3.35+ both speak it). The
    model stays the schema's truth: columns and values come from its fields."""
    if not events:
        return {}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in _EVENT_FIELDS)
    row = "(" + ", ".join(["%s"] * len(_EVENT_FIELDS)) + ")"
    sql = (
        f"INSERT INTO {quote(TrackingEvent._meta.db_table)} ({columns}) VALUES {', '.join([row] * len(events))} "
        f"ON CONFLICT ({quote('carrier')}, {quote('carrier_event_id')}) DO NOTHING "
        f"RETURNING {quote('id')}, {quote('carrier_event_id')}"
    )
    params = [f.get_db_prep_save(f.pre_save(event, True), connection) for event in events for f in _EVENT_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {carrier_event_id: pk for pk, carrier_event_id in cursor.fetchall()}


def _raw_status(update: TrackingUpdate) -> str:
    for key in ("status", "event", "parcelState", "code"):
        value = update.raw.get(key)
        if isinstance(value, str) and value:
            return value
    return update.description


def _apply(shipment: Shipment, stored: list[TrackingEvent], *, actor: Actor) -> bool:
    """Move `shipment` on after its new events; True when its status changed."""
    newest = max(event.occurred_at for event in stored)
    fields: dict[str, object] = {}
    if shipment.last_event_at is None or newest > shipment.last_event_at:
        fields["last_event_at"] = shipment.last_event_at = newest
    for event in sorted(stored, key=lambda e: e.occurred_at):
        if event.status == S.AVAILABLE_FOR_PICKUP and event.raw.get("pickup_code"):
            fields["pickup_code"] = shipment.pickup_code = str(event.raw["pickup_code"])[:50]
        if event.status == S.AVAILABLE_FOR_PICKUP and event.raw.get("pickup_until"):
            fields["pickup_until"] = shipment.pickup_until = dt.date.fromisoformat(str(event.raw["pickup_until"]))
    changed = False
    previous = shipment.status
    if previous not in SETTLED:
        facts = TrackingEvent.objects.filter(shipment=shipment).values_list("status", "occurred_at")
        derived = derive_status(Fact(status, at) for status, at in facts)
        if derived.status != previous and derived.status_at is not None:
            changed = True
            fields["status"] = shipment.status = derived.status
            fields["status_at"] = shipment.status_at = derived.status_at
            if derived.status == S.DELIVERED:
                fields["delivered_at"] = shipment.delivered_at = derived.status_at
    if fields:
        Shipment.objects.filter(pk=shipment.pk).update(**fields)
    if changed:
        if shipment.status == S.DELIVERED:
            _count_delivered(shipment, actor=actor)
        _record_tracked(shipment, previous, stored, actor=actor)
    delays.after_events(
        shipment=shipment,
        previous=previous,
        new_events=stored,
        actor=actor,
        has_open_case=getattr(shipment, "has_open_case", None),
    )
    return changed


def _count_delivered(shipment: Shipment, *, actor: Actor) -> None:
    quantities: dict[int, int] = defaultdict(int)
    for line in ShipmentLine.objects.filter(shipment=shipment):
        quantities[line.order_line_id] += line.quantity
    if quantities:
        orders_stock.record_delivered(order=shipment.order, quantities=quantities, actor=actor)


def _record_tracked(shipment: Shipment, previous: str, stored: list[TrackingEvent], *, actor: Actor) -> None:
    assert shipment.status_at is not None
    setting = next((e for e in stored if e.status == shipment.status), None)
    facts = {
        "number": shipment.order.display_number,
        "sequence": shipment.sequence,
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "location": setting.location if setting else "",
        "pickup_code": shipment.pickup_code if shipment.status == S.AVAILABLE_FOR_PICKUP else "",
        "pickup_until": shipment.pickup_until.isoformat()
        if shipment.status == S.AVAILABLE_FOR_PICKUP and shipment.pickup_until
        else "",
    }
    timeline.record(
        event=events.ShipmentTracked(
            order_id=shipment.order_id,
            shipment_id=shipment.pk,
            status=shipment.status,
            previous=previous,
            occurred_at=shipment.status_at.isoformat(),
        ),
        about=[*about_order(shipment.order), About(SubjectKind.SHIPMENT, shipment.pk)],
        actor=actor,
        facts=facts,
        occurred_at=min(shipment.status_at, clock.now()),
    )
