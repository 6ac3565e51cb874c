"""The shop's own cases: a parcel running late (a delay case from tracking) becomes one ticket in
the support queue, raised by the shop, high priority, about the order and the parcel, with no
acknowledgement sent to the customer (nobody wrote yet)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from emporos.core import clock
from emporos.support.models import Channel, Direction, Priority, Ticket, Topic
from tests.fulfillment.conftest import drain
from tests.fulfillment.test_delays import record
from tests.fulfillment.tracking_helpers import THURSDAY, shipped, update
from tests.shipping.conftest import greece  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]


def test_a_delay_case_opens_one_ticket_however_often_the_carrier_repeats_it(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    for index in range(3):
        record(parcel, update(parcel, f"x{index}", "exception", 6 + index, description="Διεύθυνση ελλιπής"))

    with clock.frozen_at(THURSDAY + dt.timedelta(days=2)):
        drain()

    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.topic, ticket.priority) == (Channel.PROACTIVE, Topic.DELIVERY, Priority.HIGH)
    assert (ticket.order_id, ticket.shipment_id, ticket.customer_id) == (
        parcel.order_id,
        parcel.pk,
        parcel.order.customer_id,
    )
    (note,) = ticket.messages.all()
    assert note.direction == Direction.NOTE
    assert parcel.tracking_number in note.text
    assert ticket.reply_by is None
    assert ticket.due_kind == "first_response"
