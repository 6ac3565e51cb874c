"""The question after a solved ticket, behind the e-mail's signed link: reading the page records
nothing (mail scanners follow links); each answer is a POST with its CSRF token; the last answer
counts; a bad one says sorry and puts the ticket back in the queue for a person to follow up."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from emporos.core.actor import Actor
from emporos.customers.models import Customer
from emporos.orders.models import Order
from emporos.outbox import selectors as outbox
from emporos.support import links, services
from emporos.support.models import Channel, Status, Ticket
from tests.portal.support_helpers import last_event, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def solved(open_hours: None, shop_order: Order) -> Ticket:
    ticket = services.open_ticket(
        customer=shop_order.customer,
        subject="Wrong size",
        first=services.Inbound(channel=Channel.WEB, text="The mug is too small.", sender="maria@example.gr"),
        actor=Actor.customer("Μαρία", customer_id=shop_order.customer_id),
        order=shop_order,
        language="en",
    )
    services.reply(ticket=ticket, text="A bigger one is on its way.", actor=Actor.staff("eleni"), status="solved")
    ticket.refresh_from_db()
    return ticket


def survey_path(ticket: Ticket) -> str:
    return urlsplit(links.survey_url(ticket)).path


def answers(ticket: Ticket) -> tuple[int | None, int | None]:
    ticket.refresh_from_db()
    return ticket.satisfaction, ticket.effort


def test_the_link_is_the_portal_page(solved: Ticket) -> None:
    assert survey_path(solved).startswith("/support/rate/")
    assert survey_path(solved).endswith("/")


def test_reading_the_page_records_nothing(solved: Ticket) -> None:
    since = last_event()
    client = Client()

    pages = [
        client.get(survey_path(solved)),
        client.get(survey_path(solved) + "?satisfaction=1&effort=5"),
        client.get(survey_path(solved) + "?answered=1"),
        client.head(survey_path(solved)),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert answers(solved) == (None, None)
    assert outbox.topics(since=since) == []


def test_the_page_asks_both_questions_as_csrf_protected_forms(solved: Ticket) -> None:
    path = survey_path(solved)
    html = Client().get(path + "?lang=en").content.decode()

    forms = re.findall(r'<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrfmiddlewaretoken"', html)
    assert forms == [path + "?lang=en"] * 2
    assert re.findall(r'name="satisfaction" value="(\d)"', html) == ["1", "2", "3", "4", "5"]
    assert re.findall(r'name="effort" value="(\d)"', html) == ["1", "2", "3", "4", "5"]
    text = text_of(html)
    assert f"About your request #{solved.number}: Wrong size" in text
    assert "How easy was it to get this solved?" in text
    assert "1 — very easy 5 — very hard" in text

    refused = Client(enforce_csrf_checks=True).post(survey_path(solved), {"satisfaction": "5"})
    assert refused.status_code == 403
    assert answers(solved) == (None, None)


def test_each_click_records_its_answer_and_the_last_one_counts(solved: Ticket) -> None:
    client = Client()
    path = survey_path(solved)
    since = last_event()

    first = client.post(path + "?lang=en", {"satisfaction": "4"})
    assert (first.status_code, first["Location"]) == (303, path + "?lang=en&answered=1")
    assert answers(solved) == (4, None)

    client.post(path, {"effort": "2"})
    assert answers(solved) == (4, 2)

    client.post(path, {"satisfaction": "5"})
    assert answers(solved) == (5, 2)
    assert outbox.topics(since=since) == ["support.ticket_rated"] * 3

    page = client.get(first["Location"]).content.decode()
    assert "Thank you for your answer." in text_of(page)
    assert re.findall(r'name="(\w+)" value="(\d)" aria-pressed="true"', page) == [
        ("satisfaction", "5"),
        ("effort", "2"),
    ]


def test_a_bad_answer_says_sorry_and_puts_the_ticket_back_in_the_queue(solved: Ticket) -> None:
    client = Client()

    response = client.post(survey_path(solved) + "?lang=en", {"satisfaction": "1"})
    page = text_of(client.get(response["Location"]).content.decode())

    assert "We are sorry it did not go well." in page
    assert "A person from our team will read your answer and get back to you." in page
    solved.refresh_from_db()
    assert (solved.status, solved.satisfaction, Ticket.objects.count()) == (Status.OPEN, 1, 1)
    assert solved.customer_waiting_since is not None
    assert solved.due_at is not None
    # Changing the answer, or answering the effort question, does not reopen it again.
    services.apply_status(solved, Status.SOLVED, actor=Actor.staff("eleni"), now=solved.updated_at)
    client.post(survey_path(solved) + "?lang=en", {"satisfaction": "2"})
    client.post(survey_path(solved) + "?lang=en", {"effort": "5"})
    solved.refresh_from_db()
    assert (solved.status, solved.satisfaction, solved.effort) == (Status.SOLVED, 2, 5)


def test_a_good_answer_leaves_the_ticket_solved(solved: Ticket) -> None:
    Client().post(survey_path(solved) + "?lang=en", {"satisfaction": "4"})
    solved.refresh_from_db()
    assert (solved.status, solved.satisfaction) == (Status.SOLVED, 4)


@pytest.mark.parametrize("value", ["0", "6", "five", "", "-1"])
def test_an_answer_out_of_the_scale_is_refused(solved: Ticket, value: str) -> None:
    since = last_event()

    response = Client().post(survey_path(solved) + "?lang=en", {"satisfaction": value})

    assert response.status_code == 400
    assert "Choose one of the numbers from 1 to 5." in text_of(response.content.decode())
    assert answers(solved) == (None, None)
    assert outbox.topics(since=since) == []


@pytest.mark.parametrize(
    "mangle",
    [lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), lambda token: "1", lambda token: "Ω" * 80],
    ids=["last-char", "bare-id", "junk"],
)
def test_a_bad_token_is_not_found(solved: Ticket, mangle: Any) -> None:
    token = mangle(links.survey_token(solved))

    assert Client().get(f"/support/rate/{token}/").status_code == 404
    assert Client().post(f"/support/rate/{token}/", {"satisfaction": "5"}).status_code == 404
    assert answers(solved) == (None, None)


def test_the_link_of_a_deleted_ticket_is_not_found(solved: Ticket) -> None:
    path = survey_path(solved)
    Ticket.objects.filter(pk=solved.pk).delete()

    assert Client().get(path).status_code == 404
    assert Customer.objects.count() == 1
