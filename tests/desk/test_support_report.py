"""The complaints report page: its figures and SVG charts for the owner and support, in Hebrew too,
refused to the warehouse, a bad period answered with 400 and the fix named."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.customers.identity import customer_for_email
from emporos.support import services
from emporos.support.models import Channel

pytestmark = pytest.mark.django_db

STAFF = Actor.staff("eleni")
# Tuesday 1 December 2026, 10:00 in Athens; the page is read a week later.
OPENED = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
READ = dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC)
PERIOD = {"starts": "2026-12-01", "ends": "2026-12-07"}


@pytest.fixture
def tickets(db: None) -> None:
    """Two customers: one ticket by e-mail (answered in an hour, asking for nothing), one in the chat
    followed by an e-mail two days later (a channel switch), about the website."""
    with clock.frozen_at(OPENED):
        maria = customer_for_email("maria@example.gr", name="Μαρία", language="el")
        noa = customer_for_email("noa@example.co.il", name="נועה", language="he")
        first = services.open_ticket(
            customer=maria,
            subject="Πού είναι το δέμα;",
            first=services.Inbound(channel=Channel.EMAIL, text="Καλημέρα", sender=maria.email),
            actor=STAFF,
            topic="delivery",
            priority="normal",
        )
        services.open_ticket(
            customer=noa,
            subject="האתר לא עובד",
            first=services.Inbound(channel=Channel.CHAT, text="שלום", sender=noa.email),
            actor=STAFF,
            topic="site",
            priority="normal",
        )
    with clock.frozen_at(OPENED + dt.timedelta(hours=1)):
        services.reply(ticket=first, text="Φεύγει σήμερα.", actor=STAFF, status="solved", minutes_spent=10)
    with clock.frozen_at(OPENED + dt.timedelta(days=2)):
        services.open_ticket(
            customer=noa,
            subject="עדיין לא עובד",
            first=services.Inbound(channel=Channel.EMAIL, text="שוב", sender=noa.email),
            actor=STAFF,
            topic="site",
            priority="normal",
        )


def page(client: Client, **query: Any) -> Any:
    with clock.frozen_at(READ):
        return client.get("/support/report/", {**PERIOD, **query})


def test_the_owner_sees_the_figures_and_the_charts(owner: Client, tickets: None) -> None:
    response = page(owner)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Tickets opened by customers from 1 Dec 2026 to 7 Dec 2026: 3." in body
    # One promise kept of three judged: the two unanswered tickets' times have passed.
    assert re.search(r'id="promises-kept"><bdi dir="ltr" class="ltr">33\.3%</bdi>', body)
    # Noa's problem (the website) went from the chat to e-mail: one of two problems switched.
    assert re.search(r'id="effort-switched"><bdi dir="ltr" class="ltr">50%</bdi>', body)
    assert body.count("<svg") == 3  # the matrix, tickets per topic, minutes to solve
    assert 'class="day-chart matrix-chart"' in body
    assert body.count('class="matrix-chart__point') == 2
    rows = dict(re.findall(r'<tr data-topic="(\w+)" data-quadrant="(\w+)">', body))
    # Website: two tickets in a week (high to customers); delivery: 10 agent minutes, but no refund
    # and no reshipment anywhere, so a third of the shop's axis.
    assert rows == {"delivery": "watch", "site": "self_service"}


def test_support_sees_it_in_hebrew_right_to_left_with_isolated_words(make_staff: Any, tickets: None) -> None:
    support = make_staff("support")
    support.cookies[settings.LANGUAGE_COOKIE_NAME] = "he"

    response = page(support)

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="he" dir="rtl"' in body
    assert body.count('direction="ltr"') >= 3  # every chart keeps its own direction
    assert 'direction="rtl" unicode-bidi="isolate"' in body  # the words in it read right to left


@pytest.mark.parametrize("role", ["warehouse"])
def test_the_warehouse_is_refused(make_staff: Any, role: str) -> None:
    response = page(make_staff(role))

    assert response.status_code == 403
    assert "<svg" not in response.content.decode()


def test_a_period_ending_before_it_starts_is_refused_next_to_the_field(owner: Client) -> None:
    response = page(owner, starts="2026-12-07", ends="2026-12-01")

    assert response.status_code == 400
    assert "The end of the period comes before its start; swap the dates." in response.content.decode()


def test_an_empty_period_says_so(owner: Client) -> None:
    response = page(owner, starts="2026-11-01", ends="2026-11-07")

    assert response.status_code == 200
    body = response.content.decode()
    assert "No customer opened a ticket in this period." in body
    assert "<svg" not in body
