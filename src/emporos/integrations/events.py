"""Events the integrations publish (the outbox imports every app's `events` at start-up)."""

from emporos.integrations.webhooks.events import WebhookDue

__all__ = ["WebhookDue"]
