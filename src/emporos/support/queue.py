"""The support queue, read side: tickets sorted by what breaches first, filtered and searched, and
each ticket's SLA state as the desk shows it (breached, due soon, due later)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from emporos.orders.numbers import parse_number
from emporos.support import clock
from emporos.support.models import OPEN_STATUSES, Status, Ticket

SOON_MINUTES = 30  # due in under 30 working minutes is "soon" whatever the target
SOON_SHARE = 0.25  # ... and so is under a quarter of the target
BREACHED, SOON, LATER = "breached", "soon", "later"


@dataclass(frozen=True)
class SlaState:
    """Where a ticket's clock stands: `kind` breached/soon/later, `minutes` working minutes left
    (negative: past the deadline)."""

    kind: str
    minutes: int
    due_at: dt.datetime


def target_minutes(ticket: Ticket) -> int:
    return {
        clock.FIRST_RESPONSE: ticket.first_response_minutes,
        clock.NEXT_RESPONSE: ticket.next_response_minutes,
        clock.RESOLUTION: ticket.resolution_minutes,
    }.get(ticket.due_kind, ticket.first_response_minutes)


def sla_state(ticket: Ticket, *, now: dt.datetime) -> SlaState | None:
    """None while no clock runs (waiting for the customer, solved)."""
    remaining = clock.remaining_minutes(ticket, now=now)
    if remaining is None or ticket.due_at is None:
        return None
    if remaining < 0 or (remaining == 0 and ticket.due_at <= now):
        return SlaState(BREACHED, remaining, ticket.due_at)
    if remaining < SOON_MINUTES or remaining < target_minutes(ticket) * SOON_SHARE:
        return SlaState(SOON, remaining, ticket.due_at)
    return SlaState(LATER, remaining, ticket.due_at)


@dataclass(frozen=True)
class QueueFilters:
    """Empty values do not filter. `status` "" is the working queue: open and waiting tickets.
    `assignee`: "mine", "nobody", or a staff member's id as text."""

    status: str = ""
    topic: str = ""
    priority: str = ""
    channel: str = ""
    assignee: str = ""
    search: str = ""
    staff_id: int | None = None


@dataclass(frozen=True)
class QueuePage:
    rows: list[Ticket]
    count: int
    has_next: bool
    states: dict[int, SlaState | None] = field(default_factory=dict)


def _search(tickets: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    text = text.strip()
    query = (
        Q(subject__icontains=text)
        | Q(customer__name__icontains=text)
        | Q(customer__email__icontains=text)
        | Q(contact_email__icontains=text)
    )
    digits = text.removeprefix("#")
    if digits.isascii() and digits.isdigit() and len(digits) < 10:
        query |= Q(number=int(digits))
    order_number = parse_number(text)
    if order_number is not None:
        query |= Q(order__number=order_number)
    return tickets.filter(query)


def filtered(filters: QueueFilters) -> QuerySet[Ticket]:
    tickets = Ticket.objects.select_related("customer", "order", "assignee")
    tickets = tickets.filter(status=filters.status) if filters.status else tickets.filter(status__in=OPEN_STATUSES)
    for name in ("topic", "priority", "channel"):
        value = getattr(filters, name)
        if value:
            tickets = tickets.filter(**{name: value})
    if filters.assignee == "mine":
        tickets = tickets.filter(assignee_id=filters.staff_id)
    elif filters.assignee == "nobody":
        tickets = tickets.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        tickets = tickets.filter(assignee_id=int(filters.assignee))
    if filters.search:
        tickets = _search(tickets, filters.search)
    # What breaches first on top; waiting for the customer after; solved last, newest first.
    return tickets.annotate(
        lane=Case(
            When(status=Status.OPEN, then=Value(0)),
            When(status=Status.PENDING, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("lane", F("due_at").asc(nulls_last=True), "-solved_at", "created_at", "pk")


def queue(filters: QueueFilters, *, now: dt.datetime, page: int = 1, size: int = 50) -> QueuePage:
    tickets = filtered(filters)
    start = (page - 1) * size
    rows = list(tickets[start : start + size + 1])
    return QueuePage(
        rows=rows[:size],
        count=tickets.count(),
        has_next=len(rows) > size,
        states={ticket.pk: sla_state(ticket, now=now) for ticket in rows[:size]},
    )


def due_soon_count(*, now: dt.datetime) -> int:
    """Open tickets breached or due soon: the number beside "Support" in the desk's menu. Only
    tickets due within four days are measured in working minutes: a deadline on Monday morning is
    soon on Friday evening, one further off never is."""
    candidates = Ticket.objects.filter(status=Status.OPEN, due_at__lte=now + dt.timedelta(days=4)).only(
        "pk", "due_at", "due_kind", "first_response_minutes", "next_response_minutes", "resolution_minutes"
    )[:500]
    return sum(1 for ticket in candidates if (state := sla_state(ticket, now=now)) and state.kind != LATER)
