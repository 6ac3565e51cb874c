"""The outbox's side of webhooks: each offered event fans out to the endpoints subscribed to it,
one `WebhookDue` each (so one slow or broken endpoint never holds back another), and each
`WebhookDue` becomes one signed request."""

from __future__ import annotations

import logging

from emporos.integrations.webhooks import delivery
from emporos.integrations.webhooks.events import WebhookDue
from emporos.integrations.webhooks.facts import data_for
from emporos.integrations.webhooks.models import WebhookEndpoint
from emporos.integrations.webhooks.selectors import subscribed_to
from emporos.integrations.webhooks.topics import OFFERED, PING
from emporos.outbox.events import DomainEvent, EventMeta, event_class
from emporos.outbox.models import Event
from emporos.outbox.registry import handles
from emporos.outbox.services import emit

logger = logging.getLogger("emporos.integrations.webhooks")


def fan_out(event: DomainEvent) -> None:
    """One request due per active endpoint subscribed to the event's topic."""
    assert event.meta is not None
    for endpoint in subscribed_to(event.topic):
        emit(WebhookDue(endpoint_id=endpoint.pk, event_uuid=str(event.meta.uuid), event_topic=event.topic))


for _topic in OFFERED:
    handles(_topic.event_class, name=f"integrations.webhooks.{_topic.name}")(fan_out)


@handles(WebhookDue, name="integrations.webhooks.deliver")
def deliver(event: WebhookDue) -> None:
    """Send the request, unless the endpoint was removed, turned off or unsubscribed meanwhile."""
    assert event.meta is not None
    endpoint = WebhookEndpoint.objects.filter(pk=event.endpoint_id).first()
    if endpoint is None or not endpoint.is_active:
        return
    if event.event_topic == PING:
        created_at, data = event.meta.created_at, {"endpoint_id": str(endpoint.public_id)}
    elif event.event_topic in endpoint.topics:
        stored = Event.objects.filter(uuid=event.event_uuid).first()
        if stored is None:  # an event is never deleted; a hand-edited database is no reason to retry
            logger.warning("Webhook for event %s skipped: the event is gone.", event.event_uuid)
            return
        meta = EventMeta(id=stored.pk, uuid=stored.uuid, created_at=stored.created_at)
        source = event_class(stored.topic).from_payload(stored.payload, meta=meta)
        created_at, data = stored.created_at, data_for(source)
    else:
        return
    body = delivery.envelope(event_id=event.event_uuid, topic=event.event_topic, created_at=created_at, data=data)
    delivery.send(endpoint=endpoint, event_id=event.event_uuid, topic=event.event_topic, body=body)
