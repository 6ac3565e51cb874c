"""Waves at the shop's cut-offs (F4, Q3): each takes only what is ready by its cut-off, express
first, and an order that misses one is in the next."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.fulfillment import waves
from emporos.fulfillment.models import FulfillmentOrder, Status, Wave
from tests.conftest import place
from tests.fulfillment.conftest import confirm, drain, order_of

pytestmark = pytest.mark.django_db

# Tuesday 1 December 2026 in Athens (UTC+2); the cut-offs are 12:00 and 17:00 local time.
DAY = dt.date(2026, 12, 1)


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, 1, hour - 2, minute, tzinfo=dt.UTC)


def placed(api: Client, moment: dt.datetime, **overrides: object) -> str:
    with clock.frozen_at(moment):
        number = place(api, **overrides)
        confirm(number)
        drain()
    return number


def numbers(wave: Wave | None) -> set[str]:
    assert wave is not None
    return {fo.order.display_number for fo in FulfillmentOrder.objects.filter(wave=wave).select_related("order")}


def test_the_noon_wave_takes_only_what_is_ready_and_an_express_order_at_1205_makes_the_1700_wave(
    api: Client, catalog: None
) -> None:
    ready = placed(api, at(9, 30))
    unpaid = placed(api, at(10, 0), payment={"method": "bank_transfer", "status": "pending"})
    waiting = placed(
        api,
        at(10, 30),
        lines=[{"sku": "MUG-1", "quantity": 3, "unit_price": "12.00"}],
        shipping_price="0.00",
        total="36.00",
    )
    with clock.frozen_at(at(11, 59)):
        assert waves.due_cutoff() is None  # 12:00 has not come yet
    express = placed(api, at(12, 5), express=True)

    with clock.frozen_at(at(12, 0)):
        assert waves.due_cutoff() == at(12, 0)
    with clock.frozen_at(at(12, 6)):
        noon = waves.form_due_wave()
        assert waves.due_cutoff() is None  # formed once
        assert waves.form_due_wave() is None
    assert noon is not None
    assert noon.reference == "W-2026-12-01-1200"
    assert numbers(noon) == {ready}
    assert FulfillmentOrder.objects.get(order=order_of(ready)).status == Status.IN_PROGRESS
    assert not FulfillmentOrder.objects.filter(order__in=[order_of(unpaid), order_of(waiting)], wave=noon).exists()

    with clock.frozen_at(at(17, 1)):
        evening = waves.form_due_wave()
    assert evening is not None
    assert evening.reference == "W-2026-12-01-1700"
    assert numbers(evening) == {express}


def test_with_a_capacity_express_orders_are_never_left_for_the_next_wave(api: Client, catalog: None) -> None:
    older = placed(api, at(9, 0))
    express = placed(api, at(11, 0), express=True)
    wave = waves.form_wave(cutoff_at=at(12, 0), actor=Actor.system("waves"), capacity=1)
    assert numbers(wave) == {express}
    later = waves.form_wave(cutoff_at=at(17, 0), actor=Actor.system("waves"), capacity=1)
    assert numbers(later) == {older}


def test_no_wave_on_a_public_holiday(api: Client, catalog: None) -> None:
    christmas = dt.datetime(2026, 12, 25, 16, 0, tzinfo=dt.UTC)
    with clock.frozen_at(christmas):
        assert waves.due_cutoff() is None
