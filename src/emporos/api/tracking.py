"""Tracking endpoints: carrier events for parcels, from carriers and aggregators without an
adapter (API key with tracking:write) and from carriers' own webhooks (signed by the carrier)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from pydantic import AwareDatetime, StringConstraints

from emporos.access.models import Scope
from emporos.api import schemas
from emporos.api.auth import ApiKeyAuth, actor_of
from emporos.api.problems import problem
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.fulfillment import carriers
from emporos.fulfillment.carriers import TrackingStatus, TrackingUpdate, WebhookRejected, WebhookSignatureInvalid
from emporos.fulfillment.models import Shipment, ShipmentStatus
from emporos.fulfillment.tracking import known_statuses, record_tracking
from emporos.returns.models import Return

router = Router(tags=["tracking"])
write = ApiKeyAuth(Scope.TRACKING_WRITE)

EventId = Annotated[str, StringConstraints(min_length=1, max_length=200), schemas.PlainText()]
# A shared secret in the webhook address, for carriers that sign nothing (InPost ShipX).
SECRET_PARAMETER = "secret"  # noqa: S105 - a parameter's name
SECRET_HEADER = "X-Webhook-Secret"  # noqa: S105 - a header's name


class TrackingEventIn(schemas.In):
    id: EventId = Field(description="The carrier's own id of the event; the same id again is a duplicate.")
    status: Annotated[str, StringConstraints(min_length=1, max_length=30), schemas.PlainText()] = Field(
        description="One of " + ", ".join(known_statuses()) + "."
    )
    occurred_at: Annotated[AwareDatetime, schemas.IsoString("2026-12-02T09:10:00Z")] = Field(
        description="The carrier's time of the event, with a time zone (kept as given, even before the parcel "
        "was recorded)."
    )
    location: Annotated[str, StringConstraints(max_length=200), schemas.PlainText()] = ""
    description: Annotated[str, StringConstraints(max_length=500), schemas.PlainText()] = Field(
        default="", description="The carrier's words, kept as sent."
    )
    pickup_code: Annotated[str, StringConstraints(max_length=50), schemas.PlainText()] = Field(
        default="", description="available_for_pickup: the code that opens the locker or releases the parcel."
    )
    pickup_until: schemas.Day | None = Field(default=None, description="available_for_pickup: the last day it waits.")


class TrackingEventsIn(schemas.In):
    carrier: Annotated[str, StringConstraints(min_length=1, max_length=32), schemas.PlainText()] = Field(
        description="The carrier's code in Emporos: manual, demo, boxnow, inpost..."
    )
    tracking_number: Annotated[str, StringConstraints(min_length=1, max_length=100), schemas.PlainText()]
    events: list[TrackingEventIn] = Field(min_length=1, max_length=100)


class TrackingRecordedOut(Schema):
    accepted: int = Field(description="Events stored now.")
    duplicates: int = Field(description="Events stored before (the same carrier event id): nothing changed.")
    shipment: str | None = Field(description="The parcel's id (a UUID); null for a return parcel.")
    return_id: str | None = Field(
        default=None, description="For a return parcel (its prepaid return label's number): the return's id (a UUID)."
    )
    status: str = Field(description="The parcel's status after these events (for a return parcel: the return's).")


@router.post(
    "/tracking/events",
    auth=write,
    response={
        202: TrackingRecordedOut,
        400: schemas.Problem,
        413: schemas.Problem,
        415: schemas.Problem,
        422: schemas.Problem,
    },
    summary="Record a parcel's carrier events (for carriers and aggregators without an adapter)",
)
def post_events(request: HttpRequest, payload: TrackingEventsIn) -> Any:
    """Store each event once (the same event id again counts as a duplicate and changes nothing)
    and move the parcel on; events out of order never move it back. An unknown carrier, tracking
    number or status is 422 naming the field, and nothing is written."""
    errors = ErrorCollector()
    if payload.carrier not in carriers.known():
        errors.add(
            "carrier",
            "unknown_carrier",
            f"Unknown carrier {payload.carrier}; use one of {', '.join(carriers.known())}.",
        )
    for index, event in enumerate(payload.events):
        if event.status not in known_statuses():
            errors.add(
                f"events.{index}.status",
                "unknown_status",
                f"Unknown status {event.status}; use one of {', '.join(known_statuses())}.",
            )
    errors.raise_if_any()
    updates = [
        TrackingUpdate(
            event_id=event.id,
            tracking_number=payload.tracking_number,
            status=TrackingStatus(event.status),
            occurred_at=event.occurred_at,
            location=event.location,
            description=event.description,
            raw=event.model_dump(mode="json"),
            pickup_code=event.pickup_code,
            pickup_until=event.pickup_until,
        )
        for event in payload.events
    ]
    recorded = record_tracking(carrier=payload.carrier, updates=updates, actor=actor_of(request), unknown_is_error=True)
    counts = {"accepted": recorded.accepted, "duplicates": recorded.duplicates}
    parcels = Shipment.objects.filter(carrier=payload.carrier, tracking_number=payload.tracking_number)
    shipment = (
        parcels.exclude(status=ShipmentStatus.CANCELLED).order_by("-id").first() or parcels.order_by("-id").first()
    )
    if shipment is not None:
        return 202, {**counts, "shipment": str(shipment.public_id), "status": shipment.status}
    # No shipment has the number: record_tracking found it on a return parcel, or it had refused.
    ret = Return.objects.filter(carrier=payload.carrier, tracking_number=payload.tracking_number).latest("id")
    return 202, {**counts, "shipment": None, "return_id": str(ret.public_id), "status": ret.status}


@router.post("/carriers/{code}/webhook", auth=None, include_in_schema=False)
def carrier_webhook(request: HttpRequest, code: str) -> HttpResponse:
    """A carrier's own webhook (BOX NOW, InPost...): its adapter checks the signature or the shared
    secret and reads the events; each is stored once, so the carrier may send it again. A carrier
    that signs nothing gets an address carrying the shop's secret, `?secret=...`, handed to the
    adapter as the X-Webhook-Secret header. Answers 200 with the counts; 401 when the signature
    does not verify, 400 when the body is not the carrier's shape, 404 for an unknown carrier."""
    if code not in carriers.known():
        return problem(404, "unknown_carrier", "Unknown carrier", f"There is no carrier {code[:40]!r} in Emporos.")
    headers = dict(request.headers.items())
    secret = request.GET.get(SECRET_PARAMETER)
    if secret and SECRET_HEADER.lower() not in {name.lower() for name in headers}:
        headers[SECRET_HEADER] = secret
    try:
        updates = carriers.carrier(code).parse_webhook(headers=headers, body=request.body)
    except WebhookSignatureInvalid as refusal:
        return problem(401, refusal.code, "Webhook signature does not verify", refusal.message)
    except WebhookRejected as refusal:
        return problem(400, refusal.code, "Not a webhook of this carrier", refusal.message)
    recorded = record_tracking(carrier=code, updates=updates, actor=Actor.system(f"{code} webhook"))
    body = {"accepted": recorded.accepted, "duplicates": recorded.duplicates, "unknown": len(recorded.unknown)}
    return HttpResponse(json.dumps(body), content_type="application/json")
