"""The relay: claims due deliveries and runs each handler in its own transaction.

A claim is the row lock of the delivery, held while its handler runs. The handler's writes and
the delivery's `done` mark commit together, so a worker killed mid-way leaves nothing half-done:
its transaction is rolled back, its lock released, and the next worker takes the delivery again.
On PostgreSQL claims use SKIP LOCKED, so any number of workers share the work.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import traceback

from django.db import connection, transaction

from emporos.core import clock
from emporos.core.config import setting
from emporos.outbox import registry
from emporos.outbox.errors import RecordedFailure
from emporos.outbox.events import EventMeta
from emporos.outbox.models import Delivery, DeliveryStatus

logger = logging.getLogger("emporos.outbox")

MAX_BACKOFF = dt.timedelta(hours=1)


def backoff_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff with +-20% jitter: base, 2x base, 4x base ... capped at an hour."""
    base = setting("OUTBOX_BACKOFF_SECONDS") * (2 ** max(attempts - 1, 0))
    jittered = base * random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not security
    return min(dt.timedelta(seconds=jittered), MAX_BACKOFF)


def deliver_due(*, worker_id: str, limit: int = 100) -> int:
    """Run up to `limit` due deliveries, one transaction each; return how many were run."""
    ran = 0
    while ran < limit and _deliver_one(worker_id=worker_id):
        ran += 1
    return ran


def _deliver_one(*, worker_id: str) -> bool:
    with transaction.atomic():
        due = Delivery.objects.filter(status=DeliveryStatus.PENDING, due_at__lte=clock.now()).order_by("due_at", "id")
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True, of=("self",))
        delivery = due.select_related("event").first()
        if delivery is None:
            return False
        _run(delivery, worker_id=worker_id)
    return True


def _run(delivery: Delivery, *, worker_id: str) -> None:
    handler = registry.handler_named(delivery.handler)
    delivery.attempts += 1
    delivery.delivered_by = worker_id
    try:
        if handler is None:
            raise LookupError(f"No handler named {delivery.handler!r} is registered in this worker.")
        stored = delivery.event
        event = handler.event_class.from_payload(
            stored.payload, meta=EventMeta(id=stored.pk, uuid=stored.uuid, created_at=stored.created_at)
        )
        with transaction.atomic():
            handler.func(event)
    except Exception as exc:  # noqa: BLE001 - a handler's failure is recorded, never fatal to the relay
        delivery.last_error = "".join(traceback.format_exception_only(exc)).strip()[:4000]
        if isinstance(exc, RecordedFailure):
            _keep_record(exc, delivery)
        if delivery.attempts >= setting("OUTBOX_MAX_ATTEMPTS"):
            delivery.status = DeliveryStatus.DEAD
            logger.error("Outbox delivery %s is dead after %s attempts: %s", delivery.id, delivery.attempts, exc)
        else:
            delivery.due_at = clock.now() + backoff_delay(delivery.attempts)
            logger.warning("Outbox delivery %s failed (attempt %s): %s", delivery.id, delivery.attempts, exc)
    else:
        delivery.status = DeliveryStatus.DONE
        delivery.completed_at = clock.now()
        delivery.last_error = ""
    delivery.save(update_fields=["attempts", "delivered_by", "status", "due_at", "completed_at", "last_error"])


def _keep_record(failure: RecordedFailure, delivery: Delivery) -> None:
    """Write what a failed handler asked to keep; a record that cannot be written is only logged
    (its own savepoint keeps the delivery's transaction usable)."""
    try:
        with transaction.atomic():
            failure.record()
    except Exception:  # the retry matters more than its log line
        logger.exception("Outbox delivery %s: the record of its failure could not be written", delivery.id)
