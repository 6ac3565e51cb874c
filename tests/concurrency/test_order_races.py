"""Real threads on PostgreSQL: two people change one order at the same moment, each from what
they read. Exactly one wins, and the order, its payment and its timeline agree."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import Conflict
from emporos.orders import selectors, services
from emporos.orders.errors import OrderChangedMeanwhile
from emporos.orders.models import Order, Verification
from emporos.orders.states import is_ready_to_ship, queue_rank
from emporos.outbox.models import Event
from tests.conftest import place, stock, timeline_kinds

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("catalog")]
ROUNDS = 15
SUPPORT, BANK = Actor.staff("eleni"), Actor.system("bank")
Change = Callable[[Order], Any]


def race(number: str, first: Change, second: Change) -> list[Any]:
    """Both threads read the order, wait for each other, then change it from what they read."""
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def target(index: int, change: Change) -> None:
        try:
            order = selectors.order_for_update(number)
            barrier.wait()
            results[index] = change(order)
        except Exception as exc:  # noqa: BLE001 - the assertions look at it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i, change)) for i, change in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def winners(results: list[Any]) -> list[int]:
    losers = [i for i, result in enumerate(results) if isinstance(result, Conflict)]
    assert all(isinstance(r, Conflict | Order | Verification) for r in results), results
    return [i for i in range(len(results)) if i not in losers]


@pytest.fixture(autouse=True)
def _plenty_of_tea(catalog: None) -> None:
    stock("TEA-100", 1000)


def pending_order(api: Client) -> str:
    return place(api, payment={"method": "bank_transfer", "status": "pending"})


def topics_of(order: Order) -> list[str]:
    return list(Event.objects.filter(payload__order_id=order.pk).order_by("id").values_list("topic", flat=True))


def test_a_cancel_racing_a_payment_one_wins_and_everything_agrees(api: Client) -> None:
    outcomes = []
    for _ in range(ROUNDS):
        number = pending_order(api)
        results = race(
            number,
            lambda order: services.cancel_order(order=order, reason="Customer cancelled by phone", actor=SUPPORT),
            lambda order: services.record_payment(order=order, amount=Decimal("43.30"), actor=BANK),
        )
        (won,) = winners(results)
        order = Order.objects.get(number=int(number[3:]))
        kinds = timeline_kinds(order)
        if won == 0:  # the cancel
            assert isinstance(results[1], Conflict)
            assert (order.status, order.payment_status, order.amount_paid) == ("cancelled", "pending", Decimal("0.00"))
            assert "orders.payment_recorded" not in kinds
            assert kinds[-1] == "orders.order_cancelled"
            assert topics_of(order)[-1] == "orders.order_cancelled"
        else:  # the payment
            assert isinstance(results[0], OrderChangedMeanwhile)
            assert (order.status, order.payment_status, order.amount_paid) == ("placed", "paid", Decimal("43.30"))
            assert "orders.order_cancelled" not in kinds
            assert kinds[-1] == "orders.payment_recorded"
        assert kinds.count("orders.order_cancelled") + kinds.count("orders.payment_recorded") == 1
        outcomes.append(won)
    assert len(outcomes) == ROUNDS


def test_two_payments_of_the_whole_amount_record_it_once(api: Client) -> None:
    for _ in range(5):
        number = pending_order(api)
        pay: Change = lambda order: services.record_payment(order=order, amount=Decimal("43.30"), actor=BANK)  # noqa: E731
        results = race(number, pay, pay)
        assert len(winners(results)) == 1
        order = Order.objects.get(number=int(number[3:]))
        assert (order.payment_status, order.amount_paid) == ("paid", Decimal("43.30"))
        assert timeline_kinds(order).count("orders.payment_recorded") == 1


def test_a_verification_racing_a_cancel_is_never_recorded_after_it(api: Client) -> None:
    """A call recorded first and then a cancel is a true story; a call recorded on an order
    already cancelled is not: the call waits for the cancel's row lock and then misses."""
    for _ in range(5):
        number = pending_order(api)
        results = race(
            number,
            lambda order: services.cancel_order(order=order, reason="Duplicate", actor=SUPPORT),
            lambda order: services.verify_order(order=order, outcome="confirmed", note="", actor=SUPPORT),
        )
        won = winners(results)
        order = Order.objects.get(number=int(number[3:]))
        kinds = timeline_kinds(order)
        assert order.status == "cancelled"
        assert kinds[-1] == "orders.order_cancelled"
        if won == [0]:
            assert isinstance(results[1], OrderChangedMeanwhile)
            assert (Verification.objects.filter(order=order).count(), order.verified_at) == (0, None)
            assert "orders.order_verified" not in kinds
        else:
            assert won == [0, 1]
            assert kinds.index("orders.order_verified") < kinds.index("orders.order_cancelled")


def test_confirming_while_a_payment_lands_both_go_through(api: Client) -> None:
    """Confirming does not rest on the money, so a payment meanwhile is no reason to refuse it."""
    for _ in range(5):
        number = pending_order(api)
        results = race(
            number,
            lambda order: services.confirm_order(order=order, actor=SUPPORT),
            lambda order: services.record_payment(order=order, amount=Decimal("43.30"), actor=BANK),
        )
        assert winners(results) == [0, 1], results
        order = Order.objects.get(number=int(number[3:]))
        assert (order.status, order.payment_status) == ("confirmed", "paid")


def overdue_order(api: Client) -> str:
    placed = (clock.now() - dt.timedelta(days=5)).isoformat()
    return place(api, payment={"method": "bank_transfer", "status": "pending"}, placed_at=placed)


def test_the_overdue_check_racing_a_cancel_never_flags_a_cancelled_order(api: Client) -> None:
    for _ in range(5):
        number = overdue_order(api)
        results = race(
            number,
            lambda order: services.cancel_order(order=order, reason="Duplicate", actor=SUPPORT),
            lambda order: services.flag_overdue_orders(),
        )
        assert not isinstance(results[1], Exception), results
        order = Order.objects.get(number=int(number[3:]))
        kinds = timeline_kinds(order)
        assert order.status == "cancelled"
        assert kinds[-1] == "orders.order_cancelled"  # an overdue flag, if any, came before


def test_a_payment_racing_the_overdue_check_leaves_the_rank_its_facts_give(api: Client) -> None:
    for _ in range(5):
        number = overdue_order(api)
        results = race(
            number,
            lambda order: services.record_payment(order=order, amount=Decimal("43.30"), actor=BANK),
            lambda order: services.flag_overdue_orders(),
        )
        assert isinstance(results[0], Order), results
        services.flag_overdue_orders()  # a flag that missed the race is taken on the next run
        order = Order.objects.get(number=int(number[3:]))
        assert order.overdue_flagged_at is not None
        expected = queue_rank(
            is_overdue=True,
            is_express=order.is_express,
            ready_to_ship=is_ready_to_ship(payment_status=order.payment_status, payment_method=order.payment_method),
        )
        assert (order.payment_status, order.queue_rank) == ("paid", expected)
