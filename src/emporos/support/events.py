"""What the support domain publishes (payloads: ids and small facts, never what people wrote)."""

from __future__ import annotations

from dataclasses import dataclass

from emporos.outbox.events import DomainEvent


@dataclass(frozen=True)
class TicketOpened(DomainEvent):
    """A new conversation: a customer wrote (e-mail, the contact form, chat, a call), a bad
    satisfaction answer came in, or the shop raised a case itself (a delayed parcel)."""

    topic = "support.ticket_opened"
    ticket_id: int
    number: int
    channel: str
    topic_code: str
    priority: str
    customer_id: int
    order_id: int | None = None


@dataclass(frozen=True)
class TicketAcknowledged(DomainEvent):
    """The customer was promised an answer by `reply_by` (ISO time); the acknowledgement is queued."""

    topic = "support.ticket_acknowledged"
    ticket_id: int
    number: int
    message_id: int
    reply_by: str


@dataclass(frozen=True)
class CustomerWrote(DomainEvent):
    """The customer wrote again in an existing conversation (a reply, a chat line, a call)."""

    topic = "support.customer_wrote"
    ticket_id: int
    number: int
    message_id: int
    channel: str
    reopened: bool = False


@dataclass(frozen=True)
class TicketReplied(DomainEvent):
    """Staff answered the customer; the answer goes out by e-mail or appears in the chat."""

    topic = "support.ticket_replied"
    ticket_id: int
    number: int
    message_id: int
    channel: str
    by_email: bool


@dataclass(frozen=True)
class NoteAdded(DomainEvent):
    """Staff wrote an internal note on the ticket (the customer never sees it)."""

    topic = "support.note_added"
    ticket_id: int
    number: int
    message_id: int
    mentions: list[str]


@dataclass(frozen=True)
class CallLogged(DomainEvent):
    """Staff logged a phone call with the customer, with its outcome."""

    topic = "support.call_logged"
    ticket_id: int
    number: int
    message_id: int
    outcome: str
    inbound: bool


@dataclass(frozen=True)
class CallbackRequested(DomainEvent):
    """The customer asked to be called back in a slot they picked (`slot`: ISO start time)."""

    topic = "support.callback_requested"
    ticket_id: int
    number: int
    callback_id: int
    slot: str


@dataclass(frozen=True)
class TicketStatusChanged(DomainEvent):
    """The ticket moved between open, waiting for the customer and solved."""

    topic = "support.ticket_status_changed"
    ticket_id: int
    number: int
    status_from: str
    status_to: str


@dataclass(frozen=True)
class TicketAssigned(DomainEvent):
    """The ticket was given to a staff member (claimed, or assigned by someone else), or left to anyone."""

    topic = "support.ticket_assigned"
    ticket_id: int
    number: int
    assignee_id: int | None
    assignee: str


@dataclass(frozen=True)
class TicketClassified(DomainEvent):
    """The ticket's topic, priority or tags changed (its SLA targets follow the priority and topic)."""

    topic = "support.ticket_classified"
    ticket_id: int
    number: int
    topic_code: str
    priority: str
    tags: list[str]


@dataclass(frozen=True)
class TicketLinked(DomainEvent):
    """The ticket was tied to an order (and through it, to its shipments and returns), or to one return of it."""

    topic = "support.ticket_linked"
    ticket_id: int
    number: int
    order_id: int
    return_id: int | None = None


@dataclass(frozen=True)
class TicketRated(DomainEvent):
    """The customer said how the contact went (1 bad to 5 great) and, optionally, how much effort it took."""

    topic = "support.ticket_rated"
    ticket_id: int
    number: int
    satisfaction: int | None
    effort: int | None


@dataclass(frozen=True)
class SupportMessageFailed(DomainEvent):
    """An answer to the customer could not be sent by e-mail after every attempt."""

    topic = "support.message_failed"
    ticket_id: int
    number: int
    message_id: int


@dataclass(frozen=True)
class CustomersMerged(DomainEvent):
    """Two customer records were one person: the merged one's orders, tickets and addresses now
    belong to the kept one."""

    topic = "support.customers_merged"
    kept_id: int
    merged_id: int
    moved: int
