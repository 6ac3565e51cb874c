"""Reads of the outbox for screens, the API and tests."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from emporos.outbox.models import Delivery, DeliveryStatus, Event


def topics(*, since: Event | None = None) -> list[str]:
    """Topics of the events recorded so far (after `since`), oldest first."""
    events = Event.objects.order_by("id")
    if since is not None:
        events = events.filter(id__gt=since.id)
    return list(events.values_list("topic", flat=True))


def dead_deliveries() -> QuerySet[Delivery]:
    return Delivery.objects.filter(status=DeliveryStatus.DEAD).select_related("event").order_by("-due_at", "-id")


def delivery_counts() -> dict[str, int]:
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    for row in Delivery.objects.order_by().values("status").annotate(count=Count("id")):
        counts[row["status"]] = row["count"]
    return counts
