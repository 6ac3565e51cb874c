"""The issue's acceptance, end to end: real SMTP on loopback, a real worker process killed with
SIGKILL in the middle, every BOX NOW webhook posted three times. The customers receive exactly
their milestones: received, shipped, ready for pickup, delivered, and one problem message for
the parcel that got lost, however often the carrier repeats it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from emporos.fulfillment.models import DelayCase, Shipment, TrackingEvent
from emporos.notifications.models import Message
from emporos.orders import links
from emporos.outbox.models import Delivery
from tests.conftest import place, stock
from tests.fulfillment.conftest import confirm, order_of, ship
from tests.shipping.conftest import greece  # noqa: F401  (the fixture: methods to ship with)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("greece")]

SECRET = "boxnow-webhook-secret-for-acceptance"
BOXNOW = {**settings.EMPOROS["BOXNOW"], "WEBHOOK_SECRET": SECRET}
CUSTOMERS = [
    ("el", "eleni@example.gr", "Ελένη Ρήγα", "+306912345601"),
    ("he", "noa@example.co.il", "נועה לוי", "+972531234567"),
    ("en", "sam@example.com", "Sam Carter", "+306912345603"),
    ("pl", "ola@example.pl", "Aleksandra Nowak", "+48512345678"),
    ("el", "nikos@example.gr", "Νίκος Ζάχος", "+306912345605"),
    ("he", "dan@example.co.il", "דן כהן", "+972531234568"),
]
LOST = 3  # the fourth customer's parcel is lost on the way
JOURNEY = ["accepted-to-locker", "in-depot", "in-depot", "final-destination", "delivered"]
LOST_JOURNEY = ["accepted-to-locker", "in-depot", "lost", "lost"]
MILESTONES = ["order_received", "shipped", "ready_for_pickup", "delivered"]


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.original_content or b"", policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_worker(log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "emporos.cli", "worker", "--no-tasks"],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_for(condition: Callable[[], bool], *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"not reached within {seconds} s")


def webhook(parcel_id: str, number: str, event: str, index: int, at: dt.datetime) -> bytes:
    """A BOX NOW parcel event as its webhooks send it (CloudEvents envelope, data signed with HMAC)."""
    moment = (at + dt.timedelta(hours=index)).isoformat().replace("+00:00", "Z")
    data = {
        "parcelId": parcel_id,
        "parcelState": event,
        "parcelPin": "120" + parcel_id[-3:] if event == "final-destination" else None,
        "orderNumber": number,
        "event": event,
        "eventLocation": {"displayName": "BOX NOW Σύνταγμα (Ερμού 2)", "postalCode": "10563"},
        "time": moment,
    }
    signed = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    signature = hmac.new(SECRET.encode(), signed.encode(), hashlib.sha256).hexdigest()
    envelope = (
        '{"specversion":"1.0","type":"gr.boxnow.parcel_event_change","source":"https://api-production.boxnow.gr",'
        f'"subject":"{parcel_id}","id":"{parcel_id}-{index}","time":"{moment}",'
        f'"datacontenttype":"application/json","datasignature":"{signature}","data":{signed}}}'
    )
    return envelope.encode()


def outbox_settled() -> bool:
    """Nothing due is left undone. The satisfaction question a day after delivery is due later, so
    it waits (pending) by design; the test checks it separately."""
    return (
        not Delivery.objects.filter(status="dead").exists()
        and not Delivery.objects.filter(status="pending", due_at__lte=dt.datetime.now(dt.UTC)).exists()
        and not Message.objects.filter(status__in=["pending", "deferred"]).exists()
    )


@override_settings(EMPOROS={**settings.EMPOROS, "BOXNOW": BOXNOW})
def test_customers_hear_each_milestone_once_through_replays_and_a_killed_worker(
    api: Client, client: Client, catalog: None, tmp_path: Path
) -> None:
    # Orders placed, confirmed and shipped by BOX NOW (the label's purchase is the fulfillment tests').
    stock("TEA-100", 2 * len(CUSTOMERS))
    parcels: list[tuple[str, Shipment]] = []
    for index, (language, email, name, phone) in enumerate(CUSTOMERS):
        customer = {"email": email, "name": name, "phone": phone, "language": language}
        number = place(api, customer=customer)
        confirm(number)
        assert ship(api, number).status_code == 201
        parcel_id = f"92197092{index:02d}"
        Shipment.objects.filter(order=order_of(number)).update(
            carrier="boxnow", tracking_number=parcel_id, carrier_reference=parcel_id
        )
        parcels.append((number, Shipment.objects.get(order=order_of(number))))
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=8)
    hooks = [
        webhook(parcel.tracking_number, f"{number}/1", event, step, start)
        for index, (number, parcel) in enumerate(parcels)
        for step, event in enumerate(LOST_JOURNEY if index == LOST else JOURNEY)
    ]

    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    db = connection.settings_dict
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="emporos.config.settings",
        EMPOROS_DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        EMPOROS_EMAIL_HOST="127.0.0.1",
        EMPOROS_EMAIL_PORT=str(smtp.port),
        EMPOROS_EMAIL_TLS="false",
        EMPOROS_EMAIL_FROM="Kali Mera <shop@kalimera.example>",
        EMPOROS_QUIET_HOURS="",  # the test runs at any hour; quiet hours have their own tests
        EMPOROS_SMS_BACKEND=f"file:{tmp_path / 'sms.jsonl'}",
    )
    log = tmp_path / "worker.log"
    try:
        first = start_worker(log, env)
        try:
            for body in hooks:  # every webhook once while the worker runs...
                response = client.post("/api/v1/carriers/boxnow/webhook", body, content_type="application/json")
                assert response.status_code == 200, response.content
            wait_for(lambda: len(inbox.messages) >= 6, seconds=60)
        finally:
            first.send_signal(signal.SIGKILL)  # ...killed in the middle of sending
            first.wait(timeout=10)
        assert not outbox_settled(), "the worker finished before it could be killed"
        for _ in range(2):  # every webhook twice more: the carrier retries
            for body in hooks:
                response = client.post("/api/v1/carriers/boxnow/webhook", body, content_type="application/json")
                assert response.status_code == 200, response.content
                assert response.json()["accepted"] == 0
        second = start_worker(log, env)
        try:
            wait_for(outbox_settled, seconds=120)
        finally:
            second.terminate()
            second.wait(timeout=20)
    finally:
        smtp.stop()

    # Nothing missing: each customer got exactly their milestones, in their language.
    expected = Counter()
    for index, (_language, email, _name, _phone) in enumerate(CUSTOMERS):
        for kind in ["order_received", "shipped", "problem"] if index == LOST else MILESTONES:
            expected[(email, kind)] += 1
    by_id = {str(message["Message-ID"]): message for message in inbox.messages}
    received = Counter((str(message["To"]), str(message["X-Emporos-Kind"])) for message in by_id.values())
    assert received == expected
    # Nothing twice: only the one e-mail in flight at the kill may have reached the server again,
    # and then under the same Message-ID (mail clients show it once).
    assert len(inbox.messages) - len(by_id) <= 1
    assert Message.objects.filter(channel="email", status="sent").count() == sum(expected.values())
    for message in by_id.values():
        language = CUSTOMERS[[c[1] for c in CUSTOMERS].index(str(message["To"]))][0]
        html = message.get_body(("html",))
        assert html is not None
        content = html.get_content()
        assert f'lang="{language}"' in content
        assert ('dir="rtl"' in content) == (language == "he")
        token = content.split("/status/")[1].split("/")[0]
        assert links.order_for_token(token).customer.email == str(message["To"])

    # Each delivered order's satisfaction question waits for its day, once (not per replay).
    later = Delivery.objects.filter(status="pending", due_at__gt=dt.datetime.now(dt.UTC))
    assert sorted(later.values_list("handler", flat=True)) == ["feedback.ask_satisfaction"] * (len(CUSTOMERS) - 1)

    # The carrier's events stored once each; the lost parcel has one case.
    assert TrackingEvent.objects.count() == len(hooks)
    assert DelayCase.objects.count() == 1
    assert DelayCase.objects.get().shipment == parcels[LOST][1]
    sms: list[dict[str, Any]] = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    # No SMS twice either, but the one in flight at the kill (the same message, as its id shows).
    assert len(sms) - len({line["message"] for line in sms}) <= 1, sms
    assert {line["message"] for line in sms} == {
        str(uuid) for uuid in Message.objects.filter(channel="sms", status="sent").values_list("uuid", flat=True)
    }
