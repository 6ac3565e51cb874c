"""Writing the one timeline of an order and its customer."""

from __future__ import annotations

from typing import Any

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.orders.models import Order, TimelineEntry


def record(*, order: Order, kind: str, summary: str, actor: Actor, data: dict[str, Any] | None = None) -> TimelineEntry:
    """Add an entry to the order's (and so its customer's) timeline, in the caller's transaction."""
    return TimelineEntry.objects.create(
        customer_id=order.customer_id,
        order=order,
        kind=kind,
        summary=summary[:500],
        data=data or {},
        actor=str(actor),
        created_at=clock.now(),
    )
