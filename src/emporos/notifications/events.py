"""Events the notifications domain publishes."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class MessageRequested(DomainEvent):
    """A message to a customer was asked for (and will be sent) on these channels."""

    topic = "notifications.message_requested"
    order_id: int
    message: str  # which message: order_received, ...
    channels: list[str]
