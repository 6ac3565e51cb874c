"""Return parcels on the carrier's tracking path: the events `fulfillment.tracking` could not
match to a shipment are matched here to returns (by the carrier and the return label's tracking
number or carrier reference), stored once each, and the first scan that shows the parcel moving
becomes the return's proof of sending (`services.record_first_scan`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Q

from emporos.core.actor import Actor
from emporos.fulfillment.carriers import TrackingStatus, TrackingUpdate
from emporos.fulfillment.tracking import OtherRecorded
from emporos.returns import services
from emporos.returns.models import Return, ReturnTrackingEvent

# Statuses that say the carrier has the parcel; a label made, a problem or a return to the
# customer proves no sending.
MOVING = frozenset(
    {
        TrackingStatus.PICKED_UP,
        TrackingStatus.IN_TRANSIT,
        TrackingStatus.OUT_FOR_DELIVERY,
        TrackingStatus.DELIVERY_ATTEMPTED,
        TrackingStatus.AVAILABLE_FOR_PICKUP,
        TrackingStatus.DELIVERED,
    }
)


def record_return_tracking(carrier: str, updates: Sequence[TrackingUpdate], actor: Actor) -> OtherRecorded:
    """Store the updates that name a return parcel of `carrier`; registered with
    `fulfillment.tracking.register_other_parcels` and run in its transaction."""
    numbers = {u.tracking_number for u in updates if u.tracking_number}
    references = {u.carrier_reference for u in updates if u.carrier_reference}
    if not numbers and not references:
        return OtherRecorded()
    returns = list(
        Return.objects.select_for_update()
        .filter(Q(tracking_number__in=numbers) | Q(carrier_reference__in=references), carrier=carrier)
        .exclude(tracking_number="")
        .order_by("pk")
    )
    by_number = {ret.tracking_number: ret for ret in returns}
    by_reference = {ret.carrier_reference: ret for ret in returns if ret.carrier_reference}
    handled: set[str] = set()
    accepted = duplicates = 0
    moved: dict[int, tuple[Return, TrackingUpdate]] = {}
    for update in updates:
        ret = by_number.get(update.tracking_number) or by_reference.get(update.carrier_reference)
        if ret is None:
            continue
        handled |= {update.tracking_number, update.carrier_reference} - {""}
        if not _store(ret, carrier, update):
            duplicates += 1
            continue
        accepted += 1
        earliest = moved.get(ret.pk)
        if update.status in MOVING and (earliest is None or update.occurred_at < earliest[1].occurred_at):
            moved[ret.pk] = (ret, update)
    for ret, update in moved.values():
        services.record_first_scan(ret=ret, carrier=carrier, at=update.occurred_at, actor=actor)
    return OtherRecorded(handled=frozenset(handled), accepted=accepted, duplicates=duplicates)


def _store(ret: Return, carrier: str, update: TrackingUpdate) -> bool:
    """True when the event is new; the same carrier event id again (a replay) is skipped by the
    unique key and changes nothing."""
    try:
        with transaction.atomic():
            ReturnTrackingEvent.objects.create(
                ret=ret,
                carrier=carrier,
                event_id=update.event_id[:200],
                status=update.status.value,
                occurred_at=update.occurred_at,
                location=update.location[:200],
            )
    except IntegrityError:
        return False
    return True
