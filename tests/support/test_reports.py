"""The complaints report on a small known set: every figure exact, worked out by hand below.

The shop (Athens) works Monday to Friday 09:00-17:00 local time, 07:00-15:00 UTC in December.
The period is [Mon 30 Nov 2026, Sat 12 Dec 2026) UTC, read on 1 March 2027, when the 60 days after
every ticket and order of the period have passed.

Customers and what happens to them:
- Anna: order OA (30 Nov). Ticket T1 by e-mail about OA (Tue 1 Dec 08:00, delivery): answered at
  09:00 asking for the order number it already names (10 min), then she calls (Thu 3 Dec 08:00,
  5 min), writes again by e-mail (10:00), solved at 12:00 (15 min); satisfaction 2, effort 4.
  10.00 refunded on OA (Fri 4 Dec 08:00). T2 on the contact form about OA (Fri 4 Dec 09:00):
  never answered. She orders again on 10 Jan 2027.
- Bartek: order OB of two units (30 Nov), one parcel at once; 5.00 refunded on 1 Dec (before any
  ticket: not the ticket's cost). T3 by e-mail about OB (Wed 2 Dec 08:00, product): answered and
  solved at 08:30 asking for the address (20 min); the second unit leaves in a second parcel at
  10:00 (a reshipment); satisfaction 1, effort 5. He never orders again.
- Chloe (no order): T4 in the chat (Thu 3 Dec 07:30, site), answered Fri 4 Dec 14:00 asking for
  her e-mail address (5 min), solved; satisfaction 5, effort 2. T5 by e-mail (Mon 7 Dec 08:00,
  site), answered at 09:00 asking for a phone number she never gave (not known), solved.
- Dora: order OD (30 Nov). She calls (Tue 1 Dec 09:00, payment, 30 min), solved on the call
  (T6). 25.00 refunded on OD (Tue 8 Dec). She orders again on 5 Jan 2027.
- Eleni: order OE (1 Dec), no ticket of her own (the shop raised P1 about OE); never orders again.
- Filip: order OF (2 Dec), orders again on 20 Jan 2027; his ticket T8 opens exactly at the
  period's end (not in it).
- Greta (no order in the period): T7 on the contact form (Tue 8 Dec 08:00, other), never
  answered; she orders on 2 Jan 2027.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.customers.identity import customer_for_email
from emporos.customers.models import Customer
from emporos.orders.models import Order
from emporos.orders.services import record_refund
from emporos.support import calls, services
from emporos.support.models import Channel, Ticket
from emporos.support.reports import Durations, support_report
from emporos.support.reports_effort import AskedCount
from emporos.support.reports_matrix import FIX_CAUSE, REDUCE_COST, SELF_SERVICE, WATCH
from tests.conftest import place
from tests.fulfillment.conftest import confirm, drain, order_of, ship

pytestmark = pytest.mark.django_db

UTC = dt.UTC
SINCE = dt.datetime(2026, 11, 30, tzinfo=UTC)
UNTIL = dt.datetime(2026, 12, 12, tzinfo=UTC)
READ_AT = dt.datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
STAFF = Actor.staff("eleni")
# A mug (backordered when out of stock), so any number of orders can be placed.
MUG = {"lines": [{"sku": "MUG-1", "quantity": 1, "unit_price": "12.00"}], "total": "15.50"}


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def order(api: Client, when: dt.datetime, email: str, phone: str, **body: Any) -> Order:
    with clock.frozen_at(when):
        number = place(api, customer={"email": email, "name": email.split("@")[0], "phone": phone}, **body)
    return order_of(number)


def opened(when: dt.datetime, customer: Customer, channel: str, topic: str, ordered: Order | None = None) -> Ticket:
    with clock.frozen_at(when):
        return services.open_ticket(
            customer=customer,
            subject=f"{topic} question",
            first=services.Inbound(channel=channel, text="Hello, a question.", sender=customer.email),
            actor=Actor.customer(customer.name, customer_id=customer.pk),
            topic=topic,
            order=ordered,
            priority="normal",
        )


def answered(when: dt.datetime, ticket: Ticket, *, status: str = "pending", minutes: int = 0, asked: str = "") -> None:
    with clock.frozen_at(when):
        services.reply(
            ticket=ticket, text="Thank you.", actor=STAFF, status=status, minutes_spent=minutes, asked_for=asked
        )


def refunded(when: dt.datetime, of: Order, amount: str) -> None:
    with clock.frozen_at(when):
        record_refund(order=of, amount=Decimal(amount), reason="goodwill", actor=STAFF)


@pytest.fixture
def known(api: Client, catalog: None) -> dict[str, Ticket]:
    oa = order(api, at(11, 30, 8), "anna@example.gr", "+306911111111")
    ob = order(api, at(11, 30, 9), "bartek@example.pl", "+48601222333")
    od = order(api, at(11, 30, 10), "dora@example.gr", "+306933333333")
    oe = order(api, at(12, 1, 10), "eleni@example.gr", "+306944444444", **MUG)
    order(api, at(12, 2, 10), "filip@example.pl", "+48601555666", **MUG)
    anna, bartek, dora = oa.customer, ob.customer, od.customer
    with clock.frozen_at(at(11, 30, 9, 30)):
        confirm(ob.display_number)
        drain()
    with clock.frozen_at(at(11, 30, 10)):
        assert ship(api, ob.display_number, [("TEA-100", 1)]).status_code == 201
    refunded(at(12, 1, 12), ob, "5.00")
    with clock.frozen_at(at(12, 1, 0)):
        chloe = customer_for_email("chloe@example.gr", name="Chloe", language="el")
        greta = customer_for_email("greta@example.pl", name="Greta", language="pl")
    filip = Customer.objects.get(email="filip@example.pl")

    t1 = opened(at(12, 1, 8), anna, Channel.EMAIL, "delivery", oa)
    answered(at(12, 1, 9), t1, minutes=10, asked="order_number")
    with clock.frozen_at(at(12, 3, 8)):
        calls.log_call(customer=anna, outcome="follow_up", notes="Still no parcel.", actor=STAFF, ticket=t1, minutes=5)
    with clock.frozen_at(at(12, 3, 10)):
        services.add_customer_message(
            ticket=t1,
            message=services.Inbound(channel=Channel.EMAIL, text="Any news?", sender=anna.email),
            actor=Actor.customer(anna.name, customer_id=anna.pk),
        )
    answered(at(12, 3, 12), t1, status="solved", minutes=15)
    refunded(at(12, 4, 8), oa, "10.00")
    t2 = opened(at(12, 4, 9), anna, Channel.WEB, "delivery", oa)

    t3 = opened(at(12, 2, 8), bartek, Channel.EMAIL, "product", ob)
    answered(at(12, 2, 8, 30), t3, status="solved", minutes=20, asked="address")
    with clock.frozen_at(at(12, 2, 10)):
        assert ship(api, ob.display_number, [("TEA-100", 1)]).status_code == 201

    t4 = opened(at(12, 3, 7, 30), chloe, Channel.CHAT, "site")
    answered(at(12, 4, 14), t4, status="solved", minutes=5, asked="email")
    t5 = opened(at(12, 7, 8), chloe, Channel.EMAIL, "site")
    answered(at(12, 7, 9), t5, status="solved", asked="phone")

    with clock.frozen_at(at(12, 1, 9)):
        call = calls.log_call(
            customer=dora, outcome="solved", notes="Charged twice?", actor=STAFF, order=od, minutes=30, topic="payment"
        )
    refunded(at(12, 8, 8), od, "25.00")

    with clock.frozen_at(at(12, 2, 12)):
        services.open_ticket(
            customer=oe.customer,
            subject="Your parcel is late",
            first=services.Inbound(channel=Channel.PROACTIVE, text="Delayed at the hub.", sender="shop"),
            actor=STAFF,
            topic="delivery",
            order=oe,
        )
    t7 = opened(at(12, 8, 8), greta, Channel.WEB, "other")
    opened(UNTIL, filip, Channel.WEB, "other")

    # The answers as stored after the follow-up: a bad answer reopens a ticket (services.rate), and
    # here T1 and T3 were solved again at the same moment, so the answers are set as they stand.
    for ticket, satisfaction, effort in ((t1, 2, 4), (t3, 1, 5), (t4, 5, 2)):
        Ticket.objects.filter(pk=ticket.pk).update(satisfaction=satisfaction, effort=effort)
    order(api, at(1, 10, 10, year=2027), "anna@example.gr", "+306911111111", **MUG)
    order(api, at(1, 5, 10, year=2027), "dora@example.gr", "+306933333333", **MUG)
    order(api, at(1, 20, 10, year=2027), "filip@example.pl", "+48601555666", **MUG)
    order(api, at(1, 2, 10, year=2027), "greta@example.pl", "+48601777888", **MUG)
    return {"t1": t1, "t2": t2, "t3": t3, "t4": t4, "t5": t5, "t6": call.ticket, "t7": t7}


def test_promises_and_working_times_per_topic(known: dict[str, Ticket]) -> None:
    report = support_report(since=SINCE, until=UNTIL, now=READ_AT)

    assert report.tickets == 7  # the shop's own case and the ticket at the period's end left out
    # Kept: T1, T3, T5, T6 (answered within the hour); broken: T4 (next day); overdue: T2, T7.
    promises = report.promises
    assert (promises.kept, promises.broken, promises.overdue, promises.waiting) == (4, 1, 2, 0)
    assert promises.kept_percent == Decimal("57.1")
    times = {row.topic: (row.tickets, row.first_response, row.resolution) for row in report.times}
    assert times == {
        "delivery": (2, Durations(1, 60, 60), Durations(1, 1200, 1200)),  # 420 + 480 + 300 working minutes
        "product": (1, Durations(1, 30, 30), Durations(1, 30, 30)),
        "payment": (1, Durations(1, 0, 0), Durations(1, 0, 0)),  # solved on the call
        "site": (2, Durations(2, 60, 870), Durations(2, 60, 870)),  # 450 on Thursday + 420 on Friday
        "other": (1, Durations(0, None, None), Durations(0, None, None)),
    }
    assert [row.topic for row in report.times] == ["delivery", "product", "payment", "site", "other"]
    assert (report.overall.first_response, report.overall.resolution) == (
        Durations(5, 60, 870),  # 0, 30, 60, 60, 870
        Durations(5, 60, 1200),  # 0, 30, 60, 870, 1200
    )


def test_effort_from_the_data(known: dict[str, Ticket]) -> None:
    effort = support_report(since=SINCE, until=UNTIL, now=READ_AT).effort

    # Anna's problem (OA) went e-mail -> phone -> e-mail -> form, Chloe's (site) chat -> e-mail in
    # four days: each problem and each customer counted once. Bartek, Dora, Greta: one channel.
    switching = effort.switching
    assert (switching.problems, switching.switched, switching.customers, switching.customers_switched) == (5, 2, 5, 2)
    assert switching.switched_percent == Decimal("40.0")
    repeats = effort.repeats
    # 3 messages on T1, 1 on each of the six others; T2 and T5 follow a ticket on the same problem.
    assert (repeats.tickets, repeats.customer_messages, repeats.contacted_again) == (7, 9, 1)
    assert (repeats.problems, repeats.repeat_tickets) == (5, 2)
    assert (repeats.messages_per_ticket, repeats.tickets_per_problem) == (Decimal("1.29"), Decimal("1.40"))
    per_order = effort.per_order
    assert (per_order.tickets_with_order, per_order.orders_with_tickets, per_order.orders_placed) == (4, 3, 5)
    assert (per_order.per_order_with_tickets, per_order.per_order_placed) == (Decimal("1.33"), Decimal("1.40"))
    asked = effort.asked_for_known
    # Answered: T1, T3, T4, T5, T6 (on the call). Asked for what the ticket held: T1, T3, T4.
    assert (asked.answered, asked.asked, asked.asked_percent) == (5, 3, Decimal("60.0"))
    assert asked.by_what == [AskedCount("address", 1), AskedCount("email", 1), AskedCount("order_number", 1)]
    assert (effort.survey.counts, effort.survey.answers, effort.survey.average) == ((0, 1, 0, 1, 1), 3, Decimal("3.67"))


def test_the_matrix_puts_each_topic_in_its_quadrant(known: dict[str, Ticket]) -> None:
    matrix = support_report(since=SINCE, until=UNTIL, now=READ_AT).matrix

    # Without a ticket: Eleni lapsed, Filip ordered again -> 1 of 2.
    assert (matrix.baseline_observed, matrix.baseline_lapsed) == (2, 1)
    rows = {
        row.topic: (
            row.tickets,
            (row.satisfaction_answers, row.low_satisfaction),
            row.repeat_tickets,
            (row.customers_observed, row.customers_lapsed),
            (row.refunded, row.reshipments, row.agent_minutes),
            (row.customer_score, row.shop_score),
            row.quadrant,
        )
        for row in matrix.topics
    }
    # Customer: low satisfaction / largest, repeats / largest, lapsed beyond the 1/2 baseline / largest.
    # Shop: refunds / 25.00, reshipments / 1, minutes / 30.
    assert rows == {
        # (1 + 1 + 0) / 3 ; (10/25 + 0 + 30/30) / 3 = 7/15
        "delivery": (2, (1, 1), 2, (1, 0), (Decimal("10.00"), 0, 30), (Decimal("0.67"), Decimal("0.47")), SELF_SERVICE),
        # (1 + 0 + 1) / 3 ; (0 + 1 + 20/30) / 3 = 5/9
        "product": (1, (1, 1), 0, (1, 1), (Decimal("0.00"), 1, 20), (Decimal("0.67"), Decimal("0.56")), FIX_CAUSE),
        # no answer: (0 + 0) / 2 ; (1 + 0 + 1) / 3
        "payment": (1, (0, 0), 0, (1, 0), (Decimal("25.00"), 0, 30), (Decimal("0.00"), Decimal("0.67")), REDUCE_COST),
        # (0 + 1/2 + 1) / 3 = 1/2, high at exactly a half ; (0 + 0 + 5/30) / 3
        "site": (2, (1, 0), 1, (1, 1), (Decimal("0.00"), 0, 5), (Decimal("0.50"), Decimal("0.06")), SELF_SERVICE),
        "other": (1, (0, 0), 0, (1, 0), (Decimal("0.00"), 0, 0), (Decimal("0.00"), Decimal("0.00")), WATCH),
    }
    assert [row.action for row in matrix.topics] == [
        "Make it self-service",
        "Fix the cause now",
        "Reduce the cost quietly",
        "Make it self-service",
        "Watch",
    ]


def test_tickets_by_topic_and_channel_count_every_ticket_of_the_period(known: dict[str, Ticket]) -> None:
    table = support_report(since=SINCE, until=UNTIL, now=READ_AT).topic_channels

    assert table.channels == ("email", "web", "chat", "phone", "proactive")
    assert [(row.topic, row.counts) for row in table.rows] == [
        ("delivery", (1, 1, 0, 0, 1)),
        ("product", (1, 0, 0, 0, 0)),
        ("payment", (0, 0, 0, 1, 0)),
        ("site", (1, 0, 1, 0, 0)),
        ("other", (0, 1, 0, 0, 0)),
    ]
    assert table.channel_totals == (3, 2, 1, 1, 1)


def test_lapsing_is_unknown_until_sixty_days_have_passed(known: dict[str, Ticket]) -> None:
    matrix = support_report(since=SINCE, until=UNTIL, now=at(1, 15, 12, year=2027)).matrix

    assert (matrix.baseline_observed, matrix.baseline_lapsed) == (0, 0)
    assert {row.topic: row.customers_observed for row in matrix.topics} == dict.fromkeys(
        ["delivery", "product", "payment", "site", "other"], 0
    )


def test_the_report_reads_in_a_fixed_number_of_queries(known: dict[str, Ticket]) -> None:
    with CaptureQueriesContext(connection) as few:
        support_report(since=SINCE, until=UNTIL, now=READ_AT)
    services.add_note(ticket=known["t7"], text="More rows.", actor=STAFF)
    with clock.frozen_at(at(12, 9, 8)):
        for number in range(5):
            opened(at(12, 9, 8, number), known["t7"].customer, Channel.WEB, "other")

    with CaptureQueriesContext(connection) as more:
        support_report(since=SINCE, until=UNTIL, now=READ_AT)

    assert len(more) == len(few) <= 12


def test_an_empty_period_gives_zeros_and_no_shares(db: None) -> None:
    report = support_report(since=SINCE, until=UNTIL, now=READ_AT)

    assert report.tickets == 0
    assert report.promises.kept_percent is None
    assert report.effort.switching.switched_percent is None
    assert report.effort.survey.average is None
    assert report.matrix.topics == []
    assert report.topic_channels.rows == []
