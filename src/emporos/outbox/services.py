"""Writing to the outbox: `emit` inside the caller's transaction; replaying dead deliveries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction

from emporos.core import clock
from emporos.outbox import registry
from emporos.outbox.errors import DeliveryNotDead, DeliveryNotFound, EmitOutsideTransaction
from emporos.outbox.events import DomainEvent
from emporos.outbox.models import Delivery, DeliveryStatus, Event


def emit(event: DomainEvent, *, deliver_at: dt.datetime | None = None) -> Event:
    """Record `event` and one delivery per registered handler, in the current transaction."""
    values, deliveries = emitted_rows(event, at=clock.now(), deliver_at=deliver_at)
    row = Event.objects.create(**values)
    if deliveries:
        Delivery.objects.bulk_create([Delivery(event=row, **delivery) for delivery in deliveries])
    return row


def emitted_rows(
    event: DomainEvent, *, at: dt.datetime, deliver_at: dt.datetime | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """What `emit` writes, as field values: the Event row and one Delivery row per handler (its
    `event_id` left to the writer, which knows the event's id only once it is inserted). For a
    writer that stores the event in a statement of its own, in the current transaction."""
    if not isinstance(event, DomainEvent) or event.meta is not None:
        raise TypeError(f"emit() takes a new DomainEvent, not {event!r}.")
    if not connection.in_atomic_block:
        raise EmitOutsideTransaction(f"emit({event.topic}) must run inside transaction.atomic().")
    values = {"topic": event.topic, "payload": event.payload(), "created_at": at}
    deliveries = [
        {"handler": handler.name, "due_at": deliver_at or at} for handler in registry.handlers_for(event.topic)
    ]
    return values, deliveries


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
