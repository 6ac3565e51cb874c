"""What each order state allows staff to do, and paying the whole outstanding amount."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from emporos.core.actor import Actor
from emporos.orders import errors, selectors, services
from emporos.orders.states import OrderAction, allowed_actions
from emporos.outbox.models import Event
from tests.conftest import place

A = OrderAction


@pytest.mark.parametrize(
    ("status", "owed", "expected"),
    [
        ("placed", "10", {A.NOTE, A.VERIFY, A.CONFIRM, A.HOLD, A.CANCEL, A.RECORD_PAYMENT}),
        ("confirmed", "0", {A.NOTE, A.VERIFY, A.START_PROCESSING, A.HOLD, A.CANCEL}),
        ("processing", "0", {A.NOTE, A.VERIFY, A.COMPLETE, A.HOLD, A.CANCEL}),
        ("on_hold", "5", {A.NOTE, A.VERIFY, A.RELEASE, A.CANCEL, A.RECORD_PAYMENT}),
        ("completed", "5", {A.NOTE, A.RECORD_PAYMENT}),
        ("cancelled", "5", {A.NOTE}),
    ],
)
def test_each_state_allows_its_actions(status: str, owed: str, expected: set[OrderAction]) -> None:
    assert allowed_actions(status=status, outstanding=Decimal(owed)) == expected


@pytest.mark.django_db
def test_the_outstanding_amount_is_recorded_only_for_money_the_shop_collects(api: Client, catalog: None) -> None:
    actor = Actor.system("tests")
    cod = selectors.order_for_update(place(api, payment={"method": "cash_on_delivery", "status": "pending"}))
    card = selectors.order_for_update(place(api, payment={"method": "card", "status": "authorized"}))

    services.record_outstanding_payment(order=cod, actor=actor)
    assert (cod.payment_status, cod.outstanding) == ("paid", Decimal(0))
    assert Event.objects.filter(topic="orders.payment_recorded").count() == 1
    with pytest.raises(errors.AlreadyPaid):
        services.record_outstanding_payment(order=cod, actor=actor)
    with pytest.raises(errors.NotCollectedByTheShop):
        services.record_outstanding_payment(order=card, actor=actor)
    assert Event.objects.filter(topic="orders.payment_recorded").count() == 1
