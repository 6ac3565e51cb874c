"""What the customer's order status page shows: the order's milestones, each parcel apart with its
carrier facts and scans, and the lines still to come. Reads only; nothing staff-only leaves here
(no notes, no staff names, no hold reasons).

The overall state is derived from the facts by `overall_state`, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch

from emporos.fulfillment.models import FulfillmentOrder, Shipment, ShipmentLine, ShipmentStatus, TrackingEvent
from emporos.orders.models import WAITING_LINE_STATES, LineStockState, Order
from emporos.orders.numbers import parse_number
from emporos.orders.states import OrderStatus

# Carrier statuses the customer is told about as milestones; the scans between them (picked up,
# in transit) show in the parcel's full history only.
MILESTONE_STATUSES = frozenset(
    {
        ShipmentStatus.OUT_FOR_DELIVERY,
        ShipmentStatus.DELIVERY_ATTEMPTED,
        ShipmentStatus.AVAILABLE_FOR_PICKUP,
        ShipmentStatus.DELIVERED,
        ShipmentStatus.EXCEPTION,
        ShipmentStatus.RETURNED_TO_SENDER,
    }
)
PROBLEM_STATUSES = frozenset(
    {ShipmentStatus.DELIVERY_ATTEMPTED, ShipmentStatus.EXCEPTION, ShipmentStatus.RETURNED_TO_SENDER}
)


@dataclass(frozen=True)
class Milestone:
    """One step: "received", "packing", "shipped" or a carrier status, at the carrier's time and place."""

    code: str
    at: dt.datetime
    location: str = ""
    description: str = ""

    @property
    def is_problem(self) -> bool:
        return self.code in PROBLEM_STATUSES


@dataclass(frozen=True)
class ParcelLine:
    name: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class Parcel:
    sequence: int
    status: str
    status_at: dt.datetime | None
    carrier: str
    carrier_name: str
    tracking_number: str
    tracking_url: str
    expected_on: dt.date | None
    delivered_at: dt.datetime | None
    pickup_point: str
    pickup_code: str
    pickup_until: dt.date | None
    signature_required: bool
    presence_required: bool
    lines: list[ParcelLine]
    milestones: list[Milestone]
    scans: list[Milestone]

    @property
    def is_problem(self) -> bool:
        return self.status in PROBLEM_STATUSES

    @property
    def awaits_pickup(self) -> bool:
        return self.status == ShipmentStatus.AVAILABLE_FOR_PICKUP


@dataclass(frozen=True)
class WaitingLine:
    """Units not in any parcel yet: why they wait ("backordered", "preorder", "made_to_order",
    "preparing") and the day they are expected, when one is known."""

    name: str
    sku: str
    quantity: int
    reason: str
    expected_on: dt.date | None


@dataclass(frozen=True)
class StatusPage:
    number: str
    placed_at: dt.datetime
    language: str
    state: str
    milestones: list[Milestone]
    parcels: list[Parcel]
    waiting: list[WaitingLine]


def status_page(order: Order) -> StatusPage:
    """Everything the order's status page shows, in three queries (parcels, lines, events) plus one for packing."""
    shipments = list(
        Shipment.objects.filter(order=order)
        .exclude(status=ShipmentStatus.CANCELLED)
        .prefetch_related(
            Prefetch("lines", queryset=ShipmentLine.objects.select_related("order_line").order_by("id")),
            Prefetch("tracking_events", queryset=TrackingEvent.objects.order_by("occurred_at", "id")),
        )
        .order_by("sequence")
    )
    parcels = [_parcel(shipment) for shipment in shipments]
    waiting = _waiting(order)
    packing_at = _packing_started_at(order)
    milestones = [Milestone(code="received", at=order.placed_at)]
    if packing_at is not None:
        milestones.append(Milestone(code="packing", at=packing_at))
    return StatusPage(
        number=order.display_number,
        placed_at=order.placed_at,
        language=order.customer.language,
        state=overall_state(
            order_status=order.status, parcels=[p.status for p in parcels], waiting=bool(waiting), packing=packing_at
        ),
        milestones=milestones,
        parcels=parcels,
        waiting=waiting,
    )


def overall_state(
    *, order_status: str, parcels: Sequence[str], waiting: bool, packing: dt.datetime | None = None
) -> str:
    """The order's state in one word, from its parcels' statuses (pure; the page words it):
    cancelled, problem, delivered, partly_delivered, available_for_pickup, out_for_delivery,
    shipped, partly_shipped, packing, received, completed."""
    if order_status == OrderStatus.CANCELLED:
        return "cancelled"
    if any(status in PROBLEM_STATUSES for status in parcels):
        return "problem"
    if parcels:
        delivered = [status == ShipmentStatus.DELIVERED for status in parcels]
        if all(delivered):
            return "partly_delivered" if waiting else "delivered"
        if any(delivered):
            return "partly_delivered"
        for status in (ShipmentStatus.AVAILABLE_FOR_PICKUP, ShipmentStatus.OUT_FOR_DELIVERY):
            if status in parcels:
                return str(status)
        return "partly_shipped" if waiting else "shipped"
    if order_status == OrderStatus.COMPLETED and not waiting:
        return "completed"
    return "packing" if packing is not None else "received"


def find_order(*, number: str, email: str) -> Order | None:
    """The order with this number placed by this e-mail address (already normalised), or None:
    the answer never says which of the two did not match."""
    parsed = parse_number(number)
    if parsed is None or not email:
        return None
    return Order.objects.select_related("customer").filter(number=parsed, customer__email=email).first()


def _parcel(shipment: Shipment) -> Parcel:
    events: list[TrackingEvent] = list(shipment.tracking_events.all())
    scans = [_milestone(event) for event in events]
    milestones = [Milestone(code="shipped", at=shipment.created_at)]
    milestones += [scan for scan in scans if scan.code in MILESTONE_STATUSES]
    if shipment.status in MILESTONE_STATUSES and not any(m.code == shipment.status for m in milestones):
        # The parcel's status came without a stored event (set by hand, or by a carrier's poll).
        at = shipment.status_at or shipment.delivered_at or shipment.last_event_at or shipment.created_at
        milestones.append(Milestone(code=shipment.status, at=at))
        milestones.sort(key=lambda milestone: milestone.at)
    return Parcel(
        sequence=shipment.sequence,
        status=shipment.status,
        status_at=shipment.status_at,
        carrier=shipment.carrier,
        carrier_name=shipment.carrier_name,
        tracking_number=shipment.tracking_number,
        tracking_url=shipment.tracking_url,
        expected_on=shipment.expected_on,
        delivered_at=shipment.delivered_at,
        pickup_point=shipment.pickup_point,
        pickup_code=shipment.pickup_code,
        pickup_until=shipment.pickup_until,
        signature_required=shipment.signature_required,
        presence_required=shipment.presence_required,
        lines=[
            ParcelLine(name=line.order_line.name, sku=line.sku, quantity=line.quantity) for line in shipment.lines.all()
        ],
        milestones=_without_repeats(milestones),
        scans=list(reversed(scans)),
    )


def _milestone(event: TrackingEvent) -> Milestone:
    return Milestone(code=event.status, at=event.occurred_at, location=event.location, description=event.description)


def _without_repeats(milestones: Iterable[Milestone]) -> list[Milestone]:
    """A carrier repeating a status ("out for delivery" scanned twice in a row) is one step."""
    kept: list[Milestone] = []
    for milestone in milestones:
        if kept and kept[-1].code == milestone.code:
            continue
        kept.append(milestone)
    return kept


def _waiting(order: Order) -> list[WaitingLine]:
    if order.status == OrderStatus.CANCELLED:
        return []
    waiting = []
    for line in order.lines.exclude(stock_state=LineStockState.RELEASED).order_by("id"):
        if line.quantity_unshipped <= 0:
            continue
        reason = str(line.stock_state) if line.stock_state in WAITING_LINE_STATES else "preparing"
        waiting.append(
            WaitingLine(
                name=line.name,
                sku=line.sku,
                quantity=line.quantity_unshipped,
                reason=reason,
                expected_on=line.available_on,
            )
        )
    return waiting


def _packing_started_at(order: Order) -> dt.datetime | None:
    """When the order's first wave formed (its lines being picked and packed), if one has."""
    wave_at = (
        FulfillmentOrder.objects.filter(order=order, wave__isnull=False)
        .order_by("wave__created_at")
        .values_list("wave__created_at", flat=True)
        .first()
    )
    return wave_at
