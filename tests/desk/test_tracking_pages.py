"""The desk's tracking pages: a parcel's carrier events (its page and the order's), the delay
cases with their close action, and the on-time report's chart; in English and in Hebrew."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.fulfillment.models import DelayCase, Shipment
from emporos.fulfillment.tracking import record_tracking
from tests.fulfillment.tracking_helpers import THURSDAY, shipped, update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
NOW = THURSDAY + dt.timedelta(days=2)


@pytest.fixture
def troubled(api: Client, catalog: None) -> Shipment:
    """A parcel the carrier could not deliver, and one delivered on time."""
    parcel, fine = shipped(api), shipped(api)
    with clock.frozen_at(NOW):
        record_tracking(
            carrier="manual",
            updates=[
                update(parcel, "a1", "out_for_delivery", 24),
                update(parcel, "a2", "delivery_attempted", 27, description="Ο παραλήπτης απουσίαζε"),
                update(fine, "f1", "delivered", 26),
            ],
            actor=Actor.system("carrier"),
        )
    return parcel


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_pages_render_in_english_and_hebrew(owner: Client, troubled: Shipment, language: str) -> None:
    owner.cookies["django_language"] = language
    with clock.frozen_at(NOW):
        pages = [
            f"/shipments/{troubled.public_id}/",
            f"/orders/{troubled.order.display_number}/",
            "/fulfillment/delays/",
            "/fulfillment/on-time/",
            "/fulfillment/",
        ]
        for path in pages:
            response = owner.get(path)
            assert response.status_code == 200, path
            body = response.content.decode()
            assert f'dir="{"rtl" if language == "he" else "ltr"}"' in body
    delays = owner.get("/fulfillment/delays/").content.decode()
    assert "Ο παραλήπτης απουσίαζε" in delays
    assert 'data-event="a2"' in owner.get(f"/shipments/{troubled.public_id}/").content.decode()
    assert 'data-event="a1"' in owner.get(f"/orders/{troubled.order.display_number}/").content.decode()


def test_the_on_time_chart_draws_a_bar_per_week_carrier_and_method(owner: Client, troubled: Shipment) -> None:
    with clock.frozen_at(NOW):
        body = owner.get("/fulfillment/on-time/").content.decode()
    assert body.count('class="chart__fill"') == 3
    assert 'width="100.0"' in body  # the delivered parcel came on time
    owner.cookies["django_language"] = "he"
    with clock.frozen_at(NOW):
        hebrew = owner.get("/fulfillment/on-time/").content.decode()
    assert 'class="chart__fill" x="0.0"' in hebrew  # grows from the right: starts at 100 - 100


def test_staff_close_a_case_from_the_list_and_a_second_close_is_refused(owner: Client, troubled: Shipment) -> None:
    case = DelayCase.objects.get()
    response = owner.post(f"/shipments/{troubled.public_id}/delay/close/")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_by) == ("closed", "staff_closed", "staff:owner-user")
    again = owner.post(f"/shipments/{troubled.public_id}/delay/close/", follow=True)
    assert "has no open delay case" in again.content.decode()


def test_only_staff_who_fulfil_see_and_close_delay_cases(make_staff: object, troubled: Shipment) -> None:
    support = make_staff("support")  # type: ignore[operator]
    assert support.get("/fulfillment/delays/").status_code == 403
    assert support.post(f"/shipments/{troubled.public_id}/delay/close/").status_code == 403
    assert DelayCase.objects.get().status == "open"
    assert support.get(f"/shipments/{troubled.public_id}/").status_code == 200


def test_a_parcel_that_left_before_its_promise_was_recorded_counts_by_the_orders(
    owner: Client, troubled: Shipment
) -> None:
    Shipment.objects.filter(delivered_at__isnull=False).update(expected_on=None)
    with clock.frozen_at(NOW):
        body = owner.get("/fulfillment/on-time/").content.decode()
    assert body.count('class="chart__fill"') == 3
