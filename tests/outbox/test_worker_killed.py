"""A worker killed with SIGKILL mid-delivery, then restarted: every event delivered, none twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from emporos.core.actor import Actor
from emporos.notifications.models import Message
from emporos.notifications.services import save_policy
from emporos.orders.events import OrderPlaced
from emporos.orders.services.intake import AddressDraft, CustomerDraft, LineDraft, OrderDraft, place_order
from emporos.outbox.models import Delivery
from emporos.outbox.registry import handlers_for
from emporos.timeline.models import Entry
from tests.conftest import make_product

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ORDERS = 400


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, EMPOROS_DATABASE_URL=database_url(), DJANGO_SETTINGS_MODULE="emporos.config.settings")
    return subprocess.Popen(
        [sys.executable, "-m", "emporos.cli", "worker", "--no-tasks"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_for(condition: object, *, seconds: float, explain: object = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    detail = explain() if explain else ""  # type: ignore[operator]
    raise AssertionError(f"not reached within {seconds} s{detail}")


def stuck(log: Path) -> str:
    """What is left undone and the worker's last words, so a timeout says why."""
    left = Counter(
        Delivery.objects.exclude(status="done").values_list(
            "event__topic", "handler", "status", "attempts", "last_error"
        )
    )
    tail = log.read_text(errors="replace")[-4000:]
    return f"\nundone deliveries: {dict(left.most_common(12))}\nworker log tail:\n{tail}"


def done() -> int:
    """Deliveries of the placed orders' event done (setting up the catalog has its own)."""
    return Delivery.objects.filter(status="done", event__topic=OrderPlaced.topic).count()


def drained() -> bool:
    return (
        done() == ORDERS * len(handlers_for(OrderPlaced.topic)) and not Delivery.objects.exclude(status="done").exists()
    )


def test_sigkill_mid_delivery_loses_nothing_and_repeats_nothing(locations: object, tmp_path: Path) -> None:
    # Whatever the hour the suite runs at, the "order received" messages go out now, not in the morning.
    save_policy(messages_per_order_day=5, quiet_hours="", actor=Actor.system("tests"))
    make_product("ebook", ["EBOOK-9"], price="1.00", mode="digital")
    for index in range(ORDERS):
        draft = OrderDraft(
            channel="web",
            currency="EUR",
            customer=CustomerDraft(email=f"reader{index}@example.com", name=f"Reader {index}"),
            lines=[LineDraft(sku="EBOOK-9", quantity=1, unit_price=Decimal("1.00"))],
            payment_method="card",
            payment_status="paid",
            total=Decimal("1.00"),
            billing_address=AddressDraft(name="R", line1="1 Main", city="Haifa", postal_code="3100001", country="IL"),
        )
        place_order(draft=draft, actor=Actor.system("tests"))
    log = tmp_path / "worker.log"

    first = start_worker(log)
    try:
        wait_for(lambda: done() >= 40, seconds=60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    delivered_before_restart = done()
    # Every handler of a placed order has its delivery (the "order received" request, the promise...).
    deliveries = ORDERS * len(handlers_for(OrderPlaced.topic))
    assert delivered_before_restart < deliveries, "the worker finished before it could be killed"

    second = start_worker(log)
    try:
        wait_for(drained, seconds=180, explain=lambda: stuck(log))
    finally:
        second.terminate()
        second.wait(timeout=20)

    assert Counter(Delivery.objects.filter(event__topic=OrderPlaced.topic).values_list("status", flat=True)) == {
        "done": deliveries
    }
    # Nothing else is left behind either (the catalog's own event from setting up the product).
    assert set(Delivery.objects.values_list("status", flat=True)) == {"done"}
    assert Message.objects.count() == ORDERS
    assert Message.objects.values("order").distinct().count() == ORDERS
    assert Entry.objects.filter(kind="notifications.message_sent").count() == ORDERS
