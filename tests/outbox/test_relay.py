"""The outbox: emit inside the transaction, retries with backoff, dead letters, replay."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import transaction

from emporos.core import clock
from emporos.outbox import selectors, services
from emporos.outbox.errors import EmitOutsideTransaction
from emporos.outbox.events import DomainEvent
from emporos.outbox.models import Delivery, Event
from emporos.outbox.registry import handles
from emporos.outbox.relay import backoff_delay, deliver_due
from emporos.outbox.services import emit

pytestmark = pytest.mark.django_db

calls: list[int] = []


@dataclass(frozen=True)
class Pinged(DomainEvent):
    topic = "tests.pinged"
    attempt_to_succeed: int


@handles(Pinged, name="tests.flaky")
def flaky(event: Pinged) -> None:
    assert event.meta is not None
    calls.append(event.meta.id)
    if calls.count(event.meta.id) < event.attempt_to_succeed:
        raise ConnectionError("provider down")


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    calls.clear()


@pytest.mark.django_db(transaction=True)
def test_emit_outside_a_transaction_is_refused() -> None:
    with pytest.raises(EmitOutsideTransaction):
        emit(Pinged(attempt_to_succeed=1))


def test_a_rollback_takes_the_event_and_its_deliveries_with_it() -> None:
    def change_that_fails() -> None:
        with transaction.atomic():
            emit(Pinged(attempt_to_succeed=1))
            raise RuntimeError("the state change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert (Event.objects.count(), Delivery.objects.count()) == (0, 0)


def test_a_failing_handler_is_retried_later_with_backoff() -> None:
    start = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    with clock.frozen_at(start), transaction.atomic():
        emit(Pinged(attempt_to_succeed=2))

    with clock.frozen_at(start):
        assert deliver_due(worker_id="w1") == 1
        assert deliver_due(worker_id="w1") == 0  # not due again yet
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "ConnectionError: provider down")
    assert start + dt.timedelta(seconds=8) <= delivery.due_at <= start + dt.timedelta(seconds=12)

    with clock.frozen_at(start + dt.timedelta(minutes=1)):
        assert deliver_due(worker_id="w1") == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("done", 2, "")


def test_after_the_last_attempt_the_delivery_is_dead_and_can_be_replayed(settings: object) -> None:
    with transaction.atomic():
        emit(Pinged(attempt_to_succeed=99))
    moment = clock.now()
    for attempt in range(8):
        with clock.frozen_at(moment + dt.timedelta(hours=attempt + 1)):
            deliver_due(worker_id="w1")

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("dead", 8)
    assert list(selectors.dead_deliveries()) == [delivery]

    services.replay_delivery(delivery_id=delivery.id)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)


def test_backoff_doubles_and_is_capped() -> None:
    assert dt.timedelta(seconds=8) <= backoff_delay(1) <= dt.timedelta(seconds=12)
    assert dt.timedelta(seconds=32) <= backoff_delay(3) <= dt.timedelta(seconds=48)
    assert backoff_delay(30) == dt.timedelta(hours=1)


def test_delayed_work_waits_for_its_due_time() -> None:
    start = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    with clock.frozen_at(start), transaction.atomic():
        emit(Pinged(attempt_to_succeed=1), deliver_at=start + dt.timedelta(hours=3))

    with clock.frozen_at(start + dt.timedelta(hours=2, minutes=59)):
        assert deliver_due(worker_id="w1") == 0
    with clock.frozen_at(start + dt.timedelta(hours=3)):
        assert deliver_due(worker_id="w1") == 1

    assert Delivery.objects.get().status == "done"
