"""Handlers of the integrations (the outbox imports every app's `handlers` at start-up)."""

from emporos.integrations.webhooks import handlers as webhooks

__all__ = ["webhooks"]
