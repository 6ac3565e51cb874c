"""Hand-over to a fulfillment service (3PL): request, then accepted or rejected, then shipped.

The request is an event; the location's adapter (`handover_adapters`) sends it a moment later
and reads the answers back (the file-drop adapter: CSV files in a folder the 3PL syncs).
"""

from __future__ import annotations

from django.db import transaction

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.fulfillment import events
from emporos.fulfillment.models import FulfillmentOrder, Handover, HoldReason, Status
from emporos.orders.services import about_order
from emporos.timeline import services as timeline


def request(*, fulfillment_order: FulfillmentOrder, actor: Actor) -> None:
    """Ask the 3PL to ship this fulfillment order (inside the caller's transaction)."""
    fo = fulfillment_order
    if fo.handover in {Handover.REQUESTED, Handover.ACCEPTED}:
        return
    fo.status, fo.handover, fo.updated_at = Status.IN_PROGRESS, Handover.REQUESTED, clock.now()
    fo.save(update_fields=["status", "handover", "updated_at"])
    timeline.record(
        event=events.HandoverRequested(
            order_id=fo.order_id, fulfillment_order_id=fo.pk, location_id=fo.location_id or 0
        ),
        about=about_order(fo.order),
        actor=actor,
        facts={"number": fo.order.display_number},
    )


def answer(*, fulfillment_order: FulfillmentOrder, accepted: bool, note: str, actor: Actor) -> FulfillmentOrder:
    """The 3PL accepted the request, or refused it (the lines then wait on hold for staff)."""
    with transaction.atomic():
        fo = FulfillmentOrder.objects.select_for_update().select_related("order").get(pk=fulfillment_order.pk)
        if fo.handover != Handover.REQUESTED or fo.status in {Status.CLOSED, Status.CANCELLED}:
            return fo  # answered already (a file read twice), or nothing left to answer for
        fo.handover, fo.handover_note, fo.updated_at = (
            Handover.ACCEPTED if accepted else Handover.REJECTED,
            note[:500],
            clock.now(),
        )
        if not accepted:
            fo.status, fo.hold_reason, fo.held_by_staff, fo.hold_note = (
                Status.ON_HOLD,
                HoldReason.OTHER,
                True,
                note[:500],
            )
        fo.save()
        timeline.record(
            event=events.HandoverAnswered(order_id=fo.order_id, fulfillment_order_id=fo.pk, accepted=accepted),
            about=about_order(fo.order),
            actor=actor,
            facts={"number": fo.order.display_number, "note": note[:500]},
        )
    return fo
