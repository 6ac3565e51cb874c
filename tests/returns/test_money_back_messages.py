"""The customer hears when the money is back: a refund e-mail, or the store credit with its code."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from emporos.core import clock
from emporos.customers.models import GiftCard
from tests.fulfillment.conftest import drain
from tests.returns.conftest import SOON, ask, delivered, receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
LINES = [{"sku": "TEA-100", "quantity": 1, "condition": "unopened", "restock": True}]


def returned(api: Client, resolution: str) -> str:
    number = delivered(api)
    with clock.frozen_at(SOON):
        body = {"lines": [{"sku": "TEA-100", "quantity": 1, "reason": "wrong_size", "condition": "unopened"}]}
        return_id = ask(api, number, {**body, "resolution": resolution}).json()["id"]
        drain()
    return str(return_id)


def of_kind(mailoutbox: list[Any], kind: str) -> list[Any]:
    return [mail for mail in mailoutbox if mail.extra_headers.get("X-Emporos-Kind") == kind]


def test_a_refunded_return_tells_the_customer_in_greek_once(api: Client, mailoutbox: list[Any]) -> None:
    return_id = returned(api, "refund")
    with clock.frozen_at(SOON):
        receive(api, return_id, LINES)
        receive(api, return_id, LINES)
        drain()
    (mail,) = of_kind(mailoutbox, "refund_issued")
    assert mail.to == ["maria@example.gr"]
    assert "σας επιστρέψαμε 19,90\xa0€" in mail.body


def test_store_credit_sends_the_gift_card_code(api: Client, mailoutbox: list[Any]) -> None:
    return_id = returned(api, "store_credit")
    with clock.frozen_at(SOON):
        receive(api, return_id, LINES)
        drain()
    card = GiftCard.objects.get()
    (mail,) = of_kind(mailoutbox, "store_credit")
    assert card.code in mail.body
    assert "19,90\xa0€" in mail.body
