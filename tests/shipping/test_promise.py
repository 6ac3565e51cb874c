"""Every shipped order keeps the delivery window its method promised when it was placed: recorded
once by the worker, on the timeline, in the order's API and on its page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from emporos.core import clock
from emporos.orders.models import Order
from emporos.outbox.models import Delivery
from emporos.outbox.relay import deliver_due
from emporos.shipping.models import DeliveryPromise
from tests.conftest import place, timeline

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
# Thursday 3 December 2026, 10:00 in Athens.
THURSDAY_MORNING = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)


def placed(api: Client, **overrides: object) -> Order:
    with clock.frozen_at(THURSDAY_MORNING):
        number = place(api, placed_at=THURSDAY_MORNING.isoformat(), **overrides)
        deliver_due(worker_id="tests")
    return Order.objects.get(number=int(number[3:]))


def test_the_worker_records_the_window_the_method_promised_once(api: Client) -> None:
    order = placed(api, shipping_method="courier-standard")

    promise = DeliveryPromise.objects.get(order=order)
    assert (promise.method_code, promise.earliest, promise.latest) == (
        "courier-standard",
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 7),
    )
    (english,) = [entry.text for entry in timeline(order) if entry.kind == "shipping.delivery_promised"]
    assert english == "Delivery promised between 4 Dec 2026 and 7 Dec 2026 (Courier Standard)."
    (greek,) = [entry.text for entry in timeline(order, language="el") if entry.kind == "shipping.delivery_promised"]
    assert greek == "Υπόσχεση παράδοσης: 4 Δεκ 2026 έως 7 Δεκ 2026 (Courier Standard)."

    # A delivery run again changes nothing.
    Delivery.objects.filter(handler="shipping.promise_delivery").update(status="pending")
    with clock.frozen_at(THURSDAY_MORNING + dt.timedelta(days=2)):
        deliver_due(worker_id="tests")
    assert DeliveryPromise.objects.filter(order=order).count() == 1
    assert [entry.kind for entry in timeline(order)].count("shipping.delivery_promised") == 1


def test_the_order_shows_its_promise_in_the_api_and_on_its_page(api: Client, owner: Client) -> None:
    order = placed(api, shipping_method="courier-standard")

    data = api.get(f"/api/v1/orders/{order.display_number}").json()
    assert data["promised_delivery"] == {"earliest": "2026-12-04", "latest": "2026-12-07"}
    page = owner.get(f"/orders/{order.display_number}/").content.decode()
    assert '<span id="promised-delivery">4 Dec 2026 – 7 Dec 2026</span>' in page


def test_an_order_with_a_method_the_shop_does_not_know_is_promised_nothing(api: Client) -> None:
    order = placed(api, shipping_method="pigeon-post")

    assert DeliveryPromise.objects.filter(order=order).count() == 0
    assert Delivery.objects.get(handler="shipping.promise_delivery").status == "done"
    assert api.get(f"/api/v1/orders/{order.display_number}").json()["promised_delivery"] is None
