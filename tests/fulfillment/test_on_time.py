"""Each shipment knows whether it keeps the order's promise; the report counts orders delivered
within it (S4). Deliveries are recorded by tracking (the next issue); here they are set directly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from emporos.core import clock
from emporos.fulfillment import selectors
from emporos.fulfillment.models import Shipment
from tests.conftest import place
from tests.fulfillment.conftest import confirm, drain, ship

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
# Thursday 3 December 2026, 10:00 in Athens: courier-standard promises 4 to 7 December.
THURSDAY = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)


def shipped(api: Client) -> Shipment:
    with clock.frozen_at(THURSDAY):
        number = place(api, shipping_method="courier-standard")
        drain()
        confirm(number)
        response = ship(api, number)
        assert response.status_code == 201, response.content
    return Shipment.objects.get(public_id=response.json()["id"])


def test_a_parcel_knows_whether_it_keeps_the_promise_and_the_report_counts_on_time_orders(
    api: Client, catalog: None
) -> None:
    early, late, travelling = shipped(api), shipped(api), shipped(api)
    assert early.expected_on == dt.date(2026, 12, 7)
    assert selectors.is_on_track(early, today=dt.date(2026, 12, 7)) is True
    assert selectors.is_on_track(travelling, today=dt.date(2026, 12, 8)) is False

    Shipment.objects.filter(pk=early.pk).update(delivered_at=dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC))
    Shipment.objects.filter(pk=late.pk).update(delivered_at=dt.datetime(2026, 12, 9, 10, tzinfo=dt.UTC))
    with clock.frozen_at(dt.datetime(2026, 12, 10, 10, tzinfo=dt.UTC)):
        report = selectors.on_time_report(since=dt.date(2026, 12, 1), until=dt.date(2026, 12, 31))
    assert (report.delivered, report.on_time, report.late_in_transit) == (2, 1, 1)
    assert str(report.share) == "50.0"

    data = api.get(f"/api/v1/shipments/{early.public_id}").json()
    assert data["expected_on"] == "2026-12-07"
    assert data["on_track"] is True
