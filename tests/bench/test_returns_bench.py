"""bench/returns.py's raw-SQL baseline writes what the service writes.

The benchmark's ratio means something only if both sides do the same work: the same return, the
same lines, the same outbox event and timeline entry. Each request is made through the API, its
rows read back, rolled back, then made by the baseline's SQL on the same order, and compared.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import random
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from emporos.access.models import ApiKey
from emporos.outbox.models import Delivery, Event
from emporos.returns.models import Return, ReturnLine
from emporos.shop import selectors as shop
from emporos.timeline.models import Entry, Subject

BENCH = Path(__file__).resolve().parents[2] / "bench"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCH))
    try:
        yield importlib.import_module("returns")
    finally:
        sys.path.remove(str(BENCH))


def rows_of(order_id: int) -> dict[str, Any]:
    """What a return request leaves, without ids, UUIDs and the moment it ran."""
    returns = list(Return.objects.filter(order_id=order_id).order_by("sequence"))
    ids = {ret.pk: f"R{ret.sequence}" for ret in returns}
    now = dt.datetime.now(dt.UTC)
    for ret in returns:
        assert abs(ret.notice_at - now) < dt.timedelta(minutes=1)
        assert ret.created_at == ret.updated_at == ret.notice_at
    entries = list(Entry.objects.filter(subjects__kind="return", subjects__ref_id__in=ids).order_by("id"))
    events = list(Event.objects.filter(pk__in=[entry.event_id for entry in entries]).order_by("id"))

    def without_return_id(facts: dict[str, Any]) -> dict[str, Any]:
        return {**facts, "return_id": ids[facts["return_id"]]}

    return {
        "returns": [
            {
                field: getattr(ret, field)
                for field in (
                    "sequence",
                    "kind",
                    "status",
                    "resolution",
                    "channel",
                    "is_withdrawal_statement",
                    "window_ends",
                    "refund_due",
                    "first_scan_at",
                    "received_at",
                    "closed_at",
                    "fee",
                    "return_shipping_fee",
                    "shipping_refund",
                    "refund_id",
                    "carrier",
                    "tracking_number",
                    "iban",
                    "account_holder",
                    "note",
                    "actor",
                    "request_fingerprint",
                )
            }
            for ret in returns
        ],
        "lines": sorted(
            (
                ids[line.ret_id],
                line.order_line_id,
                line.sku,
                line.quantity,
                line.reason,
                line.condition,
                line.unit_refund,
            )
            for line in ReturnLine.objects.filter(ret__order_id=order_id)
        ),
        "events": [(event.topic, without_return_id(event.payload)) for event in events],
        "deliveries": Delivery.objects.filter(event__in=events).count(),
        "entries": [
            (entry.kind, without_return_id(entry.facts), entry.actor_kind, entry.actor_id, entry.actor_name)
            for entry in entries
        ],
        "subjects": sorted(
            (kind, ids.get(ref_id, ref_id) if kind == "return" else ref_id)
            for kind, ref_id in Subject.objects.filter(entry__in=entries).values_list("kind", "ref_id")
        ),
    }


def test_the_baseline_writes_the_rows_the_service_writes(bench: ModuleType) -> None:
    asks, key = bench.load_shop(orders=12, rng=random.Random(7))
    api = Client(headers={"Authorization": f"Bearer {key}"})
    row = ApiKey.objects.get(name=bench.API_KEY_NAME)
    actor = bench.Actor(key_id=row.prefix, name=row.name)
    dialect = bench.Dialect("pg" if connection.vendor == "postgresql" else "sqlite")
    connection.ensure_connection()

    def through_api(ask: Any) -> None:
        response = api.post(
            f"/api/v1/orders/EM-{ask.number}/returns",
            data=ask.body,
            content_type="application/json",
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert response.status_code == 201, response.content

    def through_sql(ask: Any) -> None:
        status = bench.request_return_sql(
            connection.connection, dialect, ask, str(uuid.uuid4()), actor, shop.current().time_zone, transact=False
        )
        assert status == 201

    full = partial = 0
    for ask in asks:
        point = transaction.savepoint()
        through_api(ask)
        service = rows_of(ask.order_id)
        transaction.savepoint_rollback(point)
        through_sql(ask)
        assert rows_of(ask.order_id) == service
        full += service["returns"][0]["shipping_refund"] > 0
        partial += service["returns"][0]["shipping_refund"] == 0
    assert full  # a full withdrawal (the shipping refunded too) was compared
    assert partial  # and a part

    # A second return of the same order: its sequence, and the units the first already sends back.
    first = next(ask for ask in asks if len(ask.lines) == 1)
    sku = first.lines[0][0]
    delivered = dict(
        connection.cursor()
        .execute("SELECT sku, quantity_delivered FROM orders_orderline WHERE order_id = %s", [first.order_id])
        .fetchall()
    )
    other = next(s for s in delivered if s != sku)
    second_lines = ((other, delivered[other], "wrong_size", "opened"),)
    second = bench.Ask(
        order_id=first.order_id,
        number=first.number,
        lines=second_lines,
        body=json.dumps(
            {"lines": [{"sku": other, "quantity": delivered[other], "reason": "wrong_size", "condition": "opened"}]}
        ).encode(),
    )
    # The first ask is on record from the loop (the baseline's); the second goes both ways.
    point = transaction.savepoint()
    through_api(second)
    service = rows_of(first.order_id)
    transaction.savepoint_rollback(point)
    through_sql(second)
    assert rows_of(first.order_id) == service
    assert [ret["sequence"] for ret in service["returns"]] == [1, 2]
