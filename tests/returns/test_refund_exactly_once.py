"""The refund of a return goes back through Stripe exactly once: the receipt is sent three times,
and the worker is killed while Stripe is answering; the next worker asks again with the same
idempotency key and Stripe (a loopback server answering with the recorded payloads, keeping
keys as Stripe does) answers with the refund it made the first time."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.test import Client

from emporos.core import clock
from emporos.inventory.models import StockLevel, StockMovement
from emporos.orders.models import Order, Refund
from emporos.returns.models import Return
from tests.returns.conftest import SOON, ask, delivered, receive

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("greece")]
RECORDED = Path(__file__).parents[1] / "integrations" / "fixtures" / "stripe" / "refund_succeeded.json"


class FakeStripe(ThreadingHTTPServer):
    """POST /v1/refunds as Stripe answers it: one refund per Idempotency-Key, the same answer for a
    key seen before. The first request can be held, so a worker can be killed while it waits."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.keys: list[str] = []
        self.forms: list[dict[str, str]] = []
        self.refunds: dict[str, dict[str, Any]] = {}
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeStripe

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        key = self.headers.get("Idempotency-Key", "")
        stripe = self.server
        with stripe.lock:
            stripe.keys.append(key)
            stripe.forms.append(form)
            first = len(stripe.keys) == 1
        if first:
            stripe.arrived.set()
            stripe.release.wait(60)
        with stripe.lock:
            if key not in stripe.refunds:
                refund = json.loads(RECORDED.read_text())
                refund |= {
                    "id": f"re_test_{len(stripe.refunds) + 1}",
                    "amount": int(form["amount"]),
                    "currency": form.get("currency", "eur"),
                    "payment_intent": form.get("payment_intent"),
                }
                stripe.refunds[key] = refund
            body = json.dumps(stripe.refunds[key]).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Idempotency-Key", key)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the worker that asked is gone

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def stripe() -> Iterator[FakeStripe]:
    server = FakeStripe()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


def start_worker(log: Path, stripe: FakeStripe) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = dict(
        os.environ,
        EMPOROS_DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="emporos.config.settings",
        EMPOROS_STRIPE_SECRET_KEY="sk_test_emporos",
        EMPOROS_STRIPE_API_URL=stripe.url,
    )
    return subprocess.Popen(
        [sys.executable, "-m", "emporos.cli", "worker", "--no-tasks"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_for(condition: Any, *, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not reached within {seconds} s; worker log:\n{log.read_text(errors='replace')[-3000:]}")


def test_a_receipt_sent_three_times_and_a_killed_worker_refund_once(
    api: Client, stripe: FakeStripe, tmp_path: Path
) -> None:
    number = delivered(
        api, payment={"method": "card", "status": "paid", "provider": "stripe", "reference": "pi_3QEmpo"}
    )
    with clock.frozen_at(SOON):
        return_id = ask(
            api, number, {"lines": [{"sku": "TEA-100", "quantity": 1, "reason": "wrong_size", "condition": "unopened"}]}
        ).json()["id"]
    on_hand = StockLevel.objects.get(variant__sku="TEA-100").on_hand
    lines = [{"sku": "TEA-100", "quantity": 1, "condition": "unopened", "restock": True}]
    answers = [receive(api, return_id, lines) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    refund_ids = {answer.json()["refund"]["id"] for answer in answers}
    assert len(refund_ids) == 1
    assert answers[0].json()["refund"]["provider_status"] == "pending"

    log = tmp_path / "worker.log"
    first = start_worker(log, stripe)
    try:
        wait_for(stripe.arrived.is_set, seconds=120, log=log)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    stripe.release.set()  # Stripe makes the refund; the worker that asked never hears of it
    second = start_worker(log, stripe)
    try:
        wait_for(
            lambda: Refund.objects.filter(provider_status="succeeded", provider="stripe").exists(), seconds=120, log=log
        )
    finally:
        second.terminate()
        second.wait(timeout=20)

    assert len(stripe.refunds) == 1, "Stripe made more than one refund"
    assert len(stripe.keys) == 2, stripe.keys
    assert len(set(stripe.keys)) == 1, "a retry asked with another idempotency key"
    assert stripe.forms[0] == stripe.forms[1]
    assert (stripe.forms[0]["payment_intent"], stripe.forms[0]["amount"]) == ("pi_3QEmpo", "1990")
    refund = Refund.objects.get()
    assert (str(refund.amount), refund.provider_reference, refund.status) == ("19.90", "re_test_1", "issued")
    assert str(refund.public_id) in refund_ids
    order = Order.objects.get(number=int(number.removeprefix("EM-")))
    assert (str(order.amount_refunded), order.payment_status) == ("19.90", "partially_refunded")
    assert StockLevel.objects.get(variant__sku="TEA-100").on_hand == on_hand + 1
    assert StockMovement.objects.filter(reason="returned").count() == 1
    assert Return.objects.get().status == "received"
