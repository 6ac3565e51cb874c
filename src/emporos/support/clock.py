"""A ticket's SLA clock, kept on the row: pauses while waiting for the customer, the next deadline
(`due_at`: first answer, next answer or resolution, whichever comes first) and the reply-by time
promised to the customer. Working time is the shop's opening hours without public holidays."""

from __future__ import annotations

import datetime as dt

from emporos.core.config import setting
from emporos.support import policy, sla
from emporos.support.models import Status, Ticket

FIRST_RESPONSE = "first_response"
NEXT_RESPONSE = "next_response"
RESOLUTION = "resolution"


def pauses_of(ticket: Ticket) -> list[sla.Pause]:
    return [
        sla.Pause(dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end) if end else None)
        for start, end in ticket.pauses
    ]


def pause(ticket: Ticket, *, now: dt.datetime) -> None:
    """Stop the clock (the ticket waits for the customer); a pause already running stays as it is."""
    if not ticket.pauses or ticket.pauses[-1][1] is not None:
        ticket.pauses = [*ticket.pauses, [now.isoformat(), None]]


def resume(ticket: Ticket, *, now: dt.datetime) -> None:
    if ticket.pauses and ticket.pauses[-1][1] is None:
        ticket.pauses = [*ticket.pauses[:-1], [ticket.pauses[-1][0], now.isoformat()]]


def refresh(ticket: Ticket, *, now: dt.datetime) -> None:
    """Set `due_at` and `due_kind` from the status, the answers so far and the pauses."""
    if ticket.status != Status.OPEN:
        ticket.due_at, ticket.due_kind = None, ""
        return
    calendar = policy.calendar()
    pauses = pauses_of(ticket)
    candidates: list[tuple[dt.datetime, str]] = []
    if ticket.first_responded_at is None:
        first = sla.due_at(calendar, ticket.created_at, ticket.first_response_minutes, pauses)
        if first is not None:
            candidates.append((first, FIRST_RESPONSE))
    elif ticket.customer_waiting_since is not None:
        following = sla.due_at(calendar, ticket.customer_waiting_since, ticket.next_response_minutes, pauses)
        if following is not None:
            candidates.append((following, NEXT_RESPONSE))
    solved_by = sla.due_at(calendar, ticket.created_at, ticket.resolution_minutes, pauses)
    if solved_by is not None:
        candidates.append((solved_by, RESOLUTION))
    if not candidates:
        ticket.due_at, ticket.due_kind = None, ""
        return
    ticket.due_at, ticket.due_kind = min(candidates)


def promise(ticket: Ticket, *, now: dt.datetime) -> dt.datetime:
    """The reply-by time for a new ticket: its first-answer target in working time, longer when
    the tickets waiting ahead of it need more of the agents' time than that."""
    ahead = Ticket.objects.filter(status=Status.OPEN, first_responded_at__isnull=True).exclude(pk=ticket.pk).count()
    return sla.promise(
        policy.calendar(),
        now=now,
        target_minutes=ticket.first_response_minutes,
        backlog_ahead=ahead,
        minutes_per_ticket=int(setting("SUPPORT_MINUTES_PER_TICKET")),
        agents=policy.agents_on_duty(),
    ).reply_by


def remaining_minutes(ticket: Ticket, *, now: dt.datetime) -> int | None:
    """Working minutes until `due_at` (negative once breached); None when no clock runs."""
    if ticket.due_at is None:
        return None
    calendar = policy.calendar()
    if ticket.due_at >= now:
        return calendar.minutes_between(now, ticket.due_at)
    return -calendar.minutes_between(ticket.due_at, now)
