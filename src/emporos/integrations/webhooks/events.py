"""The event webhooks publish to themselves: one request due to one endpoint."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class WebhookDue(DomainEvent):
    """An endpoint is due one signed request about the event `event_uuid` (its `topic`), or a
    test request (`topic` "ping"). Its own delivery carries the retries and the dead letter."""

    topic = "integrations.webhook_due"
    endpoint_id: int
    event_uuid: str
    event_topic: str
