"""A bad answer to the satisfaction check after delivery opens a ticket at once, high priority, with
the customer's comment, acknowledged; a good answer opens nothing; changing the answer to bad again
opens no second ticket."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.feedback import services as feedback
from emporos.support.models import Channel, Direction, Priority, Ticket
from tests.feedback.conftest import DUE, asked, delivered_with_check
from tests.fulfillment.conftest import drain
from tests.shipping.conftest import greece  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]


def answer(check: object, score: int, comment: str, *, hours: int) -> None:
    with clock.frozen_at(DUE + dt.timedelta(hours=hours)):
        feedback.answer_check(check=check, score=score, comment=comment, actor=Actor.system("customer"))  # type: ignore[arg-type]
        drain()


def test_a_bad_answer_opens_one_ticket_with_the_comment(api: Client) -> None:
    check = asked(delivered_with_check(api))

    answer(check, 1, "Το κουτί ήρθε σκισμένο.", hours=1)
    answer(check, 4, "", hours=2)
    answer(check, 2, "Τελικά όχι, λείπει ένα τεμάχιο.", hours=3)

    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.priority, ticket.order_id) == (Channel.SURVEY, Priority.HIGH, check.order_id)
    assert ticket.messages.get(direction=Direction.IN).text == "Το κουτί ήρθε σκισμένο."
    assert ticket.reply_by is not None
    assert ticket.messages.filter(automatic="acknowledgement").count() == 1


def test_a_good_answer_opens_nothing(api: Client) -> None:
    check = asked(delivered_with_check(api))

    answer(check, 5, "Τέλεια!", hours=1)

    assert Ticket.objects.count() == 0
