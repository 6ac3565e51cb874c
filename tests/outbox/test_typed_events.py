"""Typed events: each topic one frozen dataclass, committed in docs/topics.json, never reused;
handlers registered with a class and given the dataclass rebuilt from the stored payload."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from emporos.outbox import registry
from emporos.outbox.events import (
    JSON_FIELD_TYPES,
    DomainEvent,
    event_class,
    event_classes,
    field_types,
    required_fields,
)
from emporos.outbox.models import Delivery, Event
from emporos.outbox.relay import deliver_due
from emporos.outbox.services import emit

TOPICS = json.loads((Path(__file__).resolve().parents[2] / "docs" / "topics.json").read_text())
COMMITTED = {topic: spec for topic, spec in TOPICS.items() if not topic.startswith("_")}
# Topics defined by the tests themselves.
TEST_TOPICS = {"tests.pinged", "tests.typed", "tests.recorded_failure"}
SAMPLES: dict[str, Any] = {
    "int": 42,
    "str": "EM-10001",
    "bool": True,
    "list[int]": [1, 2, 3],
    "list[str]": ["email", "sms"],
    "int | None": None,
    "str | None": None,
}


def app_classes() -> dict[str, type[DomainEvent]]:
    return {topic: cls for topic, cls in event_classes().items() if topic not in TEST_TOPICS}


def test_every_topic_is_committed_with_its_meaning() -> None:
    missing = sorted(set(app_classes()) - set(COMMITTED))
    assert missing == [], f"add these topics with their meaning and fields to docs/topics.json: {missing}"
    for topic, spec in COMMITTED.items():
        assert spec["meaning"].strip(), topic


def test_a_retired_topic_is_never_reused_and_a_live_one_never_vanishes() -> None:
    retired = {topic for topic, spec in COMMITTED.items() if spec.get("retired")}
    assert sorted(retired & set(app_classes())) == []
    vanished = sorted(set(COMMITTED) - retired - set(app_classes()))
    assert vanished == [], f"mark these topics retired in docs/topics.json, never delete them: {vanished}"


@pytest.mark.parametrize("topic", sorted(set(COMMITTED) - {t for t, s in COMMITTED.items() if s.get("retired")}))
def test_fields_are_only_ever_added_and_keep_their_types(topic: str) -> None:
    cls = event_class(topic)
    committed, current = COMMITTED[topic]["fields"], field_types(cls)
    assert {name: current.get(name) for name in committed} == committed, "a field was removed or retyped"
    assert sorted(set(current) - set(committed)) == [], "commit the new fields in docs/topics.json"
    assert set(current.values()) <= JSON_FIELD_TYPES, "payload fields must survive JSON as they are"
    # A field added after the first version needs a default: payloads stored before it lack it.
    late = sorted(set(required_fields(cls)) - set(COMMITTED[topic]["required"]))
    assert late == [], f"give these fields a default, older {topic} payloads lack them: {late}"


@pytest.mark.parametrize("topic", sorted(event_classes()))
def test_payloads_round_trip_through_json(topic: str) -> None:
    cls = event_class(topic)
    assert dataclasses.is_dataclass(cls)
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    event = cls(**{name: SAMPLES[kind] for name, kind in field_types(cls).items()})
    stored = json.loads(json.dumps(event.payload()))
    assert cls.from_payload(stored) == event
    assert "meta" not in stored


def test_every_handler_is_registered_with_a_known_class() -> None:
    handlers = registry.all_handlers()
    assert [handler.name for handler in handlers if handler.event_class is not event_class(handler.topic)] == []
    assert "notifications.order_received" in {handler.name for handler in handlers}


def test_a_topic_cannot_be_claimed_by_a_second_class() -> None:
    with pytest.raises(TypeError, match="already belongs to"):

        @dataclasses.dataclass(frozen=True)
        class Impostor(DomainEvent):
            topic = "orders.order_placed"
            order_id: int

    with pytest.raises(TypeError, match="already belongs to"):
        # Same name, another module: still another class.
        type("OrderPlaced", (DomainEvent,), {"topic": "orders.order_placed", "__module__": "elsewhere"})


@pytest.mark.django_db
def test_emit_takes_only_new_typed_events() -> None:
    with pytest.raises(TypeError), transaction.atomic():
        emit({"topic": "orders.order_placed"})  # type: ignore[arg-type]


@dataclasses.dataclass(frozen=True)
class Typed(DomainEvent):
    topic = "tests.typed"
    order_id: int
    codes: list[str]


received: list[Typed] = []


@registry.handles(Typed, name="tests.typed_receiver")
def receive(event: Typed) -> None:
    received.append(event)


@pytest.mark.django_db
def test_a_handler_receives_the_dataclass_with_its_stored_event() -> None:
    received.clear()
    with transaction.atomic():
        stored = emit(Typed(order_id=7, codes=["a", "b"]))

    assert deliver_due(worker_id="tests") == 1

    (event,) = received
    assert event == Typed(order_id=7, codes=["a", "b"])
    assert event.meta is not None
    assert (event.meta.id, event.meta.uuid) == (stored.pk, stored.uuid)
    assert Delivery.objects.get(event=stored).status == "done"


@pytest.mark.django_db
def test_an_older_payload_missing_a_later_field_or_with_a_dropped_one_still_loads() -> None:
    received.clear()
    with transaction.atomic():
        row = emit(Typed(order_id=1, codes=[]))
    Event.objects.filter(pk=row.pk).update(payload={"order_id": 1, "codes": [], "dropped_later": "x"})

    deliver_due(worker_id="tests")

    assert received == [Typed(order_id=1, codes=[])]
