"""Writing tickets: a conversation opened, the customer writing again, staff answering, notes,
status, assignment, topic and priority. Each change commits with its timeline entry and event,
and moves the SLA clock (`support.clock`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Max

from emporos.core import clock as wall
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.customers.models import Customer
from emporos.fulfillment.models import Shipment
from emporos.orders.models import Order
from emporos.returns.models import Return
from emporos.support import clock, events, policy
from emporos.support.errors import TicketAlreadyOpened
from emporos.support.models import (
    Attachment,
    Channel,
    Direction,
    Message,
    Priority,
    SendStatus,
    Status,
    Ticket,
    Topic,
)
from emporos.support.subjects import about_ticket
from emporos.timeline import services as timeline

FIRST_NUMBER = 1001
SUBJECT_MAX_LENGTH = 300
TEXT_MAX_LENGTH = 20_000
# Staff mention each other in notes as @username.
MENTION = re.compile(r"(?<![\w@])@([\w.+-]{2,150})")


@dataclass(frozen=True)
class NewAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Inbound:
    """What the customer said, and where: the message that opens or continues a conversation."""

    channel: str
    text: str
    sender: str
    full_text: str = ""
    message_id: str | None = None
    attachments: Sequence[NewAttachment] = ()
    sent_at: dt.datetime | None = None


def open_ticket(
    *,
    customer: Customer,
    subject: str,
    first: Inbound,
    actor: Actor,
    topic: str = Topic.OTHER,
    order: Order | None = None,
    ret: Return | None = None,
    shipment: Shipment | None = None,
    language: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    priority: str = "",
    acknowledge: bool = True,
    source_key: str | None = None,
    fingerprint: str = "",
) -> Ticket:
    """A new conversation with its first message. The customer is promised an answer by a time
    from the opening hours and the backlog (`reply_by`), and told so at once by e-mail when
    `acknowledge` and there is an address. Raises ValidationFailed for an empty text or subject."""
    errors = ErrorCollector()
    _check_text(errors, "message", first.text)
    if not subject.strip():
        errors.add("subject", "required", "Give the conversation a subject.")
    if topic not in Topic.values:
        errors.add("topic", "invalid", f"Pick a topic: {', '.join(Topic.values)}.")
    errors.raise_if_any()
    if order is None and ret is not None:
        order = ret.order
    if order is None and shipment is not None:
        order = shipment.order
    chosen = priority or policy.priority_for(
        topic=topic, order_total=order.total if order is not None else None, channel=first.channel
    )
    goals = policy.targets(chosen, topic)
    now = wall.now()
    with transaction.atomic():
        ticket = _insert(
            Ticket(
                channel=first.channel,
                priority=chosen,
                topic=topic,
                subject=" ".join(subject.split())[:SUBJECT_MAX_LENGTH],
                customer=customer,
                contact_email=contact_email or customer.email,
                contact_phone=contact_phone or customer.phone,
                language=language or customer.language or "en",
                order=order,
                ret=ret,
                shipment=shipment,
                first_response_minutes=goals.first_response_minutes,
                next_response_minutes=goals.next_response_minutes,
                resolution_minutes=goals.resolution_minutes,
                customer_waiting_since=None if first.channel == Channel.PROACTIVE else now,
                # A chat started outside opening hours is answered by e-mail (as add_customer_message does).
                by_email=first.channel == Channel.CHAT and not policy.calendar().is_open(now),
                source_key=source_key,
                fingerprint=fingerprint,
                created_at=now,
                updated_at=now,
            )
        )
        customer_opened = first.channel != Channel.PROACTIVE
        message = _add_message(ticket, first, direction=Direction.IN if customer_opened else Direction.NOTE, now=now)
        if customer_opened:
            ticket.reply_by = clock.promise(ticket, now=now)
        clock.refresh(ticket, now=now)
        ticket.save()
        timeline.record(
            event=events.TicketOpened(
                ticket_id=ticket.pk,
                number=ticket.number,
                channel=ticket.channel,
                topic_code=ticket.topic,
                priority=ticket.priority,
                customer_id=customer.pk,
                order_id=order.pk if order is not None else None,
            ),
            about=about_ticket(ticket),
            actor=actor,
            facts={"message_id": message.pk},
        )
        if acknowledge and customer_opened and ticket.contact_email and ticket.reply_by is not None:
            _acknowledge(ticket, now=now)
    return ticket


def _insert(ticket: Ticket) -> Ticket:
    """Save with the next number; two tickets racing for one number: the second takes the next."""
    for _ in range(5):
        highest = Ticket.objects.aggregate(highest=Max("number"))["highest"]
        ticket.number = (highest or FIRST_NUMBER - 1) + 1
        try:
            with transaction.atomic():
                ticket.save(force_insert=True)
        except IntegrityError:
            ticket.pk = None
            if ticket.source_key and Ticket.objects.filter(source_key=ticket.source_key).exists():
                raise TicketAlreadyOpened(f"A ticket for {ticket.source_key} exists already.") from None
            continue
        return ticket
    raise RuntimeError("No ticket number could be taken after five attempts.")


def _acknowledge(ticket: Ticket, *, now: dt.datetime) -> Message:
    from emporos.support import words  # the words need the ticket's language active

    text = words.acknowledgement(ticket)
    message = Message.objects.create(
        ticket=ticket,
        direction=Direction.OUT,
        channel=Channel.EMAIL,
        sender="",
        text=text,
        automatic="acknowledgement",
        send_status=SendStatus.PENDING,
        sent_at=now,
    )
    assert ticket.reply_by is not None
    timeline.record(
        event=events.TicketAcknowledged(
            ticket_id=ticket.pk, number=ticket.number, message_id=message.pk, reply_by=ticket.reply_by.isoformat()
        ),
        about=about_ticket(ticket),
        actor=Actor.system(),
    )
    return message


def add_customer_message(*, ticket: Ticket, message: Inbound, actor: Actor) -> Message:
    """The customer wrote again: the message joins the conversation, a solved or waiting ticket
    opens again and the clock for the next answer starts (unless one was already running)."""
    errors = ErrorCollector()
    _check_text(errors, "message", message.text)
    errors.raise_if_any()
    now = wall.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        added = _add_message(ticket, message, direction=Direction.IN, now=now)
        reopened = ticket.status == Status.SOLVED
        if ticket.status != Status.OPEN:
            clock.resume(ticket, now=now)
            ticket.status = Status.OPEN
            ticket.solved_at = None
            ticket.reopened += int(reopened)
        if ticket.customer_waiting_since is None:
            ticket.customer_waiting_since = now
        if message.channel == Channel.CHAT and not policy.calendar().is_open(now):
            ticket.by_email = True
        clock.refresh(ticket, now=now)
        ticket.updated_at = now
        ticket.save()
        timeline.record(
            event=events.CustomerWrote(
                ticket_id=ticket.pk,
                number=ticket.number,
                message_id=added.pk,
                channel=message.channel,
                reopened=reopened,
            ),
            about=about_ticket(ticket),
            actor=actor,
        )
    return added


def reply(
    *,
    ticket: Ticket,
    text: str,
    actor: Actor,
    author: User | None = None,
    status: str = Status.PENDING,
    minutes_spent: int = 0,
    asked_for: str = "",
) -> Message:
    """Staff answer the customer (by e-mail, or in the chat while the customer is there) and set
    the status: waiting for the customer (default, the clock pauses), solved, or still open."""
    errors = ErrorCollector()
    _check_text(errors, "text", text)
    if status not in Status.values:
        errors.add("status", "invalid", f"Pick a status: {', '.join(Status.values)}.")
    errors.raise_if_any()
    now = wall.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        channel = ticket.channel if ticket.channel in (Channel.CHAT, Channel.EMAIL) else Channel.EMAIL
        by_email = channel == Channel.EMAIL or ticket.by_email
        if by_email and not ticket.contact_email:
            errors.add("text", "no_address", "This customer has no e-mail address; call them or answer in the chat.")
            errors.raise_if_any()
        message = Message.objects.create(
            ticket=ticket,
            direction=Direction.OUT,
            channel=channel,
            sender=getattr(author, "username", "") or actor.name,
            author=author if author is not None and author.pk is not None else None,
            text=text.strip(),
            send_status=SendStatus.PENDING if by_email else SendStatus.NONE,
            minutes_spent=min(minutes_spent, 240),
            asked_for_known=_asked_for_known(ticket, asked_for),
            sent_at=now,
        )
        if ticket.first_responded_at is None:
            ticket.first_responded_at = now
            if ticket.reply_by is not None:
                ticket.promise_kept = now <= ticket.reply_by
        ticket.customer_waiting_since = None
        timeline.record(
            event=events.TicketReplied(
                ticket_id=ticket.pk, number=ticket.number, message_id=message.pk, channel=channel, by_email=by_email
            ),
            about=about_ticket(ticket),
            actor=actor,
        )
        apply_status(ticket, status, actor=actor, now=now)
    return message


def _asked_for_known(ticket: Ticket, asked_for: str) -> str:
    """What the reply asks for that the ticket already holds (the effort a customer should never have)."""
    known = {
        "order_number": ticket.order_id is not None,
        "email": bool(ticket.contact_email),
        "phone": bool(ticket.contact_phone),
        "address": ticket.order_id is not None,
    }
    return asked_for if known.get(asked_for) else ""


def add_note(*, ticket: Ticket, text: str, actor: Actor, author: User | None = None) -> Message:
    """An internal note; @username mentions are recorded so the people named can find it."""
    errors = ErrorCollector()
    _check_text(errors, "text", text)
    errors.raise_if_any()
    now = wall.now()
    with transaction.atomic():
        note = Message.objects.create(
            ticket=ticket,
            direction=Direction.NOTE,
            channel=ticket.channel,
            sender=getattr(author, "username", "") or actor.name,
            author=author if author is not None and author.pk is not None else None,
            text=text.strip(),
            sent_at=now,
        )
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
        timeline.record(
            event=events.NoteAdded(
                ticket_id=ticket.pk,
                number=ticket.number,
                message_id=note.pk,
                mentions=sorted(set(MENTION.findall(text)))[:20],
            ),
            about=about_ticket(ticket),
            actor=actor,
        )
    return note


def set_status(*, ticket: Ticket, status: str, actor: Actor) -> Ticket:
    if status not in Status.values:
        raise_invalid("status", f"Pick a status: {', '.join(Status.values)}.")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        apply_status(ticket, status, actor=actor, now=wall.now())
    return ticket


def apply_status(ticket: Ticket, status: str, *, actor: Actor, now: dt.datetime) -> None:
    """Change the status (the clock pauses while waiting for the customer), save, and record it.
    The caller holds the ticket's row lock (select_for_update) in its transaction."""
    before = ticket.status
    if before != status:
        if status == Status.PENDING:
            clock.pause(ticket, now=now)
        elif before == Status.PENDING:
            clock.resume(ticket, now=now)
        ticket.status = status
        ticket.solved_at = now if status == Status.SOLVED else None
        if status == Status.SOLVED:
            clock.resume(ticket, now=now)
            ticket.customer_waiting_since = None
    clock.refresh(ticket, now=now)
    ticket.updated_at = now
    ticket.save()
    if before != status:
        timeline.record(
            event=events.TicketStatusChanged(
                ticket_id=ticket.pk, number=ticket.number, status_from=before, status_to=status
            ),
            about=about_ticket(ticket),
            actor=actor,
        )


def assign(*, ticket: Ticket, assignee: User | None, actor: Actor) -> Ticket:
    """Give the ticket to `assignee` (claiming it: the actor themself), or to anyone (None)."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        new_id = assignee.pk if assignee is not None else None
        if ticket.assignee_id == new_id:
            return ticket
        ticket.assignee_id = new_id
        ticket.updated_at = wall.now()
        ticket.save(update_fields=["assignee", "updated_at"])
        timeline.record(
            event=events.TicketAssigned(
                ticket_id=ticket.pk,
                number=ticket.number,
                assignee_id=new_id,
                assignee=getattr(assignee, "username", "") if assignee is not None else "",
            ),
            about=about_ticket(ticket),
            actor=actor,
        )
    return ticket


def classify(
    *,
    ticket: Ticket,
    actor: Actor,
    topic: str | None = None,
    priority: str | None = None,
    tags: Sequence[str] | None = None,
) -> Ticket:
    """Set the topic, priority or tags; the SLA targets follow the new priority and topic."""
    errors = ErrorCollector()
    if topic is not None and topic not in Topic.values:
        errors.add("topic", "invalid", f"Pick a topic: {', '.join(Topic.values)}.")
    if priority is not None and priority not in Priority.values:
        errors.add("priority", "invalid", f"Pick a priority: {', '.join(Priority.values)}.")
    cleaned = None if tags is None else sorted({tag.strip().lower()[:40] for tag in tags if tag.strip()})[:20]
    errors.raise_if_any()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        new_topic, new_priority = topic or ticket.topic, priority or ticket.priority
        new_tags = cleaned if cleaned is not None else list(ticket.tags)
        if (new_topic, new_priority, new_tags) == (ticket.topic, ticket.priority, list(ticket.tags)):
            return ticket
        if (new_topic, new_priority) != (ticket.topic, ticket.priority):
            goals = policy.targets(new_priority, new_topic)
            ticket.first_response_minutes = goals.first_response_minutes
            ticket.next_response_minutes = goals.next_response_minutes
            ticket.resolution_minutes = goals.resolution_minutes
        ticket.topic, ticket.priority, ticket.tags = new_topic, new_priority, new_tags
        now = wall.now()
        clock.refresh(ticket, now=now)
        ticket.updated_at = now
        ticket.save()
        timeline.record(
            event=events.TicketClassified(
                ticket_id=ticket.pk,
                number=ticket.number,
                topic_code=new_topic,
                priority=new_priority,
                tags=new_tags,
            ),
            about=about_ticket(ticket),
            actor=actor,
        )
    return ticket


def link_order(*, ticket: Ticket, order: Order, actor: Actor) -> Ticket:
    """Tie the ticket to one of its customer's orders."""
    if order.customer_id != ticket.customer_id:
        raise_invalid("order", f"Order {order.display_number} belongs to another customer.")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.order_id == order.pk:
            return ticket
        ticket.order = order
        ticket.updated_at = wall.now()
        ticket.save(update_fields=["order", "updated_at"])
        timeline.record(
            event=events.TicketLinked(ticket_id=ticket.pk, number=ticket.number, order_id=order.pk),
            about=about_ticket(ticket),
            actor=actor,
        )
    return ticket


def link_return(*, ticket: Ticket, ret: Return, actor: Actor) -> Ticket:
    """Tie the ticket to a return of its customer's (one started from the ticket, say)."""
    if ret.order.customer_id != ticket.customer_id:
        raise_invalid("return", f"Return {ret.display_number} belongs to another customer.")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.ret_id == ret.pk:
            return ticket
        ticket.ret, ticket.order = ret, ret.order
        ticket.updated_at = wall.now()
        ticket.save(update_fields=["ret", "order", "updated_at"])
        timeline.record(
            event=events.TicketLinked(
                ticket_id=ticket.pk, number=ticket.number, order_id=ret.order_id, return_id=ret.pk
            ),
            about=about_ticket(ticket),
            actor=actor,
        )
    return ticket


BAD_SATISFACTION = (1, 2)


def rate(*, ticket: Ticket, satisfaction: int | None, effort: int | None, actor: Actor) -> Ticket:
    """The customer's answer to "how did it go?" (1 bad – 5 great) and "how easy was it?" (1 very
    easy – 5 very hard); the last answer counts."""
    errors = ErrorCollector()
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        errors.add("satisfaction", "invalid", "Pick from 1 to 5.")
    if effort is not None and not 1 <= effort <= 5:
        errors.add("effort", "invalid", "Pick from 1 to 5.")
    if satisfaction is None and effort is None:
        errors.add("satisfaction", "required", "Pick an answer.")
    errors.raise_if_any()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        # The first bad answer puts a solved ticket back in the queue: the page promises that a
        # person follows up. A changed answer or the effort question does not reopen it again.
        first_bad = (
            satisfaction in BAD_SATISFACTION
            and ticket.satisfaction not in BAD_SATISFACTION
            and ticket.status == Status.SOLVED
        )
        ticket.satisfaction = satisfaction if satisfaction is not None else ticket.satisfaction
        ticket.effort = effort if effort is not None else ticket.effort
        ticket.save(update_fields=["satisfaction", "effort"])
        timeline.record(
            event=events.TicketRated(
                ticket_id=ticket.pk, number=ticket.number, satisfaction=ticket.satisfaction, effort=ticket.effort
            ),
            about=about_ticket(ticket),
            actor=actor,
        )
        if first_bad:
            now = wall.now()
            ticket.customer_waiting_since = now
            apply_status(ticket, Status.OPEN, actor=actor, now=now)
    return ticket


def _add_message(ticket: Ticket, inbound: Inbound, *, direction: str, now: dt.datetime) -> Message:
    message = Message.objects.create(
        ticket=ticket,
        direction=direction,
        channel=inbound.channel,
        sender=inbound.sender[:254],
        text=inbound.text.strip()[:TEXT_MAX_LENGTH],
        full_text=inbound.full_text[:TEXT_MAX_LENGTH] if inbound.full_text.strip() != inbound.text.strip() else "",
        message_id=inbound.message_id or None,
        sent_at=now,
    )
    Attachment.objects.bulk_create(
        Attachment(
            message=message,
            filename=item.filename[:200],
            content_type=item.content_type[:100],
            size_bytes=len(item.content),
            content=item.content,
        )
        for item in inbound.attachments
    )
    return message


def _check_text(errors: ErrorCollector, field: str, text: str) -> None:
    if not text.strip():
        errors.add(field, "required", "Write a message.")
    elif len(text) > TEXT_MAX_LENGTH:
        errors.add(field, "too_long", f"A message has at most {TEXT_MAX_LENGTH} characters; shorten it.")


def raise_invalid(field: str, message: str) -> None:
    errors = ErrorCollector()
    errors.add(field, "invalid", message)
    errors.raise_if_any()
