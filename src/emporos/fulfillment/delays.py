"""Delay cases: a parcel that will likely miss its promise, on the staff desk (T3, C4).

One open case per parcel (a partial unique constraint), however many events repeat a problem:

- an exception or a failed delivery attempt opens a case (reason `exception`, `failed_attempt`)
  when the parcel's status turns into it (`after_events`, called by tracking);
- the `fulfillment.detect_delays` job opens `late` for a parcel past its promised day and
  `no_scan` for one the carrier has not scanned for longer than the allowance
  (`EMPOROS_TRACKING_SILENCE_HOURS` working hours, Saturdays and Sundays not counted; 48 by
  default, two working days). A case staff closed is not opened again for the same silence or
  the same missed day; parcels of the manual carrier without any event are not watched.

A case closes when the parcel moves on (`moved_on`: forward past the problem, or any scan after a
silence), is delivered (`delivered`), or staff close it (`staff_closed`). Opening emits
`DelayCaseOpened`, closing `DelayCaseClosed`, each with a timeline entry on the order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.config import setting
from emporos.core.errors import Conflict
from emporos.fulfillment import events
from emporos.fulfillment.models import (
    DelayCase,
    DelayCaseStatus,
    DelayReason,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from emporos.orders.services import about_order
from emporos.shop import selectors as shop
from emporos.timeline import services as timeline
from emporos.timeline.models import SubjectKind
from emporos.timeline.services import About

S = ShipmentStatus
PROBLEM_REASONS = {S.EXCEPTION: DelayReason.EXCEPTION, S.DELIVERY_ATTEMPTED: DelayReason.FAILED_ATTEMPT}
# Parcels the detector leaves alone: done, or already showing a problem (its case was opened then).
_NOT_WATCHED = (S.DELIVERED, S.RETURNED_TO_SENDER, S.CANCELLED, S.EXCEPTION, S.DELIVERY_ATTEMPTED)


class Outcome:
    MOVED_ON = "moved_on"
    DELIVERED = "delivered"
    STAFF_CLOSED = "staff_closed"


class NoOpenDelayCase(Conflict):
    code = "no_open_delay_case"


def open_case(*, shipment: Shipment, reason: str, detail: str, actor: Actor) -> DelayCase | None:
    """Open a case for `shipment` in the caller's transaction; None when one is open already."""
    if DelayCase.objects.filter(shipment=shipment, status=DelayCaseStatus.OPEN).exists():
        return None
    case = DelayCase(
        shipment=shipment, order_id=shipment.order_id, reason=reason, detail=detail[:500], opened_at=clock.now()
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:  # another transaction opened one meanwhile
        return None
    timeline.record(
        event=events.DelayCaseOpened(
            order_id=shipment.order_id, shipment_id=shipment.pk, case_id=case.pk, reason=reason
        ),
        about=[*about_order(shipment.order), About(SubjectKind.SHIPMENT, shipment.pk)],
        actor=actor,
        facts={"number": shipment.order.display_number, "sequence": shipment.sequence, "note": case.detail},
    )
    return case


def close_case(*, case: DelayCase, outcome: str, actor: Actor) -> bool:
    """Close `case` (compare-and-set: closing a closed case changes nothing); True when closed now."""
    closed = DelayCase.objects.filter(pk=case.pk, status=DelayCaseStatus.OPEN).update(
        status=DelayCaseStatus.CLOSED, closed_at=clock.now(), outcome=outcome, closed_by=str(actor)[:150]
    )
    if not closed:
        return False
    shipment = case.shipment
    timeline.record(
        event=events.DelayCaseClosed(
            order_id=case.order_id, shipment_id=case.shipment_id, case_id=case.pk, outcome=outcome
        ),
        about=[*about_order(shipment.order), About(SubjectKind.SHIPMENT, shipment.pk)],
        actor=actor,
        facts={"number": shipment.order.display_number, "sequence": shipment.sequence, "reason": case.reason},
    )
    return True


def close_by_staff(*, shipment: Shipment, actor: Actor) -> DelayCase:
    """Staff settled the parcel's open case (they called the customer, rebooked the delivery...)."""
    with transaction.atomic():
        case = (
            DelayCase.objects.select_related("shipment__order")
            .filter(shipment=shipment, status=DelayCaseStatus.OPEN)
            .first()
        )
        if case is None or not close_case(case=case, outcome=Outcome.STAFF_CLOSED, actor=actor):
            raise NoOpenDelayCase(f"Parcel {shipment.reference} has no open delay case; it was closed meanwhile.")
    return case


def after_events(
    *,
    shipment: Shipment,
    previous: str,
    new_events: Sequence[TrackingEvent],
    actor: Actor,
    has_open_case: bool | None = None,
) -> None:
    """Open or close the parcel's case after new events (tracking calls it, under the parcel's lock;
    `has_open_case` False, read with the lock, spares looking the case up)."""
    status = shipment.status
    case = (
        None
        if has_open_case is False
        else DelayCase.objects.filter(shipment=shipment, status=DelayCaseStatus.OPEN).first()
    )
    if case is not None:
        case.shipment = shipment
        if status == S.DELIVERED and previous != S.DELIVERED:
            close_case(case=case, outcome=Outcome.DELIVERED, actor=actor)
            return
        moved_on = status != previous and previous in PROBLEM_REASONS and status not in PROBLEM_REASONS
        if (case.reason == DelayReason.NO_SCAN and new_events) or (moved_on and case.reason != DelayReason.LATE):
            close_case(case=case, outcome=Outcome.MOVED_ON, actor=actor)
            case = None
    if status != previous and status in PROBLEM_REASONS and case is None:
        words = next(
            (e for e in sorted(new_events, key=lambda e: e.occurred_at, reverse=True) if e.status == status), None
        )
        detail = " · ".join(part for part in (words.description, words.location) if part) if words else ""
        open_case(shipment=shipment, reason=PROBLEM_REASONS[S(status)], detail=detail, actor=actor)


def silence_hours() -> int:
    return int(setting("TRACKING_SILENCE_HOURS"))


def working_hours_between(start: dt.datetime, end: dt.datetime, *, tz: dt.tzinfo) -> float:
    """Hours from `start` to `end` that fall on Monday to Friday in `tz`."""
    if end <= start:
        return 0.0
    start, end = start.astimezone(tz), end.astimezone(tz)
    total = 0.0
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            begins = max(start, dt.datetime.combine(day, dt.time.min, tz))
            ends = min(end, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tz))
            total += max((ends - begins).total_seconds(), 0) / 3600
        day += dt.timedelta(days=1)
    return total


def detect_delays(*, actor: Actor) -> list[DelayCase]:
    """Open `late` and `no_scan` cases for parcels that need them now (the scheduled job)."""
    tz = shop.time_zone()
    now = clock.now()
    today = now.astimezone(tz).date()
    allowance = silence_hours()
    open_cases = DelayCase.objects.filter(shipment=OuterRef("pk"), status=DelayCaseStatus.OPEN)
    closed_late = DelayCase.objects.filter(shipment=OuterRef("pk"), reason=DelayReason.LATE)
    has_events = TrackingEvent.objects.filter(shipment=OuterRef("pk"))
    candidates = (
        Shipment.objects.exclude(status__in=_NOT_WATCHED)
        .filter(~Exists(open_cases))
        .filter(~Q(carrier="manual") | Exists(has_events))
        .annotate(was_late=Exists(closed_late))
        .values_list("pk", "expected_on", "last_event_at", "created_at", "was_late")
    )
    due: list[tuple[int, str, str]] = []
    for pk, expected_on, last_event_at, created_at, was_late in candidates:
        if expected_on is not None and expected_on < today and not was_late:
            due.append((pk, DelayReason.LATE, ""))
            continue
        since = last_event_at or created_at
        if working_hours_between(since, now, tz=tz) > allowance:
            due.append((pk, DelayReason.NO_SCAN, since.isoformat()))
    opened = []
    for pk, reason, silent_since in due:
        with transaction.atomic():
            shipment = Shipment.objects.select_for_update(of=("self",)).select_related("order").get(pk=pk)
            if reason == DelayReason.NO_SCAN and _silence_settled(shipment, silent_since):
                continue
            case = open_case(shipment=shipment, reason=reason, detail="", actor=actor)
            if case is not None:
                opened.append(case)
    return opened


def _silence_settled(shipment: Shipment, since: str) -> bool:
    """Whether staff already closed a no_scan case for this very silence (no scan since it was closed)."""
    return DelayCase.objects.filter(
        shipment=shipment, reason=DelayReason.NO_SCAN, closed_at__gte=dt.datetime.fromisoformat(since)
    ).exists()
