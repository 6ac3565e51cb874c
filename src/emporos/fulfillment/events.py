"""Events the fulfillment domain publishes."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class FulfillmentPlanned(DomainEvent):
    """An order's lines were grouped (again) into fulfillment orders: where each leaves from and
    why some wait. Counts per status, so a reader sees "2 ready, 1 waiting for stock"."""

    topic = "fulfillment.planned"
    order_id: int
    ready: int
    waiting: int


@dataclass(frozen=True)
class FulfillmentHeld(DomainEvent):
    """Staff held part of an order back from the waves (an address to check, a call to make)."""

    topic = "fulfillment.held"
    order_id: int
    fulfillment_order_id: int
    reason: str


@dataclass(frozen=True)
class FulfillmentReleased(DomainEvent):
    """Staff lifted their hold on part of an order; the facts decide what it does next."""

    topic = "fulfillment.released"
    order_id: int
    fulfillment_order_id: int


@dataclass(frozen=True)
class WaveFormed(DomainEvent):
    """The fulfillment orders ready at a cut-off form a wave to pick and pack."""

    topic = "fulfillment.wave_formed"
    wave_id: int
    orders: int
    express: int


@dataclass(frozen=True)
class ShipmentCreated(DomainEvent):
    """A parcel got its label: carrier, tracking number and lines are on the shipment."""

    topic = "fulfillment.shipment_created"
    order_id: int
    shipment_id: int
    carrier: str
    fulfillment_status: str


@dataclass(frozen=True)
class DigitalDelivered(DomainEvent):
    """Digital lines were delivered (download links made, memberships activated)."""

    topic = "fulfillment.digital_delivered"
    order_id: int
    downloads: int
    memberships: int


@dataclass(frozen=True)
class HandoverRequested(DomainEvent):
    """Lines were handed to a fulfillment service (3PL) to ship; its adapter sends the request."""

    topic = "fulfillment.handover_requested"
    order_id: int
    fulfillment_order_id: int
    location_id: int


@dataclass(frozen=True)
class HandoverAnswered(DomainEvent):
    """The fulfillment service (3PL) accepted or refused lines handed over to it."""

    topic = "fulfillment.handover_answered"
    order_id: int
    fulfillment_order_id: int
    accepted: bool


@dataclass(frozen=True)
class HandoverAnswerFailed(DomainEvent):
    """An answer of the fulfillment service (3PL) about these lines could not be applied (an
    unknown SKU, more units than asked for...): its file was set aside with nothing in it applied."""

    topic = "fulfillment.handover_answer_failed"
    order_id: int
    fulfillment_order_id: int
    location_id: int


@dataclass(frozen=True)
class ShipmentTracked(DomainEvent):
    """A carrier's event moved a parcel forward (picked up, out for delivery, ready for pickup,
    delivered, a problem...). Scans that change nothing emit nothing; `occurred_at` is the
    carrier's time (ISO 8601), `previous` the status before."""

    topic = "fulfillment.shipment_tracked"
    order_id: int
    shipment_id: int
    status: str
    previous: str
    occurred_at: str


@dataclass(frozen=True)
class DelayCaseOpened(DomainEvent):
    """A parcel will likely miss its promise (no scan for too long, a carrier exception, a failed
    delivery attempt): one case per problem, however many events repeat it."""

    topic = "fulfillment.delay_case_opened"
    order_id: int
    shipment_id: int
    case_id: int
    reason: str


@dataclass(frozen=True)
class DelayCaseClosed(DomainEvent):
    """A delay case was settled: the parcel moved on or was delivered, or staff closed it."""

    topic = "fulfillment.delay_case_closed"
    order_id: int
    shipment_id: int
    case_id: int
    outcome: str


@dataclass(frozen=True)
class PickupPointChanged(DomainEvent):
    """The order will wait at another locker or pickup point (changed before its first label, so
    the label names the new one). `previous` and `point` are the points' ids."""

    topic = "fulfillment.pickup_point_changed"
    order_id: int
    previous: str
    point: str
