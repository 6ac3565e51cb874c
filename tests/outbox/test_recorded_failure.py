"""A handler's RecordedFailure: its own writes are rolled back, its record is kept, and the
delivery is retried (or parked dead) as for any failure."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction

from emporos.access.models import ApiKey
from emporos.core import clock
from emporos.outbox.errors import RecordedFailure
from emporos.outbox.events import DomainEvent
from emporos.outbox.models import Delivery, DeliveryStatus
from emporos.outbox.registry import handles
from emporos.outbox.relay import deliver_due
from emporos.outbox.services import emit

pytestmark = pytest.mark.django_db

TOPIC = "tests.recorded_failure"


@dataclass(frozen=True)
class Tried(DomainEvent):
    topic = TOPIC
    label: str


def _key(name: str) -> ApiKey:
    return ApiKey(name=name, prefix=name[:16], key_hash=name, scopes=[], created_at=clock.now())


@handles(Tried, name="tests.records_and_fails")
def records_and_fails(event: Tried) -> None:
    _key(f"{event.label}-written").save()  # the handler's own write: rolled back
    if event.label == "bad-record":
        raise RecordedFailure("no answer", record=lambda: 1 / 0)
    raise RecordedFailure("no answer", record=_key(f"{event.label}-kept").save)


def test_the_record_is_kept_and_the_handlers_writes_are_not() -> None:
    with transaction.atomic():
        emit(Tried(label="one"))

    assert deliver_due(worker_id="test") == 1

    delivery = Delivery.objects.get(handler="tests.records_and_fails")
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.last_error == "emporos.outbox.errors.RecordedFailure: no answer"
    assert sorted(ApiKey.objects.values_list("name", flat=True)) == ["one-kept"]


def test_a_record_that_fails_is_only_logged(caplog: pytest.LogCaptureFixture) -> None:
    with transaction.atomic():
        emit(Tried(label="bad-record"))

    assert deliver_due(worker_id="test") == 1

    delivery = Delivery.objects.get(handler="tests.records_and_fails")
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert ApiKey.objects.count() == 0
    assert "the record of its failure could not be written" in caplog.text
