"""A ticket's SLA clock as a table: opening hours, public holidays, the pause while waiting for
the customer, and the priority's targets. The shop: Athens, Monday to Friday 09:00-17:00, Greek
holidays; normal priority answers in 240 working minutes, next answers in 480, solves in 1920."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.customers.models import Customer
from emporos.support import services
from emporos.support.models import Channel, Status, Ticket

pytestmark = pytest.mark.django_db
ATHENS = ZoneInfo("Europe/Athens")
STAFF = Actor.staff("eleni")


def at(text: str) -> dt.datetime:
    """'2026-12-01 10:00' in Athens."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=ATHENS)


@dataclass(frozen=True)
class Step:
    when: str
    do: Callable[[Ticket], object]


def answer(status: str) -> Callable[[Ticket], object]:
    return lambda ticket: services.reply(ticket=ticket, text="Καλημέρα", actor=STAFF, status=status)


def customer_writes(ticket: Ticket) -> object:
    return services.add_customer_message(
        ticket=ticket,
        message=services.Inbound(channel=Channel.EMAIL, text="Ακόμα τίποτα", sender="maria@example.gr"),
        actor=STAFF,
    )


@dataclass(frozen=True)
class Case:
    opened: str
    steps: list[Step] = field(default_factory=list)
    priority: str = "normal"
    due: str | None = None
    due_kind: str = ""
    reply_by: str | None = None


CASES = {
    "morning: four working hours later": Case(
        "2026-12-01 10:00", due="2026-12-01 14:00", due_kind="first_response", reply_by="2026-12-01 14:00"
    ),
    "friday afternoon: on monday": Case(
        "2026-12-04 15:00", due="2026-12-07 11:00", due_kind="first_response", reply_by="2026-12-07 11:00"
    ),
    "before opening: counted from 09:00": Case("2026-12-01 07:10", due="2026-12-01 13:00", due_kind="first_response"),
    "saturday: from monday 09:00": Case("2026-12-05 12:00", due="2026-12-07 13:00", due_kind="first_response"),
    "the day before 25 march (a holiday): the clock skips it": Case(
        "2026-03-24 16:00", due="2026-03-26 12:00", due_kind="first_response"
    ),
    "good friday and easter monday 2026 skipped": Case(
        "2026-04-09 15:00", due="2026-04-14 11:00", due_kind="first_response"
    ),
    "urgent: one working hour": Case("2026-12-01 16:30", priority="urgent", due="2026-12-02 09:30"),
    "waiting for the customer: no clock runs": Case(
        "2026-12-01 10:00", steps=[Step("2026-12-01 11:00", answer(Status.PENDING))], due=None
    ),
    "the customer writes back: the next answer is due in 480 working minutes": Case(
        "2026-12-01 10:00",
        steps=[Step("2026-12-01 11:00", answer(Status.PENDING)), Step("2026-12-02 10:00", customer_writes)],
        due="2026-12-03 10:00",
        due_kind="next_response",
    ),
    "the pause moves the resolution: 420 paused working minutes later": Case(
        "2026-12-01 10:00",
        steps=[
            Step("2026-12-01 11:00", answer(Status.PENDING)),
            Step("2026-12-02 10:00", customer_writes),
            Step("2026-12-02 11:00", answer(Status.OPEN)),
        ],
        due="2026-12-07 17:00",
        due_kind="resolution",
    ),
    "solved: no clock": Case("2026-12-01 10:00", steps=[Step("2026-12-01 11:00", answer(Status.SOLVED))], due=None),
    "answered but kept open: the resolution is what is due": Case(
        "2026-12-01 10:00",
        steps=[Step("2026-12-01 12:00", answer(Status.OPEN))],
        due="2026-12-07 10:00",
        due_kind="resolution",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_the_clock(case: Case) -> None:
    customer = Customer.objects.create(
        email="maria@example.gr", name="Μαρία", language="el", created_at=clock.now(), updated_at=clock.now()
    )
    with clock.frozen_at(at(case.opened)):
        ticket = services.open_ticket(
            customer=customer,
            subject="Δέμα",
            first=services.Inbound(channel=Channel.EMAIL, text="Πού είναι;", sender=customer.email),
            actor=STAFF,
            priority=case.priority,
        )
    for step in case.steps:
        with clock.frozen_at(at(step.when)):
            step.do(ticket)
    ticket.refresh_from_db()

    assert ticket.due_at == (at(case.due) if case.due else None)
    if case.due_kind:
        assert ticket.due_kind == case.due_kind
    if case.reply_by:
        assert ticket.reply_by == at(case.reply_by)


def test_a_backlog_pushes_the_promise_later_but_never_outside_opening_hours() -> None:
    customer = Customer.objects.create(
        email="maria@example.gr", name="Μαρία", language="el", created_at=clock.now(), updated_at=clock.now()
    )
    with clock.frozen_at(at("2026-12-01 10:00")):
        for index in range(40):
            services.open_ticket(
                customer=customer,
                subject=f"Ερώτηση {index}",
                first=services.Inbound(channel=Channel.EMAIL, text="Γεια", sender=customer.email),
                actor=STAFF,
                acknowledge=False,
            )
        latest = Ticket.objects.order_by("-number").first()

    # 39 tickets ahead x 10 minutes with one agent on duty: 390 working minutes, more than the
    # 240 of the target: 10:00 + 390 -> 16:30 Athens.
    assert latest is not None
    assert latest.reply_by == at("2026-12-01 16:30")
