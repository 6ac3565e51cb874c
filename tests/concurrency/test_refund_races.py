"""Real threads on PostgreSQL: two people give back the same money at the same moment. The row
lock makes the second one see the first: at most what was paid goes back, and the amounts, the
refunds, the status and the events agree."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from emporos.core.actor import Actor
from emporos.core.errors import ValidationFailed
from emporos.orders import selectors, services
from emporos.orders.models import Order, Refund
from emporos.outbox.models import Event
from tests.conftest import place, stock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("catalog")]
ROUNDS = 10


@pytest.fixture(autouse=True)
def _plenty_of_tea(catalog: None) -> None:
    stock("TEA-100", 1000)


def _race(number: str, amounts: list[Decimal]) -> list[Any]:
    barrier = threading.Barrier(len(amounts))
    results: list[Any] = [None] * len(amounts)

    def target(index: int, amount: Decimal) -> None:
        try:
            order = selectors.order_for_update(number)
            barrier.wait()
            results[index] = services.record_refund(
                order=order, amount=amount, reason="goodwill", actor=Actor.staff(f"agent-{index}")
            )
        except Exception as exc:  # noqa: BLE001 - the assertions look at it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i, amount)) for i, amount in enumerate(amounts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_refunds_racing_for_the_same_money_give_back_at_most_what_was_paid(api: Client) -> None:
    for _ in range(ROUNDS):
        number = place(api)  # 43.30 EUR paid by card

        results = _race(number, [Decimal("30.00"), Decimal("30.00")])

        refused = [r for r in results if isinstance(r, ValidationFailed)]
        done = [r for r in results if isinstance(r, services.RefundResult)]
        assert (len(done), len(refused)) == (1, 1), results
        assert [(e.field, e.code) for e in refused[0].errors] == [("amount", "too_much")]
        order = Order.objects.get(pk=done[0].order.pk)
        assert (order.amount_refunded, order.payment_status) == (Decimal("30.00"), "partially_refunded")
        assert Refund.objects.filter(order=order).count() == 1
        assert Event.objects.filter(topic="orders.refund_recorded", payload__order_id=order.pk).count() == 1


def test_refunds_that_fit_together_both_go_through(api: Client) -> None:
    number = place(api)

    results = _race(number, [Decimal("20.00"), Decimal("23.30")])

    assert all(isinstance(r, services.RefundResult) for r in results), results
    order = Order.objects.get(number=int(number.removeprefix("EM-")))
    assert (order.amount_refunded, order.payment_status) == (Decimal("43.30"), "refunded")
