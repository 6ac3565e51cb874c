"""The issue's acceptance, end to end: a delivered order, a return through the portal in Greek, the
label e-mailed (a real SMTP server on loopback), the return's first scan, and the refund issued
through Stripe exactly once although the receipt is sent three times and the worker is killed
while Stripe is answering: the next worker asks again with the same idempotency key and Stripe (a
loopback server answering with the recorded payloads, keeping keys as Stripe does) answers with
the refund it made the first time. Stock is back in the ledger once."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import connection
from django.test import Client

from emporos.inventory.models import StockLevel, StockMovement
from emporos.orders import links
from emporos.orders.models import Order, Refund
from emporos.returns.models import Return
from tests.returns.conftest import delivered, receive

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


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.original_content or b"", policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"

    def of_kind(self, kind: str) -> list[EmailMessage]:
        unique = {str(message["Message-ID"]): message for message in self.messages}
        return [message for message in unique.values() if message["X-Emporos-Kind"] == kind]


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    box = Inbox()
    server = Controller(box, hostname="127.0.0.1", port=port)
    server.start()
    try:
        yield box, port
    finally:
        server.stop()


def start_worker(log: Path, stripe: FakeStripe, smtp_port: int) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = dict(
        os.environ,
        EMPOROS_DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        DJANGO_SETTINGS_MODULE="emporos.config.settings",
        EMPOROS_STRIPE_SECRET_KEY="sk_test_emporos",
        EMPOROS_STRIPE_API_URL=stripe.url,
        EMPOROS_EMAIL_HOST="127.0.0.1",
        EMPOROS_EMAIL_PORT=str(smtp_port),
        EMPOROS_EMAIL_TLS="false",
        EMPOROS_EMAIL_FROM="Kali Mera <shop@kalimera.example>",
        EMPOROS_QUIET_HOURS="",  # the test runs at any hour; quiet hours have their own tests
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
    from emporos.notifications.models import Message
    from emporos.outbox.models import Delivery

    undone = list(Delivery.objects.exclude(status="done").values_list("handler", "status", "attempts", "last_error"))
    messages = list(Message.objects.values_list("kind", "status", "channel"))
    raise AssertionError(
        f"not reached within {seconds} s; undone: {undone}; messages: {messages}; worker log:\n"
        f"{log.read_text(errors='replace')[-3000:]}"
    )


def test_a_greek_portal_return_is_labelled_scanned_received_three_times_and_refunded_once(
    api: Client, stripe: FakeStripe, inbox: tuple[Inbox, int], tmp_path: Path
) -> None:
    mailbox, smtp_port = inbox
    # In real time: the worker in its own process runs on the real clock, and takes only what is due.
    now = dt.datetime.now(dt.UTC)
    number = delivered(
        api,
        placed=now - dt.timedelta(days=3),
        at=now - dt.timedelta(days=2),
        payment={"method": "card", "status": "paid", "provider": "stripe", "reference": "pi_3QEmpo"},
    )
    order = Order.objects.get(number=int(number.removeprefix("EM-")))
    form = links.status_path(order) + "return/?lang=el"
    sent = Client().post(
        form, {"line-0": "1", "qty-0": "1", "reason": "wrong_size", "condition": "unopened", "resolution": "refund"}
    )
    assert sent.status_code == 303, sent.content.decode()[:2000]
    ret = Return.objects.get()
    on_hand = StockLevel.objects.get(variant__sku="TEA-100").on_hand

    log = tmp_path / "worker.log"
    first = start_worker(log, stripe, smtp_port)
    try:
        # The label is made and e-mailed in Greek, with the link to it.
        wait_for(lambda: mailbox.of_kind("return_requested"), seconds=120, log=log)
        (mail,) = mailbox.of_kind("return_requested")
        text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert str(mail["To"]) == "maria@example.gr"
        assert "ετικέτα" in text.lower()
        label_path = urlsplit(re.search(r"https?://\S+/label\.pdf", text).group(0)).path  # type: ignore[union-attr]
        label = Client().get(label_path)
        assert (label.status_code, label["Content-Type"], label.content[:5]) == (200, "application/pdf", b"%PDF-")
        ret.refresh_from_db()
        assert ret.tracking_number == ret.display_number

        # The carrier's first scan of the parcel, then the warehouse receives it three times.
        scan = {"id": "scan-1", "status": "picked_up", "occurred_at": now.isoformat(), "location": "Αθήνα"}
        scanned = api.post(
            "/api/v1/tracking/events",
            {"carrier": ret.carrier, "tracking_number": ret.tracking_number, "events": [scan]},
            content_type="application/json",
        )
        assert scanned.status_code == 202, scanned.content
        assert Return.objects.get().status == "in_transit"
        lines = [{"sku": "TEA-100", "quantity": 1, "condition": "unopened", "restock": True}]
        answers = [receive(api, str(ret.public_id), lines) for _ in range(3)]
        assert [answer.status_code for answer in answers] == [200, 200, 200]
        refund_ids = {answer.json()["refund"]["id"] for answer in answers}
        assert len(refund_ids) == 1

        wait_for(stripe.arrived.is_set, seconds=120, log=log)
    finally:
        first.send_signal(signal.SIGKILL)  # killed while Stripe is answering
        first.wait(timeout=10)
    stripe.release.set()  # Stripe makes the refund; the worker that asked never hears of it
    second = start_worker(log, stripe, smtp_port)
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
    order.refresh_from_db()
    assert (str(order.amount_refunded), order.payment_status) == ("19.90", "partially_refunded")
    assert StockLevel.objects.get(variant__sku="TEA-100").on_hand == on_hand + 1
    assert list(StockMovement.objects.filter(reason="returned").values_list("reference", "on_hand_delta")) == [
        (ret.display_number, 1)
    ]
    assert Return.objects.get().status == "received"
    assert len(mailbox.of_kind("return_requested")) == 1
