"""Who else has a ticket open: the collision warning. Writing "I am looking at this ticket" is
presence, not a change to the ticket, so it is a plain upsert here, with no event or timeline entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User

from emporos.support.models import Ticket, Viewer

FRESH_SECONDS = 30


@dataclass(frozen=True)
class OtherViewer:
    name: str
    is_replying: bool


def display_name(user: User) -> str:
    """The first name staff know each other by, else the username."""
    return user.first_name.strip() or user.get_username()


def seen(*, ticket: Ticket, staff: User, is_replying: bool, now: dt.datetime) -> None:
    """Record that `staff` has the ticket open now (and whether they are typing an answer)."""
    Viewer.objects.update_or_create(ticket=ticket, staff=staff, defaults={"is_replying": is_replying, "seen_at": now})


def others(*, ticket: Ticket, staff: User, now: dt.datetime) -> list[OtherViewer]:
    """The other staff seen on the ticket in the last FRESH_SECONDS, those replying first."""
    rows = (
        Viewer.objects.filter(ticket=ticket, seen_at__gte=now - dt.timedelta(seconds=FRESH_SECONDS))
        .exclude(staff=staff)
        .select_related("staff")
        .order_by("-is_replying", "staff__username")
    )
    return [OtherViewer(display_name(row.staff), row.is_replying) for row in rows]
