"""Exchanges: the replacement is an order of its own, its stock reserved at once, paid by the
returned lines' value, held until the return is back unless the customer is trusted; a price
difference is left to pay or refunded once the goods are received."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.catalog.models import Variant
from emporos.core import clock
from emporos.customers.models import GiftCard
from emporos.inventory.models import StockLevel
from emporos.orders.models import Order
from emporos.returns.credit import issue_store_credit
from emporos.returns.errors import ReturnNotReceived, WrongResolution
from emporos.returns.exchanges import release_exchange, reserve_exchange
from emporos.returns.models import Return
from tests.conftest import ACTOR, stock, timeline
from tests.returns.conftest import ask, delivered, receive

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
SOON = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)


def exchange(sku: str = "TEA-250", resolution: str = "exchange") -> dict[str, Any]:
    return {
        "lines": [
            {"sku": "TEA-100", "quantity": 1, "reason": "wrong_size", "condition": "unopened", "exchange_sku": sku}
        ],
        "resolution": resolution,
    }


def requested(api: Client, body: dict[str, Any] | None = None, *, number: str | None = None) -> Return:
    number = number or delivered(api)
    with clock.frozen_at(SOON):
        response = ask(api, number, body or exchange())
    assert response.status_code == 201, response.content
    return Return.objects.select_related("order", "replacement_order").get(public_id=response.json()["id"])


def received(api: Client, ret: Return) -> Return:
    with clock.frozen_at(LATER):
        response = receive(
            api, str(ret.public_id), [{"sku": "TEA-100", "quantity": 1, "condition": "unopened", "restock": True}]
        )
    assert response.status_code == 200, response.content
    return Return.objects.select_related("order").get(pk=ret.pk)


def reserved(sku: str) -> int:
    return sum(StockLevel.objects.filter(variant__sku=sku).values_list("reserved", flat=True))


def test_an_exchange_reserves_the_new_variant_at_once_and_holds_it_until_the_return_is_back(api: Client) -> None:
    number = delivered(api)
    before = reserved("TEA-250")
    ret = requested(api, number=number)

    replacement = ret.replacement_order
    assert replacement is not None
    assert reserved("TEA-250") == before + 1
    assert (replacement.channel, replacement.status, replacement.hold_reason) == (
        "exchange",
        "on_hold",
        f"waiting for the return {ret.display_number}",
    )
    assert (replacement.customer_id, replacement.shipping_address) == (
        ret.order.customer_id,
        ret.order.shipping_address,
    )
    assert [(line.sku, line.quantity, line.unit_price) for line in replacement.lines.all()] == [
        ("TEA-250", 1, Decimal("19.90"))
    ]
    assert (replacement.payment_method, replacement.payment_status) == ("gift_card", "paid")
    assert (replacement.total, replacement.gift_card_amount, replacement.amount_paid) == (
        Decimal("19.90"),
        Decimal("19.90"),
        Decimal("19.90"),
    )
    card = GiftCard.objects.get()
    assert (card.source, card.balance) == (f"exchange {ret.display_number}", Decimal("0.00"))
    assert any(
        entry.text
        == f"Exchange for return {ret.display_number}: replacement order {replacement.display_number} placed, "
        "held until the return is back."
        for entry in timeline(ret.order)
    )

    with clock.frozen_at(SOON):
        again = reserve_exchange(ret=ret, actor=ACTOR)
    assert (again.replacement.pk, again.created) == (replacement.pk, False)
    assert (Order.objects.filter(channel="exchange").count(), reserved("TEA-250")) == (1, before + 1)
    with pytest.raises(ReturnNotReceived):
        release_exchange(ret=ret, actor=ACTOR)

    received(api, ret)  # receiving releases the replacement
    replacement.refresh_from_db()
    assert (replacement.status, replacement.hold_reason) == ("placed", "")


def test_a_trusted_customer_gets_the_replacement_before_the_return_is_back(api: Client, settings: Any) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "TRUSTED_CUSTOMER_ORDERS": 0}
    ret = requested(api)

    assert ret.replacement_order is not None
    assert ret.replacement_order.status == "placed"
    assert any(entry.text.endswith("placed and ships now (trusted customer).") for entry in timeline(ret.order))


def test_a_cheaper_variant_refunds_the_difference_once_the_return_is_received(api: Client) -> None:
    number = delivered(api)
    Variant.objects.filter(sku="TEA-250").update(price=Decimal("15.00"))
    ret = requested(api, number=number)

    replacement = ret.replacement_order
    assert replacement is not None
    assert (replacement.total, replacement.gift_card_amount, replacement.payment_status) == (
        Decimal("15.00"),
        Decimal("15.00"),
        "paid",
    )
    assert ret.order.amount_refunded == Decimal("0.00")

    ret = received(api, ret)
    with clock.frozen_at(LATER):
        twice = release_exchange(ret=ret, actor=ACTOR)

    assert twice is not None
    assert twice.amount == Decimal("4.90")
    assert Order.objects.get(pk=ret.order_id).amount_refunded == Decimal("4.90")


def test_a_dearer_variant_leaves_the_difference_to_pay(api: Client) -> None:
    number = delivered(api)
    Variant.objects.filter(sku="TEA-250").update(price=Decimal("25.00"))
    replacement = requested(api, number=number).replacement_order

    assert replacement is not None
    assert (replacement.payment_method, replacement.payment_status) == ("card", "pending")
    assert (replacement.total, replacement.gift_card_amount, replacement.outstanding) == (
        Decimal("25.00"),
        Decimal("19.90"),
        Decimal("5.10"),
    )


def test_an_exchange_for_another_product_is_refused_naming_the_line_and_writes_nothing(api: Client) -> None:
    number = delivered(api)
    before = (Order.objects.count(), GiftCard.objects.count(), reserved("MUG-1"))
    with clock.frozen_at(SOON):
        response = ask(api, number, exchange("MUG-1"))

    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("lines[0].exchange_sku", "exchange_other_product")
    ]
    assert (Order.objects.count(), GiftCard.objects.count(), reserved("MUG-1")) == before
    assert not Return.objects.exists()


def test_an_exchange_sku_without_stock_is_refused_and_writes_nothing(api: Client) -> None:
    number = delivered(api)
    stock("TEA-250", 0)
    before = (Order.objects.count(), GiftCard.objects.count())
    with clock.frozen_at(SOON):
        response = ask(api, number, exchange())

    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert (Order.objects.count(), GiftCard.objects.count()) == before
    assert not Return.objects.exists()


def test_a_refund_return_is_no_exchange(api: Client) -> None:
    ret = requested(api, exchange(resolution="refund"))

    with pytest.raises(WrongResolution):
        reserve_exchange(ret=ret, actor=ACTOR)


def test_store_credit_for_a_received_return_is_a_gift_card_for_the_customer_once(api: Client) -> None:
    ret = requested(api, exchange(resolution="store_credit"))
    with pytest.raises(ReturnNotReceived):
        issue_store_credit(ret=ret, amount=Decimal("19.90"), actor=ACTOR)
    ret = received(api, ret)  # receiving gives the credit

    card = GiftCard.objects.get()
    with clock.frozen_at(LATER):
        again = issue_store_credit(ret=ret, amount=Decimal("19.90"), actor=ACTOR)

    assert again.pk == card.pk
    assert (card.customer_id, card.balance, card.currency, card.source) == (
        ret.order.customer_id,
        Decimal("19.90"),
        "EUR",
        f"return {ret.display_number}",
    )
    assert Order.objects.get(pk=ret.order_id).amount_refunded == Decimal("0.00")
    assert any(
        entry.text == f"Store credit of €19.90 for return {ret.display_number}: gift card {card.code}."
        for entry in timeline(ret.order)
    )
    assert [entry.kind for entry in timeline(ret.order.customer)].count("returns.store_credit_issued") == 1
