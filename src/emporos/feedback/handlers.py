"""Reactions: an order whose last parcel (or digital line) was delivered gets its satisfaction
check (L7); when the check is due, the customer is asked."""

from __future__ import annotations

import datetime as dt

from emporos.core.actor import Actor
from emporos.feedback import selectors, services
from emporos.feedback.events import SatisfactionCheckDue
from emporos.feedback.models import SatisfactionCheck
from emporos.fulfillment.events import DigitalDelivered, ShipmentTracked
from emporos.fulfillment.models import Shipment, ShipmentStatus
from emporos.orders.models import Order
from emporos.outbox.events import DomainEvent, EventMeta
from emporos.outbox.registry import handles


def _meta(event: DomainEvent) -> EventMeta:
    if event.meta is None:
        raise ValueError(f"{type(event).__name__} handlers take stored events only (event.meta is set by the relay).")
    return event.meta


def _schedule_when_delivered(order_id: int, delivered_at: dt.datetime) -> None:
    order = Order.objects.get(pk=order_id)
    if not selectors.is_fully_delivered(order):
        return  # more parcels to come: the last one's delivery schedules the check
    # The last parcel to arrive sets the time, whichever scan reached the shop last.
    last = Shipment.objects.filter(order=order, delivered_at__isnull=False).order_by("-delivered_at").first()
    latest = max(delivered_at, last.delivered_at) if last is not None and last.delivered_at else delivered_at
    services.schedule_check(order=order, delivered_at=latest, actor=Actor.system())


@handles(ShipmentTracked, name="feedback.check_after_delivery")
def check_after_delivery(event: ShipmentTracked) -> None:
    """A parcel was delivered: when it was the order's last, the check is scheduled."""
    if event.status != ShipmentStatus.DELIVERED:
        return
    _schedule_when_delivered(event.order_id, dt.datetime.fromisoformat(event.occurred_at))


@handles(DigitalDelivered, name="feedback.check_after_digital_delivery")
def check_after_digital_delivery(event: DigitalDelivered) -> None:
    """Digital lines were delivered: an order with nothing left to ship gets its check."""
    _schedule_when_delivered(event.order_id, _meta(event).created_at)


@handles(SatisfactionCheckDue, name="feedback.ask_satisfaction")
def ask_satisfaction(event: SatisfactionCheckDue) -> None:
    """The check is due (the outbox delivered this event at its due time): ask the customer."""
    check = SatisfactionCheck.objects.filter(pk=event.check_id).first()
    if check is not None:
        services.ask_check(check=check, event_uuid=_meta(event).uuid)
