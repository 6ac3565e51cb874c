"""A delivered order with its satisfaction check, and helpers to read what the check emitted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from emporos.core import clock
from emporos.feedback import links
from emporos.feedback.models import SatisfactionCheck
from emporos.orders.models import Order
from emporos.outbox.models import Event
from tests.fulfillment.conftest import drain
from tests.returns.conftest import DELIVERED, delivered
from tests.shipping.conftest import greece  # noqa: F401  (a fixture the tests here use)

# Friday 4 December 2026, 12:00 in Athens: the parcel is delivered; the check is due a day later.
DUE = DELIVERED + dt.timedelta(hours=24)


def order_of(number: str) -> Order:
    return Order.objects.get(number=int(number.split("-")[-1]))


def delivered_with_check(api: Client, **order: Any) -> SatisfactionCheck:
    """An order delivered at DELIVERED, the worker run at once: its check is scheduled for DUE."""
    number = delivered(api, **order)
    with clock.frozen_at(DELIVERED + dt.timedelta(minutes=1)):
        drain()
    return SatisfactionCheck.objects.get(order=order_of(number))


def asked(check: SatisfactionCheck) -> SatisfactionCheck:
    """The check's question queued: the worker run when it is due."""
    with clock.frozen_at(DUE):
        drain()
    check.refresh_from_db()
    return check


def page_path(check: SatisfactionCheck) -> str:
    return links.page_path(check)


def payloads(topic: str) -> list[dict[str, Any]]:
    return [event.payload for event in Event.objects.filter(topic=topic).order_by("id")]


def topics_since(first_id: int) -> list[str]:
    return list(Event.objects.filter(id__gt=first_id).order_by("id").values_list("topic", flat=True))


def last_event_id() -> int:
    newest = Event.objects.order_by("-id").first()
    return newest.pk if newest is not None else 0
