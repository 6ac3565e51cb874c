"""Single-use coupons in order intake: the total is the lines and fees less the coupon, a coupon
is redeemed once inside the order's transaction, and a refused order writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.core import clock
from emporos.customers.coupons import issue_coupon
from emporos.customers.models import Coupon, Customer
from emporos.inventory.models import StockLevel
from emporos.orders.models import Order
from tests.conftest import ACTOR, order_body, place, timeline

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalog")]


@pytest.fixture
def maria(api: Client) -> Customer:
    place(api)  # Maria's first order makes her a customer
    return Customer.objects.get(email="maria@example.gr")


def post(api: Client, body: dict[str, Any]) -> Any:
    return api.post(
        "/api/v1/orders",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )


def with_coupon(code: str, total: str) -> dict[str, Any]:
    return order_body(coupon_code=code, total=total)  # 2 x 19.90 + 3.50 shipping = 43.30 before


def reserved() -> int:
    return sum(StockLevel.objects.values_list("reserved", flat=True))


def test_an_amount_coupon_comes_off_the_total_and_is_used_once(api: Client, maria: Customer) -> None:
    coupon = issue_coupon(actor=ACTOR, customer=maria, kind="amount", value=Decimal("5.00"), currency="EUR")

    response = post(api, with_coupon(coupon.code, "38.30"))

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["total"], data["discount_total"], data["coupon_code"]) == ("38.30", "5.00", coupon.code)
    order = Order.objects.get(number=int(data["number"][3:]))
    coupon.refresh_from_db()
    assert (coupon.redeemed_order_id, coupon.redeemed_at is not None) == (order.pk, True)
    assert timeline(order)[0].text.endswith(f"Coupon {coupon.code}: €5.00 off.")
    issued = next(entry for entry in timeline(maria) if entry.kind == "customers.coupon_issued")
    assert issued.text.startswith(f"Coupon {coupon.code} issued: €5.00 off one order, until ")

    before = (Order.objects.count(), reserved())
    again = post(api, with_coupon(coupon.code, "38.30"))
    assert (again.status_code, again.json()["code"]) == (409, "coupon_already_used")
    assert (Order.objects.count(), reserved()) == before


def test_a_percentage_coupon_takes_its_share_of_the_goods_not_of_shipping(api: Client, maria: Customer) -> None:
    coupon = issue_coupon(actor=ACTOR, customer=maria, kind="percent", value=Decimal("10"))

    response = post(api, with_coupon(coupon.code.lower(), "39.32"))  # 39.80 - 3.98 + 3.50

    assert response.status_code == 201, response.content
    assert response.json()["discount_total"] == "3.98"


def test_a_total_that_forgets_the_coupon_says_so(api: Client, maria: Customer) -> None:
    coupon = issue_coupon(actor=ACTOR, customer=maria, kind="amount", value=Decimal("5.00"), currency="EUR")

    response = post(api, with_coupon(coupon.code, "43.30"))

    assert response.status_code == 422
    assert "less the coupon (5.00) come to 38.30" in response.json()["errors"][0]["message"]
    assert Coupon.objects.get(pk=coupon.pk).redeemed_at is None


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (
            lambda maria: issue_coupon(actor=ACTOR, customer=None, kind="amount", value=Decimal(5), currency="PLN"),
            "coupon_currency",
        ),
        (
            lambda maria: issue_coupon(actor=ACTOR, customer=maria, kind="amount", value=Decimal(5), currency="EUR"),
            "coupon_expired",
        ),
        (
            lambda maria: issue_coupon(
                actor=ACTOR,
                customer=Customer.objects.create(
                    email="nikos@example.gr", name="Νίκος", created_at=clock.now(), updated_at=clock.now()
                ),
                kind="percent",
                value=Decimal(10),
            ),
            "unknown_coupon",
        ),
    ],
    ids=["other-currency", "expired", "another-customers"],
)
def test_a_coupon_that_does_not_apply_is_422_at_coupon_code(api: Client, maria: Customer, make: Any, code: str) -> None:
    coupon = make(maria)
    if code == "coupon_expired":
        Coupon.objects.filter(pk=coupon.pk).update(expires_at=clock.now() - dt.timedelta(minutes=1))
    before = (Order.objects.count(), reserved())

    response = post(api, with_coupon(coupon.code, "38.30"))

    assert response.status_code == 422, response.content
    assert next((e["field"], e["code"]) for e in response.json()["errors"]) == ("coupon_code", code)
    assert (Order.objects.count(), reserved()) == before


def test_an_unknown_code_is_422_and_a_guessed_one_teaches_nothing(api: Client, maria: Customer) -> None:
    response = post(api, with_coupon("AAAA-BBBB-CCCC", "38.30"))

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "There is no such coupon for this customer; check the code."
