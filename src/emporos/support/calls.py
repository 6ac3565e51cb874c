"""Phone calls: staff log a call in one step (into the customer's open ticket about it, or a new
one), and customers ask to be called back in a slot they pick."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction

from emporos.core import clock as wall
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.customers.models import Customer
from emporos.orders.models import Order
from emporos.support import events, policy, services
from emporos.support.models import (
    OPEN_STATUSES,
    Callback,
    CallbackStatus,
    CallOutcome,
    Channel,
    Direction,
    Message,
    Status,
    Ticket,
    Topic,
)
from emporos.support.subjects import about_ticket
from emporos.timeline import services as timeline

SLOT_MINUTES = 30
SLOTS_OFFERED = 8


def log_call(
    *,
    customer: Customer,
    outcome: str,
    notes: str,
    actor: Actor,
    author: User | None = None,
    inbound: bool = True,
    order: Order | None = None,
    ticket: Ticket | None = None,
    minutes: int = 0,
    topic: str = Topic.OTHER,
) -> Message:
    """Record a call with its outcome and notes. It joins `ticket`, else the customer's open
    ticket about `order`, else a new phone ticket; solved on the call: the ticket is solved."""
    errors = ErrorCollector()
    if outcome not in [code for code in CallOutcome.values if code]:
        errors.add("outcome", "invalid", "Pick what came of the call.")
    if not notes.strip():
        errors.add("notes", "required", "Note what was said, for whoever reads the ticket next.")
    errors.raise_if_any()
    now = wall.now()
    with transaction.atomic():
        if ticket is None and order is not None:
            ticket = Ticket.objects.filter(order=order, status__in=OPEN_STATUSES).order_by("-updated_at").first()
        if ticket is None:
            ticket = services.open_ticket(
                customer=customer,
                subject=notes.strip().splitlines()[0][:80],
                first=services.Inbound(channel=Channel.PHONE, text=notes, sender=customer.phone or customer.name),
                actor=actor,
                topic=topic,
                order=order,
                acknowledge=False,
            )
            message = ticket.messages.get()
            message.direction = Direction.IN if inbound else Direction.OUT
            message.call_outcome, message.minutes_spent = outcome, min(minutes, 240)
            message.author = author if author is not None and author.pk is not None else None
            message.save(update_fields=["direction", "call_outcome", "minutes_spent", "author"])
        else:
            message = Message.objects.create(
                ticket=ticket,
                direction=Direction.IN if inbound else Direction.OUT,
                channel=Channel.PHONE,
                sender=customer.phone or customer.name,
                author=author if author is not None and author.pk is not None else None,
                text=notes.strip(),
                call_outcome=outcome,
                minutes_spent=min(minutes, 240),
                sent_at=now,
            )
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if not inbound:  # calling the customer back settles their request
            Callback.objects.filter(ticket=ticket, status=CallbackStatus.REQUESTED).update(
                status=CallbackStatus.DONE, done_at=now
            )
        # A call is an answer: the customer spoke to a person.
        if outcome in (CallOutcome.SOLVED, CallOutcome.FOLLOW_UP):
            if ticket.first_responded_at is None:
                ticket.first_responded_at = now
                if ticket.reply_by is not None:
                    ticket.promise_kept = now <= ticket.reply_by
            ticket.customer_waiting_since = None
        timeline.record(
            event=events.CallLogged(
                ticket_id=ticket.pk, number=ticket.number, message_id=message.pk, outcome=outcome, inbound=inbound
            ),
            about=about_ticket(ticket),
            actor=actor,
        )
        services.apply_status(
            ticket, Status.SOLVED if outcome == CallOutcome.SOLVED else ticket.status, actor=actor, now=now
        )
    return message


def slots(*, now: dt.datetime | None = None, count: int = SLOTS_OFFERED) -> list[dt.datetime]:
    """The next call-back slots (starts, UTC) inside opening hours, from an hour from now."""
    calendar = policy.calendar()
    moment = calendar.next_open((now or wall.now()) + dt.timedelta(hours=1))
    local = moment.astimezone(calendar.time_zone)
    # Slots start on the hour or the half hour.
    minute = 0 if local.minute == 0 else (30 if local.minute <= 30 else 60)
    moment = (local.replace(minute=0, second=0, microsecond=0) + dt.timedelta(minutes=minute)).astimezone(dt.UTC)
    found: list[dt.datetime] = []
    for _ in range(count * 40):
        if len(found) >= count:
            break
        end = moment + dt.timedelta(minutes=SLOT_MINUTES)
        if calendar.is_open(moment) and calendar.is_open(end - dt.timedelta(minutes=1)):
            found.append(moment)
        moment = calendar.next_open(end) if not calendar.is_open(end) else end
    return found


def request_callback(*, ticket: Ticket, phone: str, slot: dt.datetime, actor: Actor) -> Callback:
    """The customer asks to be called in `slot` (one of `slots()`)."""
    errors = ErrorCollector()
    if not phone:
        errors.add("phone", "required", "Give a phone number to call.")
    if slot not in slots(count=SLOTS_OFFERED * 3):
        errors.add("slot", "invalid", "Pick one of the times offered.")
    errors.raise_if_any()
    with transaction.atomic():
        callback = Callback.objects.create(
            ticket=ticket,
            phone=phone,
            slot_starts_at=slot,
            slot_ends_at=slot + dt.timedelta(minutes=SLOT_MINUTES),
            created_at=wall.now(),
        )
        timeline.record(
            event=events.CallbackRequested(
                ticket_id=ticket.pk, number=ticket.number, callback_id=callback.pk, slot=slot.isoformat()
            ),
            about=about_ticket(ticket),
            actor=actor,
        )
    return callback
