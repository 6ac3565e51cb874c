"""Reads of the webhooks for the desk, the handlers and tests."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from emporos.integrations.webhooks.models import WebhookAttempt, WebhookEndpoint
from emporos.outbox.models import Delivery, DeliveryStatus

HANDLER_PREFIX = "integrations.webhooks."
DELIVER_HANDLER = "integrations.webhooks.deliver"


def endpoints() -> QuerySet[WebhookEndpoint]:
    """Every endpoint, oldest first, with its latest attempt's status code and time."""
    latest = WebhookAttempt.objects.filter(endpoint=OuterRef("pk")).order_by("-attempted_at", "-id")
    return WebhookEndpoint.objects.order_by("created_at", "id").annotate(
        last_status_code=Subquery(latest.values("status_code")[:1]),
        last_attempted_at=Subquery(latest.values("attempted_at")[:1]),
    )


def endpoint(public_id: uuid.UUID) -> WebhookEndpoint | None:
    return WebhookEndpoint.objects.filter(public_id=public_id).first()


def subscribed_to(topic: str) -> list[WebhookEndpoint]:
    """Active endpoints that asked for `topic` (a shop has a handful: filtered here, portably)."""
    return [found for found in WebhookEndpoint.objects.filter(is_active=True).order_by("id") if topic in found.topics]


def recent_attempts(endpoint: WebhookEndpoint, *, limit: int = 50) -> list[WebhookAttempt]:
    return list(endpoint.attempts.order_by("-attempted_at", "-id")[:limit])


@dataclass(frozen=True)
class DeadLetter:
    """A webhook delivery the outbox gave up on: a request, or the fan-out of an event."""

    delivery_id: int
    event_uuid: str
    topic: str
    endpoint: WebhookEndpoint | None  # None: a fan-out, or an endpoint since removed
    attempts: int
    last_error: str
    failed_at: dt.datetime


def dead_letters(*, limit: int = 100) -> list[DeadLetter]:
    rows = list(
        Delivery.objects.filter(status=DeliveryStatus.DEAD, handler__startswith=HANDLER_PREFIX)
        .select_related("event")
        .order_by("-due_at", "-id")[:limit]
    )
    ids = {row.event.payload.get("endpoint_id") for row in rows if row.handler == DELIVER_HANDLER}
    by_id = {found.pk: found for found in WebhookEndpoint.objects.filter(pk__in=ids)}
    letters = []
    for row in rows:
        payload = row.event.payload
        if row.handler == DELIVER_HANDLER:
            event_uuid, topic = str(payload.get("event_uuid", "")), str(payload.get("event_topic", ""))
            found = by_id.get(payload.get("endpoint_id"))
        else:
            event_uuid, topic, found = str(row.event.uuid), row.event.topic, None
        letters.append(DeadLetter(row.id, event_uuid, topic, found, row.attempts, row.last_error, row.due_at))
    return letters
