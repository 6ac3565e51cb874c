"""POST /api/v1/tracking/events (API key with tracking:write) and the carriers' own webhooks."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

from emporos.access.services import create_api_key
from emporos.fulfillment.models import DelayCase, Shipment, TrackingEvent
from emporos.outbox.models import Event
from tests.fulfillment.tracking_helpers import shipped
from tests.integrations.conftest import fixture_bytes
from tests.shipping.conftest import greece  # noqa: F401  (the fixture these tests use)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]


def body(parcel: Shipment, *events: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {"carrier": parcel.carrier, "tracking_number": parcel.tracking_number, "events": list(events), **fields}


EVENT = {
    "id": "evt-1",
    "status": "in_transit",
    "occurred_at": "2026-12-02T09:10:00Z",
    "location": "Αθήνα",
    "description": "Στο κέντρο διαλογής",
}


def post(api: Client, payload: dict[str, Any]) -> Any:
    return api.post("/api/v1/tracking/events", payload, content_type="application/json")


def test_events_are_accepted_once_and_a_replay_counts_as_duplicates(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    first = post(api, body(parcel, EVENT))
    assert first.status_code == 202, first.content
    assert first.json() == {
        "accepted": 1,
        "duplicates": 0,
        "shipment": str(parcel.public_id),
        "return_id": None,
        "status": "in_transit",
    }
    for _ in range(3):
        again = post(api, body(parcel, EVENT))
        assert again.json() == {
            "accepted": 0,
            "duplicates": 1,
            "shipment": str(parcel.public_id),
            "return_id": None,
            "status": "in_transit",
        }
    event = TrackingEvent.objects.get()
    assert (event.carrier_event_id, event.description, event.location) == ("evt-1", "Στο κέντρο διαλογής", "Αθήνα")
    assert event.occurred_at.isoformat() == "2026-12-02T09:10:00+00:00"  # before the parcel was recorded: kept


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        pytest.param({"tracking_number": "NOPE123"}, "tracking_number", "unknown_tracking_number", id="number"),
        pytest.param({"events": [{**EVENT, "status": "teleported"}]}, "events.0.status", "unknown_status", id="status"),
        pytest.param({"carrier": "pigeon"}, "carrier", "unknown_carrier", id="carrier"),
        pytest.param(
            {"events": [{**EVENT, "occurred_at": "2026-12-02T09:10:00"}]},
            "events.0.occurred_at",
            "timezone_aware",
            id="naive",
        ),
        pytest.param({"events": []}, "events", "too_short", id="no-events"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_is_written(
    api: Client, catalog: None, change: dict[str, Any], field: str, code: str
) -> None:
    parcel = shipped(api)
    events_before = Event.objects.count()
    response = post(api, {**body(parcel, EVENT, {**EVENT, "id": "evt-2", "status": "out_for_delivery"}), **change})
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, code)]
    assert TrackingEvent.objects.count() == 0
    assert Event.objects.count() == events_before
    parcel.refresh_from_db()
    assert parcel.status == "label_created"


def test_the_endpoint_needs_the_tracking_write_scope(api: Client, catalog: None) -> None:
    parcel = shipped(api)
    key = create_api_key(name="reader", scopes=["orders:read"]).plain_key
    response = Client(headers={"Authorization": f"Bearer {key}"}).post(
        "/api/v1/tracking/events", body(parcel, EVENT), content_type="application/json"
    )
    assert response.status_code == 403
    assert "tracking:write" in response.json()["detail"]


# --- carriers' webhooks -----------------------------------------------------------------------------

BOXNOW = {**settings.EMPOROS["BOXNOW"], "WEBHOOK_SECRET": "boxnow-webhook-secret-for-tests"}
INPOST = {**settings.EMPOROS["INPOST"], "WEBHOOK_SECRET": "inpost-webhook-secret", "ORGANIZATION_ID": "40123"}


def as_carrier(parcel: Shipment, carrier: str, number: str, reference: str = "") -> Shipment:
    Shipment.objects.filter(pk=parcel.pk).update(carrier=carrier, tracking_number=number, carrier_reference=reference)
    parcel.refresh_from_db()
    return parcel


@override_settings(EMPOROS={**settings.EMPOROS, "BOXNOW": BOXNOW})
def test_boxnow_webhooks_move_the_parcel_and_a_replay_changes_nothing(
    client: Client, api: Client, catalog: None
) -> None:
    parcel = as_carrier(shipped(api), "boxnow", "9219709201", "9219709201")
    for name in ("webhook_in_depot.json", "webhook_final_destination.json") * 3:
        response = client.post(
            "/api/v1/carriers/boxnow/webhook", fixture_bytes("boxnow", name), content_type="application/json"
        )
        assert response.status_code == 200, response.content
    assert TrackingEvent.objects.filter(shipment=parcel).count() == 2
    parcel.refresh_from_db()
    assert (parcel.status, parcel.pickup_code) == ("available_for_pickup", "482913")
    tracked = Event.objects.filter(topic="fulfillment.shipment_tracked").order_by("id")
    assert [event.payload["status"] for event in tracked] == ["in_transit", "available_for_pickup"]
    assert response.json() == {"accepted": 0, "duplicates": 1, "unknown": 0}


@override_settings(EMPOROS={**settings.EMPOROS, "BOXNOW": BOXNOW})
def test_a_boxnow_webhook_with_a_bad_signature_is_401_and_changes_nothing(
    client: Client, api: Client, catalog: None
) -> None:
    as_carrier(shipped(api), "boxnow", "9219709201", "9219709201")
    tampered = fixture_bytes("boxnow", "webhook_final_destination.json").replace(b'"cf5cce81', b'"00000000')
    response = client.post("/api/v1/carriers/boxnow/webhook", tampered, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "webhook_signature_invalid"
    assert "signature does not match" in response.json()["detail"]
    assert TrackingEvent.objects.count() == 0
    garbage = client.post("/api/v1/carriers/boxnow/webhook", b"{}", content_type="application/json")
    assert (garbage.status_code, garbage.json()["code"]) == (400, "webhook_rejected")


@override_settings(EMPOROS={**settings.EMPOROS, "INPOST": INPOST})
def test_inpost_webhooks_carry_the_secret_in_the_address_or_the_header(
    client: Client, api: Client, catalog: None
) -> None:
    parcel = as_carrier(shipped(api), "inpost", "620000149876543210123456", "987654321")
    sent = fixture_bytes("inpost", "webhook_status_sent_from_source_branch.json")
    ready = fixture_bytes("inpost", "webhook_status_ready_to_pickup.json")
    by_address = client.post(
        "/api/v1/carriers/inpost/webhook?secret=inpost-webhook-secret", ready, content_type="application/json"
    )
    by_header = client.post(
        "/api/v1/carriers/inpost/webhook",
        sent,
        content_type="application/json",
        headers={"X-Webhook-Secret": "inpost-webhook-secret"},
    )
    assert (by_address.status_code, by_header.status_code) == (200, 200)
    parcel.refresh_from_db()
    assert parcel.status == "available_for_pickup"  # the earlier event, arriving later, does not move it back
    wrong = client.post("/api/v1/carriers/inpost/webhook?secret=guessed", ready, content_type="application/json")
    assert wrong.status_code == 401
    unknown = client.post("/api/v1/carriers/pigeon/webhook", ready, content_type="application/json")
    assert unknown.status_code == 404
    assert TrackingEvent.objects.count() == 2
    assert DelayCase.objects.count() == 0
