"""Real threads on PostgreSQL: carriers send the same events at the same moment (a webhook retried
while the first is still being handled). Each event is stored once, and one problem opens one case."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from emporos.core.actor import Actor
from emporos.fulfillment.models import DelayCase, TrackingEvent
from emporos.fulfillment.tracking import record_tracking
from emporos.outbox.models import Event
from tests.fulfillment.tracking_helpers import shipped, update
from tests.shipping.conftest import greece  # noqa: F401  (the fixture these tests use)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("greece")]
THREADS = 4


def test_the_same_events_posted_concurrently_are_stored_once_and_open_one_case(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    updates = [
        update(parcel, "c1", "picked_up", 2),
        update(parcel, "c2", "in_transit", 5),
        update(parcel, "c3", "exception", 9, description="Damaged label"),
    ]
    barrier = threading.Barrier(THREADS)
    results: list[Any] = [None] * THREADS

    def target(index: int) -> None:
        try:
            barrier.wait()
            results[index] = record_tracking(carrier=parcel.carrier, updates=updates, actor=Actor.system(f"t{index}"))
        except Exception as exc:  # noqa: BLE001 - the assertions look at it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted((r.accepted, r.duplicates) for r in results) == [(0, 3)] * (THREADS - 1) + [(3, 0)], results
    assert TrackingEvent.objects.filter(shipment=parcel).count() == 3
    assert list(DelayCase.objects.values_list("reason", "status")) == [("exception", "open")]
    assert Event.objects.filter(topic="fulfillment.shipment_tracked").count() == 1
    assert Event.objects.filter(topic="fulfillment.delay_case_opened").count() == 1
