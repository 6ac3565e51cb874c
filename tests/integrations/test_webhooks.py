"""Outgoing webhooks, end to end: a real HTTP receiver on 127.0.0.1 gets signed requests for the
topics it subscribed to, through the outbox (fan-out, delivery, retries, dead letters, replay)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ValidationFailed
from emporos.fulfillment.models import Shipment
from emporos.integrations.webhooks import selectors, services
from emporos.integrations.webhooks.models import WebhookAttempt, WebhookEndpoint
from emporos.integrations.webhooks.topics import OFFERED_NAMES
from emporos.orders.links import order_for_token
from emporos.outbox import selectors as outbox
from emporos.outbox.models import Delivery, DeliveryStatus, Event
from emporos.outbox.relay import deliver_due
from tests.conftest import place
from tests.fulfillment.conftest import confirm, drain, order_of, ship

pytestmark = pytest.mark.django_db

OWNER = Actor.staff("owner-user", user_id=1)
SHIPPED = "fulfillment.shipment_created"


# --- A receiver, as an integrator would run one ---------------------------------------------------


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    answer_status: int = 200
    requests: list[Received] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """An HTTP server on a free loopback port that records each POST and answers `answer_status`."""
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(state.answer_status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if state.answer_status < 300 else b"receiver broke: database down")

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/emporos"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def verify(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """The receiver's check, exactly as docs/webhooks.md shows it."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(fields["t"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


def endpoint(receiver: Receiver, *topics: str) -> WebhookEndpoint:
    return services.add_endpoint(url=receiver.url, topics=list(topics), actor=OWNER)


def shipped_order(api: Client) -> str:
    """An order placed, confirmed, planned and shipped with the demo carrier; the outbox drained."""
    number = place(api)
    confirm(number)
    drain()
    response = ship(api, number, carrier="demo")
    assert response.status_code == 201, response.content
    drain()
    return number


# --- Delivery -----------------------------------------------------------------------------------


def test_a_shipment_reaches_the_receiver_signed_with_its_public_facts(
    api: Client, catalog: None, receiver: Receiver
) -> None:
    hook = endpoint(receiver, SHIPPED)

    number = shipped_order(api)

    shipment = Shipment.objects.get(order=order_of(number))
    event = Event.objects.get(topic=SHIPPED)
    [request] = receiver.requests
    assert verify(hook.secret, request.headers["emporos-signature"], request.body)
    assert not verify("whsec_another", request.headers["emporos-signature"], request.body)
    assert request.headers["content-type"] == "application/json"
    assert request.headers["emporos-webhook-id"] == str(event.uuid)
    assert request.headers["emporos-webhook-topic"] == SHIPPED
    body = request.json
    assert (body["id"], body["topic"]) == (str(event.uuid), SHIPPED)
    assert body["created_at"] == event.created_at.isoformat().replace("+00:00", "Z")
    data = body["data"]
    assert {key: data[key] for key in ("order_id", "shipment_id", "carrier")} == {
        "order_id": shipment.order_id,
        "shipment_id": shipment.pk,
        "carrier": "demo",
    }
    assert data["order"]["number"] == number
    # A signed link carries the second it was made: compare the order it names, not the text.
    token = data["order"]["status_path"].removeprefix("/status/").rstrip("/")
    assert order_for_token(token) == order_of(number)
    assert data["order"]["status_url"].endswith(data["order"]["status_path"])
    assert data["shipment"]["tracking_number"] == shipment.tracking_number
    assert data["shipment"]["tracking_url"] == f"https://track.example.com/{shipment.tracking_number}"
    assert data["shipment"]["id"] == str(shipment.public_id)
    assert "maria@example.gr" not in request.body.decode()
    assert "Ερμού" not in request.body.decode()
    [attempt] = WebhookAttempt.objects.all()
    assert (attempt.endpoint, attempt.event_uuid, attempt.topic, attempt.attempt) == (hook, event.uuid, SHIPPED, 1)
    assert (attempt.status_code, attempt.response_excerpt, attempt.error) == (200, "ok", "")


def test_a_failing_receiver_is_retried_then_dead_then_replayed_with_the_same_event_id(
    api: Client, catalog: None, receiver: Receiver, settings: Any
) -> None:
    settings.EMPOROS = {**settings.EMPOROS, "OUTBOX_MAX_ATTEMPTS": 3}
    hook = endpoint(receiver, SHIPPED)
    receiver.answer_status = 500
    start = clock.now()

    with clock.frozen_at(start):
        number = shipped_order(api)
    for hours in (2, 4):  # past each backoff
        with clock.frozen_at(start + dt.timedelta(hours=hours)):
            drain()

    due = Delivery.objects.get(handler="integrations.webhooks.deliver")
    assert (due.status, due.attempts) == (DeliveryStatus.DEAD, 3)
    assert "answered 500" in due.last_error
    assert len(receiver.requests) == 3
    event_ids = {request.headers["emporos-webhook-id"] for request in receiver.requests}
    assert event_ids == {str(Event.objects.get(topic=SHIPPED).uuid)}
    attempts = list(
        WebhookAttempt.objects.order_by("attempt").values_list("attempt", "status_code", "response_excerpt")
    )
    assert attempts == [(n, 500, "receiver broke: database down") for n in (1, 2, 3)]
    [letter] = selectors.dead_letters()
    assert (letter.delivery_id, letter.endpoint, letter.topic) == (due.id, hook, SHIPPED)

    receiver.answer_status = 200
    services.replay_dead_letter(delivery_id=due.id)
    drain()

    assert len(receiver.requests) == 4
    assert receiver.requests[3].headers["emporos-webhook-id"] in event_ids
    assert receiver.requests[3].json["id"] in event_ids
    first, replayed = receiver.requests[0].json, receiver.requests[3].json
    assert {key: replayed[key] for key in ("id", "topic", "created_at")} == {
        key: first[key] for key in ("id", "topic", "created_at")
    }
    assert replayed["data"]["shipment"] == first["data"]["shipment"]
    assert receiver.requests[3].headers["emporos-webhook-attempt"] == "4"
    assert Delivery.objects.get(pk=due.pk).status == DeliveryStatus.DONE
    assert selectors.dead_letters() == []
    assert order_of(number).number


def test_an_unreachable_receiver_is_logged_without_a_status(api: Client, catalog: None, receiver: Receiver) -> None:
    services.add_endpoint(url="http://127.0.0.1:9/nothing-listens-here", topics=[SHIPPED], actor=OWNER)

    shipped_order(api)

    [attempt] = WebhookAttempt.objects.all()
    assert attempt.status_code is None
    assert attempt.error.startswith("Could not reach 127.0.0.1")
    assert Delivery.objects.get(handler="integrations.webhooks.deliver").status == DeliveryStatus.PENDING


def test_a_disabled_endpoint_gets_nothing(api: Client, catalog: None, receiver: Receiver) -> None:
    off = endpoint(receiver, SHIPPED, "orders.order_placed")
    services.set_endpoint_active(endpoint_id=off.public_id, is_active=False)

    shipped_order(api)

    assert receiver.requests == []
    assert "integrations.webhook_due" not in outbox.topics()


def test_an_endpoint_turned_off_after_the_event_gets_nothing_due_to_it(
    api: Client, catalog: None, receiver: Receiver
) -> None:
    hook = endpoint(receiver, "orders.order_placed")
    place(api)
    while "integrations.webhook_due" not in outbox.topics():  # until the fan-out ran: a request is due
        assert deliver_due(worker_id="test", limit=1) == 1

    services.set_endpoint_active(endpoint_id=hook.public_id, is_active=False)
    drain()

    assert receiver.requests == []
    assert WebhookAttempt.objects.count() == 0


def test_topics_not_subscribed_to_are_not_sent(api: Client, catalog: None, receiver: Receiver) -> None:
    endpoint(receiver, "orders.order_cancelled")

    shipped_order(api)

    assert receiver.requests == []
    assert "integrations.webhook_due" not in outbox.topics()


def test_each_subscribed_event_is_sent_once_with_its_own_id(api: Client, catalog: None, receiver: Receiver) -> None:
    endpoint(receiver, *OFFERED_NAMES)

    shipped_order(api)

    # Shipping the whole order completes it, in the same transaction as the parcel's event.
    assert [request.json["topic"] for request in receiver.requests] == [
        "orders.order_placed",
        "orders.order_confirmed",
        "orders.order_completed",
        SHIPPED,
    ]
    assert len({request.json["id"] for request in receiver.requests}) == 4


def test_a_ping_is_signed_and_sent_whatever_the_topics(receiver: Receiver) -> None:
    hook = endpoint(receiver, "orders.order_cancelled")

    event_id = services.request_ping(endpoint_id=hook.public_id)
    drain()

    [request] = receiver.requests
    assert verify(hook.secret, request.headers["emporos-signature"], request.body)
    assert (request.json["id"], request.json["topic"]) == (str(event_id), "ping")
    assert request.json["data"] == {"endpoint_id": str(hook.public_id)}


def test_a_rotated_secret_signs_from_then_on(receiver: Receiver) -> None:
    hook = endpoint(receiver, "orders.order_cancelled")
    old = hook.secret

    rotated = services.rotate_secret(endpoint_id=hook.public_id)
    services.request_ping(endpoint_id=hook.public_id)
    drain()

    assert rotated.secret != old
    assert rotated.secret.startswith("whsec_")
    [request] = receiver.requests
    assert verify(rotated.secret, request.headers["emporos-signature"], request.body)
    assert not verify(old, request.headers["emporos-signature"], request.body)


# --- What an endpoint may be --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://shop.example.com/hooks", None),
        ("http://127.0.0.1:8000/hooks", None),
        ("http://localhost/hooks", None),
        ("http://shop.example.com/hooks", "Use an https:// address"),
        ("ftp://shop.example.com/hooks", "Give a full web address"),
        ("shop.example.com/hooks", "Give a full web address"),
        ("https://user:pw@shop.example.com/hooks", "Leave the user name and password out"),
        ("https://shop.example.com:99999/", "The port after the host name"),
        ("https://shop.example.com/a b", "An address has no spaces"),
        ("", "Give the address"),
    ],
    ids=[
        "https",
        "loopback-ip",
        "localhost",
        "plain-http",
        "ftp",
        "no-scheme",
        "credentials",
        "port",
        "space",
        "empty",
    ],
)
def test_endpoint_addresses(url: str, problem: str | None) -> None:
    found = services.url_problem(url)
    assert (found is None) if problem is None else (found or "").startswith(problem)


def test_unknown_and_missing_topics_are_refused_naming_the_field(db: None) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.add_endpoint(
            url="https://shop.example.com/h", topics=["orders.order_placed", "secrets.leaked"], actor=OWNER
        )
    assert [(error.field, error.code) for error in refused.value.errors] == [("topics", "unknown")]
    with pytest.raises(ValidationFailed) as empty:
        services.add_endpoint(url="https://shop.example.com/h", topics=[], actor=OWNER)
    assert [(error.field, error.code) for error in empty.value.errors] == [("topics", "required")]
    assert WebhookEndpoint.objects.count() == 0


def test_topics_are_kept_in_the_offered_order_once_each(db: None) -> None:
    hook = services.add_endpoint(
        url="https://shop.example.com/h", topics=[SHIPPED, "orders.order_placed", SHIPPED], actor=OWNER
    )
    assert hook.topics == ["orders.order_placed", SHIPPED]
    assert hook.secret.startswith("whsec_")
    assert len(hook.secret) > 40
    assert hook.created_by == str(OWNER)
