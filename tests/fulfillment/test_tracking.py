"""Carrier events: stored once, never moving a parcel back, delivering the order's lines, and the
events and timeline entries they make."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.fulfillment.models import DelayCase, Shipment, TrackingEvent
from emporos.fulfillment.tracking import Fact, derive_status, record_tracking
from emporos.orders.models import OrderLine
from emporos.outbox import selectors as outbox
from emporos.outbox.models import Event
from emporos.timeline.models import Entry
from tests.conftest import timeline
from tests.fulfillment.tracking_helpers import THURSDAY, shipped, update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
CARRIER = Actor.system("carrier")
LATER = THURSDAY + dt.timedelta(days=2)


def record(shipment: Shipment, *updates: object) -> object:
    with clock.frozen_at(LATER):
        return record_tracking(carrier=shipment.carrier, updates=list(updates), actor=CARRIER)  # type: ignore[arg-type]


def at(hours: float) -> dt.datetime:
    return THURSDAY + dt.timedelta(hours=hours)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param([], ("label_created", None), id="nothing"),
        pytest.param([("in_transit", 2), ("picked_up", 1)], ("in_transit", 2), id="out-of-order"),
        pytest.param([("out_for_delivery", 5), ("in_transit", 6)], ("out_for_delivery", 5), id="late-scan-no-back"),
        pytest.param([("delivered", 5), ("in_transit", 6), ("exception", 7)], ("delivered", 5), id="delivered-final"),
        pytest.param([("in_transit", 2), ("exception", 3)], ("exception", 3), id="problem"),
        pytest.param([("in_transit", 2), ("exception", 3), ("in_transit", 4)], ("in_transit", 4), id="cleared"),
        pytest.param([("exception", 3), ("in_transit", 2)], ("exception", 3), id="older-scan-no-clear"),
        pytest.param(
            [("out_for_delivery", 5), ("delivery_attempted", 6), ("in_transit", 7)],
            ("delivery_attempted", 6),
            id="attempt-not-cleared-by-depot-scan",
        ),
        pytest.param(
            [("out_for_delivery", 5), ("delivery_attempted", 6), ("out_for_delivery", 30)],
            ("out_for_delivery", 30),
            id="second-attempt",
        ),
        pytest.param(
            [("out_for_delivery", 5), ("available_for_pickup", 7), ("in_transit", 8)],
            ("available_for_pickup", 7),
            id="pickup-after-out-for-delivery",
        ),
    ],
)
def test_the_status_is_derived_from_the_events_whatever_their_order(
    facts: list[tuple[str, float]], expected: tuple[str, float | None]
) -> None:
    for ordering in (facts, list(reversed(facts))):
        derived = derive_status(Fact(status, at(hours)) for status, hours in ordering)
        assert (derived.status, derived.status_at) == (expected[0], at(expected[1]) if expected[1] else None)


def test_replaying_the_same_events_three_times_changes_nothing(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    updates = [
        update(parcel, "e1", "picked_up", 3),
        update(parcel, "e2", "in_transit", 8, description="Στο κέντρο διαλογής"),
        update(parcel, "e3", "out_for_delivery", 24),
    ]
    first = record(parcel, *updates)
    assert (first.accepted, first.duplicates) == (3, 0)  # type: ignore[attr-defined]
    snapshot = (Event.objects.count(), Entry.objects.count(), TrackingEvent.objects.count())
    for _ in range(3):
        again = record(parcel, *updates)
        assert (again.accepted, again.duplicates) == (0, 3)  # type: ignore[attr-defined]
    assert (Event.objects.count(), Entry.objects.count(), TrackingEvent.objects.count()) == snapshot
    parcel.refresh_from_db()
    assert (parcel.status, parcel.status_at, parcel.last_event_at) == ("out_for_delivery", at(24), at(24))


def test_a_batch_moves_the_parcel_once_and_mid_way_scans_say_nothing(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    before = Event.objects.order_by("id").last()
    record(parcel, update(parcel, "e1", "picked_up", 3), update(parcel, "e2", "in_transit", 8))
    record(parcel, update(parcel, "e3", "in_transit", 12), update(parcel, "e4", "in_transit", 14))
    assert outbox.topics(since=before) == ["fulfillment.shipment_tracked"]
    parcel.refresh_from_db()
    assert (parcel.status, parcel.status_at, parcel.last_event_at) == ("in_transit", at(8), at(14))
    tracked = Event.objects.get(topic="fulfillment.shipment_tracked")
    assert tracked.payload == {
        "order_id": parcel.order_id,
        "shipment_id": parcel.pk,
        "status": "in_transit",
        "previous": "label_created",
        "occurred_at": at(8).isoformat(),
    }
    assert timeline(parcel.order)[-1].text == "Parcel 1 is on its way."


def test_events_out_of_order_never_move_a_parcel_back(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    record(parcel, update(parcel, "e5", "delivered", 30))
    record(parcel, update(parcel, "e3", "out_for_delivery", 24), update(parcel, "e1", "picked_up", 3))
    record(parcel, update(parcel, "e9", "exception", 40))
    parcel.refresh_from_db()
    assert (parcel.status, parcel.delivered_at, parcel.last_event_at) == ("delivered", at(30), at(40))
    assert list(
        Event.objects.filter(topic="fulfillment.shipment_tracked").values_list("payload__status", flat=True)
    ) == ["delivered"]
    assert DelayCase.objects.count() == 0


def test_delivered_counts_the_lines_delivered_on_the_order(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    record(parcel, update(parcel, "d1", "delivered", 26, description="Παραδόθηκε"))
    parcel.refresh_from_db()
    order = parcel.order
    order.refresh_from_db()
    assert (parcel.status, parcel.delivered_at) == ("delivered", at(26))
    assert list(OrderLine.objects.filter(order=order).values_list("quantity_shipped", "quantity_delivered")) == [(2, 2)]
    assert order.fulfillment_status == "delivered"


def test_an_event_dated_before_the_parcel_was_recorded_keeps_its_time(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    record(parcel, update(parcel, "early", "picked_up", -20))
    event = TrackingEvent.objects.get(carrier_event_id="early")
    assert (event.occurred_at, event.location, event.received_at) == (at(-20), "Αθήνα", LATER)
    parcel.refresh_from_db()
    assert (parcel.status, parcel.status_at) == ("picked_up", at(-20))


def test_a_locker_parcel_keeps_its_pickup_code_and_last_day(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    record(
        parcel,
        update(parcel, "p1", "available_for_pickup", 20, pickup_code="482913", pickup_until=dt.date(2026, 12, 7)),
    )
    parcel.refresh_from_db()
    assert (parcel.status, parcel.pickup_code, parcel.pickup_until) == (
        "available_for_pickup",
        "482913",
        dt.date(2026, 12, 7),
    )
    assert (
        timeline(parcel.order)[-1].text
        == "Parcel 1 is ready for pickup. Pickup code 482913. It waits until 7 Dec 2026."
    )


def test_unknown_tracking_numbers_are_counted_and_skipped(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    stray = update(parcel, "x1", "in_transit", 5)
    stray = type(stray)(**{**stray.__dict__, "tracking_number": "NOPE"})
    result = record(parcel, stray, update(parcel, "x2", "in_transit", 6))
    assert (result.accepted, result.duplicates, result.unknown) == (1, 0, ["NOPE"])  # type: ignore[attr-defined]
