"""Gift cards (store credit): issued with a balance, spent by order intake with one conditional
UPDATE inside the order's transaction; a refused order leaves the balance and the stock as they were."""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.customers.gift_cards import issue_gift_card
from emporos.customers.models import Customer, GiftCard, GiftCardRedemption
from emporos.inventory.models import StockLevel
from emporos.orders.models import Order
from tests.concurrency.test_intake_races import run_at_once
from tests.conftest import ACTOR, order_body, place, stock, timeline

pytestmark = [pytest.mark.usefixtures("catalog")]


@pytest.fixture
def maria(api: Client) -> Customer:
    place(api)  # Maria's first order makes her a customer
    return Customer.objects.get(email="maria@example.gr")


def post(api: Client, body: dict[str, Any], key: str | None = None) -> Any:
    return api.post(
        "/api/v1/orders",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": key or str(uuid.uuid4())},
    )


def paying(code: str, amount: str, **overrides: Any) -> dict[str, Any]:
    # 2 x 19.90 + 3.50 shipping = 43.30; the rest (if any) is still to be paid by card.
    return order_body(gift_card={"code": code, "amount": amount}, **{"payment": {"method": "card"}, **overrides})


def reserved() -> int:
    return sum(StockLevel.objects.values_list("reserved", flat=True))


@pytest.mark.django_db
def test_an_issued_gift_card_has_its_balance_and_says_so_on_the_customers_timeline(maria: Customer) -> None:
    card = issue_gift_card(
        amount=Decimal("25.00"), currency="EUR", customer=maria, source="return EM-10042-R1", actor=ACTOR
    )

    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", card.code)
    assert (card.initial, card.balance, card.currency, card.source) == (
        Decimal("25.00"),
        Decimal("25.00"),
        "EUR",
        "return EM-10042-R1",
    )
    assert timeline(maria)[-1].text == f"Gift card {card.code} issued: €25.00 to spend on orders."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount", "currency", "field"),
    [("0", "EUR", "amount"), ("-5", "EUR", "amount"), ("1.234", "EUR", "amount"), ("10", "XYZ", "currency")],
    ids=["zero", "negative", "too-precise", "unknown-currency"],
)
def test_a_gift_card_needs_an_amount_above_zero_in_a_known_currency(amount: str, currency: str, field: str) -> None:
    from emporos.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        issue_gift_card(amount=Decimal(amount), currency=currency, customer=None, source="sold", actor=ACTOR)

    assert [error.field for error in refused.value.errors] == [field]
    assert GiftCard.objects.count() == 0


@pytest.mark.django_db
def test_an_order_paid_exactly_by_the_balance_empties_the_card(api: Client, maria: Customer) -> None:
    card = issue_gift_card(amount=Decimal("43.30"), currency="EUR", customer=maria, source="gift", actor=ACTOR)

    response = post(api, paying(card.code.lower(), "43.30", payment={"method": "gift_card", "status": "paid"}))

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["total"], data["gift_card_amount"], data["amount_paid"]) == ("43.30", "43.30", "43.30")
    order = Order.objects.get(number=int(data["number"][3:]))
    card.refresh_from_db()
    assert card.balance == Decimal("0.00")
    assert list(GiftCardRedemption.objects.values_list("gift_card_id", "order_id", "amount")) == [
        (card.pk, order.pk, Decimal("43.30"))
    ]
    assert timeline(order)[0].text.endswith("€43.30 paid with a gift card.")


@pytest.mark.django_db
def test_a_part_paid_by_gift_card_leaves_the_rest_outstanding(api: Client, maria: Customer) -> None:
    card = issue_gift_card(amount=Decimal("50.00"), currency="EUR", customer=maria, source="gift", actor=ACTOR)

    response = post(api, paying(card.code, "10.00", payment={"method": "card", "status": "pending"}))

    assert response.status_code == 201, response.content
    order = Order.objects.get(number=int(response.json()["number"][3:]))
    assert (order.total, order.gift_card_amount, order.amount_paid, order.outstanding) == (
        Decimal("43.30"),
        Decimal("10.00"),
        Decimal("10.00"),
        Decimal("33.30"),
    )
    card.refresh_from_db()
    assert card.balance == Decimal("40.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "amount", "field", "problem"),
    [
        ("AAAA-BBBB-CCCC", "10.00", "gift_card.code", "gift_card_not_found"),
        (None, "20.01", "gift_card.amount", "gift_card_balance_too_low"),
        (None, "0.00", "gift_card.amount", "invalid_amount"),
    ],
    ids=["unknown-code", "balance-too-low", "zero"],
)
def test_a_refused_gift_card_names_the_field_and_writes_nothing(
    api: Client, maria: Customer, code: str | None, amount: str, field: str, problem: str
) -> None:
    card = issue_gift_card(amount=Decimal("20.00"), currency="EUR", customer=maria, source="gift", actor=ACTOR)
    before = (Order.objects.count(), reserved(), GiftCardRedemption.objects.count())

    response = post(api, paying(code or card.code, amount))

    assert response.status_code == 422, response.content
    assert [(error["field"], error["code"]) for error in response.json()["errors"]] == [(field, problem)]
    assert (Order.objects.count(), reserved(), GiftCardRedemption.objects.count()) == before
    card.refresh_from_db()
    assert card.balance == Decimal("20.00")


@pytest.mark.django_db
def test_a_gift_card_in_another_currency_is_refused(api: Client, maria: Customer) -> None:
    card = issue_gift_card(amount=Decimal("100.00"), currency="PLN", customer=maria, source="gift", actor=ACTOR)

    response = post(api, paying(card.code, "10.00"))

    assert response.status_code == 422, response.content
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("gift_card.code", "gift_card_currency")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_orders_racing_for_one_balance_spend_only_what_it_holds(api: Client, api_key: str) -> None:
    stock("TEA-100", 100)
    place(api)
    card = issue_gift_card(
        amount=Decimal("50.00"),
        currency="EUR",
        customer=Customer.objects.get(email="maria@example.gr"),
        source="gift",
        actor=ACTOR,
    )
    orders_before, reserved_before = Order.objects.count(), reserved()

    def buy(index: int) -> tuple[int, Any]:
        client = Client(headers={"Authorization": f"Bearer {api_key}"})
        response = client.post(
            "/api/v1/orders",
            data=json.dumps(paying(card.code, "10.00")),
            content_type="application/json",
            headers={"Idempotency-Key": f"gift-card-{index}"},
        )
        return response.status_code, response.json()

    results = run_at_once(10, buy)

    assert Counter(status for status, _ in results) == {201: 5, 422: 5}, results
    assert {body["errors"][0]["code"] for status, body in results if status == 422} == {"gift_card_balance_too_low"}
    card.refresh_from_db()
    assert card.balance == Decimal("0.00")
    assert Order.objects.count() == orders_before + 5
    assert reserved() == reserved_before + 10
    assert sorted(GiftCardRedemption.objects.values_list("amount", flat=True)) == [Decimal("10.00")] * 5
