"""Moving an order to another locker or pickup point: until its first label, with the timeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from emporos.core.errors import ValidationFailed
from emporos.fulfillment.models import Shipment
from emporos.fulfillment.pickup_points import (
    NotAPickupOrder,
    ParcelAlreadyLabelled,
    change_pickup_point,
    may_change,
)
from emporos.outbox.models import Event
from emporos.support import inbound
from emporos.support.models import Ticket
from tests.conftest import order_body, place, timeline
from tests.fulfillment.conftest import STAFF, confirm, order_of, ship
from tests.support.test_tickets import mail

LOCKER = {**order_body()["shipping_address"], "pickup_point": "BOXNOW-ATH-114"}


@pytest.fixture
def locker_order(api: Client, catalog: None) -> str:
    return place(api, shipping_address=LOCKER)


def test_before_the_first_label_the_point_changes_with_its_timeline_entry_and_event(locker_order: str) -> None:
    order = order_of(locker_order)
    assert may_change(order)
    change_pickup_point(order=order, point="  BOXNOW-ATH-205 ", note="Ο πελάτης μετακόμισε", actor=STAFF)
    order = order_of(locker_order)
    assert order.shipping_address["pickup_point"] == "BOXNOW-ATH-205"
    assert order.shipping_address["city"] == LOCKER["city"]  # the rest of the address untouched
    event = Event.objects.get(topic="fulfillment.pickup_point_changed")
    assert (event.payload["previous"], event.payload["point"]) == ("BOXNOW-ATH-114", "BOXNOW-ATH-205")
    english = timeline(order)[-1]
    assert english.text == "Pickup point changed from BOXNOW-ATH-114 to BOXNOW-ATH-205."
    assert english.note == "Ο πελάτης μετακόμισε"
    assert "BOXNOW-ATH-205" in timeline(order, language="he")[-1].text


def test_the_label_bought_afterwards_names_the_new_point(api: Client, locker_order: str) -> None:
    change_pickup_point(order=order_of(locker_order), point="BOXNOW-ATH-205", actor=STAFF)
    confirm(locker_order)
    assert ship(api, locker_order).status_code == 201
    assert Shipment.objects.get(order=order_of(locker_order)).pickup_point == "BOXNOW-ATH-205"


@pytest.mark.parametrize(
    ("point", "code"), [("", "required"), ("   ", "required"), ("BOXNOW-ATH-114", "unchanged"), ("A" * 101, "too_long")]
)
def test_a_point_that_is_empty_the_same_or_too_long_is_refused_next_to_the_field(
    locker_order: str, point: str, code: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        change_pickup_point(order=order_of(locker_order), point=point, actor=STAFF)
    first = refused.value.errors[0]
    assert (first.field, first.code) == ("point", code)
    assert not Event.objects.filter(topic="fulfillment.pickup_point_changed").exists()


def test_an_order_to_an_address_has_no_point_to_change(api: Client, catalog: None) -> None:
    order = order_of(place(api))
    assert not may_change(order)
    with pytest.raises(NotAPickupOrder, match="goes to an address"):
        change_pickup_point(order=order, point="BOXNOW-ATH-205", actor=STAFF)


def test_once_a_parcel_has_its_label_the_carrier_decides_and_nothing_changes(api: Client, locker_order: str) -> None:
    confirm(locker_order)
    assert ship(api, locker_order).status_code == 201
    order = order_of(locker_order)
    assert not may_change(order)
    with pytest.raises(ParcelAlreadyLabelled, match="carrier's app"):
        change_pickup_point(order=order, point="BOXNOW-ATH-205", actor=STAFF)
    assert order_of(locker_order).shipping_address["pickup_point"] == "BOXNOW-ATH-114"
    assert not Event.objects.filter(topic="fulfillment.pickup_point_changed").exists()


# --- from the support desk ------------------------------------------------------------------------


def _ticket_about(number: str) -> Ticket:
    inbound.accept(
        mail(sender="Maria <maria@example.gr>", subject=f"Order {number}", body="Can it go to another locker?"),
        source="imap",
    )
    return Ticket.objects.get()


def test_the_agent_changes_the_point_from_the_ticket(make_staff: Any, locker_order: str) -> None:
    agent = make_staff("support", "eleni")
    ticket = _ticket_about(locker_order)
    url = f"/support/{ticket.public_id}/"
    body = agent.get(url).content.decode()
    assert 'id="action-pickup_point"' in body
    assert "BOXNOW-ATH-114" in body
    empty = agent.post(url, {"action": "pickup_point", "pickup-point": ""})
    assert empty.status_code == 400
    assert 'class="field__error"' in empty.content.decode()
    done = agent.post(url, {"action": "pickup_point", "pickup-point": "BOXNOW-ATH-205", "pickup-note": ""})
    assert done.status_code == 303
    assert order_of(locker_order).shipping_address["pickup_point"] == "BOXNOW-ATH-205"
    assert "now goes to pickup point BOXNOW-ATH-205" in agent.get(done["Location"]).content.decode()


def test_the_desk_says_why_when_the_parcel_is_already_labelled(make_staff: Any, api: Client, locker_order: str) -> None:
    agent = make_staff("support", "eleni")
    ticket = _ticket_about(locker_order)
    confirm(locker_order)
    assert ship(api, locker_order).status_code == 201
    url = f"/support/{ticket.public_id}/"
    assert 'id="action-pickup_point"' not in agent.get(url).content.decode()
    refused = agent.post(url, {"action": "pickup_point", "pickup-point": "BOXNOW-ATH-205"})
    assert refused.status_code == 409
    assert "carrier&#x27;s app" in refused.content.decode() or "carrier's app" in refused.content.decode()
