"""Writing to the outbox: `emit` inside the caller's transaction; replaying dead deliveries."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from emporos.core import clock
from emporos.outbox import registry
from emporos.outbox.errors import DeliveryNotDead, DeliveryNotFound, EmitOutsideTransaction
from emporos.outbox.events import DomainEvent
from emporos.outbox.models import Delivery, DeliveryStatus, Event


def emit(event: DomainEvent, *, deliver_at: dt.datetime | None = None) -> Event:
    """Record `event` and one delivery per registered handler, in the current transaction."""
    if not isinstance(event, DomainEvent) or event.meta is not None:
        raise TypeError(f"emit() takes a new DomainEvent, not {event!r}.")
    if not connection.in_atomic_block:
        raise EmitOutsideTransaction(f"emit({event.topic}) must run inside transaction.atomic().")
    now = clock.now()
    row = Event.objects.create(topic=event.topic, payload=event.payload(), created_at=now)
    handlers = registry.handlers_for(event.topic)
    if handlers:
        Delivery.objects.bulk_create(
            [Delivery(event=row, handler=handler.name, due_at=deliver_at or now) for handler in handlers]
        )
    return row


def replay_delivery(*, delivery_id: int) -> Delivery:
    """Give a dead delivery a fresh set of attempts, due now."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",)).select_related("event").filter(id=delivery_id).first()
        )
        if delivery is None:
            raise DeliveryNotFound(f"There is no outbox delivery {delivery_id}.")
        if delivery.status != DeliveryStatus.DEAD:
            raise DeliveryNotDead(f"Delivery {delivery_id} is {delivery.status}; only dead deliveries are replayed.")
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.due_at = clock.now()
        delivery.save(update_fields=["status", "attempts", "due_at"])
    return delivery
