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


@dataclass(frozen=True)
class MessageQueued(DomainEvent):
    """A message row was created and waits to be sent (now, or when the quiet hours end)."""

    topic = "notifications.message_queued"
    message_id: int


@dataclass(frozen=True)
class MessageSent(DomainEvent):
    """A message left through its channel's provider (the row holds the content)."""

    topic = "notifications.message_sent"
    message_id: int
    customer_id: int
    order_id: int | None
    kind: str
    channel: str


@dataclass(frozen=True)
class MessageFailed(DomainEvent):
    """A message could not be handed to its channel's provider after every attempt; the row keeps
    the last error (the message log shows it)."""

    topic = "notifications.message_failed"
    message_id: int
    customer_id: int
    order_id: int | None
    kind: str
    channel: str


@dataclass(frozen=True)
class MessagePolicyChanged(DomainEvent):
    """The owner saved the noise budget or the quiet hours."""

    topic = "notifications.policy_changed"
    changed: list[str]


@dataclass(frozen=True)
class TemplateChanged(DomainEvent):
    """The owner edited (or reset to the default) the words of one message kind."""

    topic = "notifications.template_changed"
    kind: str
    language: str
    channel: str
    is_reset: bool
