"""Delay cases: one per problem however many events repeat it, opened by the job for silence and
missed days, closed when the parcel moves on, is delivered, or staff close it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client, override_settings

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.fulfillment import delays
from emporos.fulfillment.models import DelayCase, Shipment
from emporos.fulfillment.tracking import record_tracking
from emporos.outbox import selectors as outbox
from emporos.outbox.models import Event
from tests.conftest import timeline
from tests.fulfillment.tracking_helpers import THURSDAY, shipped, update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
CARRIER = Actor.system("carrier")


def record(shipment: Shipment, *updates: object, now: dt.datetime = THURSDAY + dt.timedelta(days=1)) -> None:
    with clock.frozen_at(now):
        record_tracking(carrier=shipment.carrier, updates=list(updates), actor=CARRIER)  # type: ignore[arg-type]


def cases(shipment: Shipment) -> list[tuple[str, str, str]]:
    return list(DelayCase.objects.filter(shipment=shipment).order_by("id").values_list("reason", "status", "outcome"))


def test_an_exception_repeated_five_times_opens_one_case_and_the_next_scan_closes_it(
    api: Client, catalog: None
) -> None:
    parcel = shipped(api)
    record(parcel, update(parcel, "t1", "in_transit", 4))
    before = Event.objects.order_by("id").last()
    for index in range(5):
        record(parcel, update(parcel, f"x{index}", "exception", 6 + index, description="Διεύθυνση ελλιπής"))
    assert cases(parcel) == [("exception", "open", "")]
    assert outbox.topics(since=before) == ["fulfillment.shipment_tracked", "fulfillment.delay_case_opened"]
    assert DelayCase.objects.get().detail == "Διεύθυνση ελλιπής · Αθήνα"

    record(parcel, update(parcel, "t2", "in_transit", 20))
    assert cases(parcel) == [("exception", "closed", "moved_on")]
    texts = [entry.text for entry in timeline(parcel.order)]
    assert "Delay case opened for parcel 1: carrier reported a problem." in texts
    assert "Delay case of parcel 1 closed: the parcel moved on." in texts


def test_a_failed_attempt_opens_a_case_that_delivery_closes(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    record(parcel, update(parcel, "o1", "out_for_delivery", 24), update(parcel, "a1", "delivery_attempted", 27))
    assert cases(parcel) == [("failed_attempt", "open", "")]
    record(parcel, update(parcel, "d1", "delivered", 50), now=THURSDAY + dt.timedelta(days=3))
    assert cases(parcel) == [("failed_attempt", "closed", "delivered")]


def test_the_job_opens_no_scan_after_two_working_days_and_not_again_once_staff_closed_it(
    api: Client, catalog: None
) -> None:
    parcel = shipped(api)  # Thursday 10:00
    record(parcel, update(parcel, "p1", "picked_up", 3))  # Thursday 13:00
    with clock.frozen_at(dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC)):  # Monday: Friday and Monday morning count
        assert delays.detect_delays(actor=CARRIER) == []
    with clock.frozen_at(dt.datetime(2026, 12, 7, 12, tzinfo=dt.UTC)):  # 48 working hours and more
        opened = delays.detect_delays(actor=CARRIER)
    assert [case.reason for case in opened] == ["no_scan"]
    with clock.frozen_at(dt.datetime(2026, 12, 7, 12, 15, tzinfo=dt.UTC)):
        assert delays.detect_delays(actor=CARRIER) == []
        delays.close_by_staff(shipment=parcel, actor=Actor.staff("eleni"))
    with clock.frozen_at(dt.datetime(2026, 12, 7, 12, 30, tzinfo=dt.UTC)):
        assert delays.detect_delays(actor=CARRIER) == []
    assert cases(parcel) == [("no_scan", "closed", "staff_closed")]


def test_a_scan_after_the_silence_closes_the_no_scan_case(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    record(parcel, update(parcel, "p0", "label_created", 0.5), now=THURSDAY + dt.timedelta(hours=1))
    silence = override_settings(EMPOROS={**settings.EMPOROS, "TRACKING_SILENCE_HOURS": 4})
    with silence, clock.frozen_at(THURSDAY + dt.timedelta(hours=6)):
        assert [c.reason for c in delays.detect_delays(actor=CARRIER)] == ["no_scan"]
    record(parcel, update(parcel, "p1", "picked_up", 7))
    assert cases(parcel) == [("no_scan", "closed", "moved_on")]


def test_the_job_opens_late_when_the_promised_day_passed(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    record(parcel, update(parcel, "p1", "in_transit", 3))
    parcel.refresh_from_db()
    assert parcel.expected_on == dt.date(2026, 12, 7)
    with clock.frozen_at(dt.datetime(2026, 12, 8, 6, tzinfo=dt.UTC)):
        opened = delays.detect_delays(actor=CARRIER)
    assert [case.reason for case in opened] == ["late"]
    record(parcel, update(parcel, "t9", "in_transit", 100), now=dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC))
    assert cases(parcel) == [("late", "open", "")]  # only delivery settles a missed day
    record(parcel, update(parcel, "d9", "delivered", 120), now=dt.datetime(2026, 12, 9, 9, tzinfo=dt.UTC))
    assert cases(parcel) == [("late", "closed", "delivered")]


def test_manual_parcels_without_any_event_are_not_watched(api: Client, catalog: None) -> None:
    shipped(api)
    with clock.frozen_at(dt.datetime(2026, 12, 7, 15, tzinfo=dt.UTC)):  # promised day, 2.5 working days on
        assert delays.detect_delays(actor=CARRIER) == []
