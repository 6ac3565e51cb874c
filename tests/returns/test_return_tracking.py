"""A return parcel on the tracking path: its carrier's events come through the same endpoint and
webhooks as a shipment's, are stored once, and the first scan that shows it moving puts the return
in transit (once), with its timeline entry and, by the shop's rule, the refund."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

from emporos.core import clock
from emporos.orders.models import Refund
from emporos.outbox.models import Event
from emporos.returns.models import Return, ReturnPolicy, ReturnTrackingEvent
from emporos.timeline.models import Entry
from tests.fulfillment.conftest import drain
from tests.integrations.conftest import fixture_bytes
from tests.returns.conftest import ask, delivered

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("greece")]
SOON = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
SCANNED = "2026-12-08T15:30:00Z"
ONE_TEA = {
    "lines": [{"sku": "TEA-100", "quantity": 1, "reason": "wrong_size", "condition": "unopened"}],
    "resolution": "refund",
}
NUMBER = "9219709201"  # the parcel id of the recorded BOX NOW webhooks
LABEL_MADE = {"id": "ret-0", "status": "label_created", "occurred_at": "2026-12-08T09:05:00Z"}
DROPPED = {"id": "ret-1", "status": "picked_up", "occurred_at": SCANNED, "location": "BOX NOW Σύνταγμα"}
SORTED = {"id": "ret-2", "status": "in_transit", "occurred_at": "2026-12-08T20:00:00Z"}
BOXNOW = {**settings.EMPOROS["BOXNOW"], "WEBHOOK_SECRET": "boxnow-webhook-secret-for-tests"}


def labelled_return(api: Client) -> Return:
    """A return whose BOX NOW label has been bought (its number as the carrier gave it)."""
    number = delivered(api)
    with clock.frozen_at(SOON):
        response = ask(api, number, ONE_TEA)
        drain()
    assert response.status_code == 201, response.content
    ret = Return.objects.get(public_id=response.json()["id"])
    Return.objects.filter(pk=ret.pk).update(carrier="boxnow", tracking_number=NUMBER, carrier_reference=NUMBER)
    ret.refresh_from_db()
    return ret


def post(api: Client, *events: dict[str, Any], number: str = NUMBER) -> Any:
    body = {"carrier": "boxnow", "tracking_number": number, "events": list(events)}
    return api.post("/api/v1/tracking/events", body, content_type="application/json")


def sent_entries(ret: Return) -> list[Entry]:
    return list(Entry.objects.filter(kind="returns.return_sent", subjects__kind="return", subjects__ref_id=ret.pk))


def test_the_first_scan_moves_the_return_in_transit_once_and_a_replay_changes_nothing(api: Client) -> None:
    ret = labelled_return(api)
    since = Event.objects.order_by("id").last()
    with clock.frozen_at(SOON + dt.timedelta(hours=12)):
        first = post(api, LABEL_MADE, DROPPED)
        later = post(api, SORTED)
        replay = post(api, LABEL_MADE, DROPPED, SORTED)
    assert first.status_code == later.status_code == replay.status_code == 202, first.content
    assert first.json() == {
        "accepted": 2,
        "duplicates": 0,
        "shipment": None,
        "return_id": str(ret.public_id),
        "status": "in_transit",
    }
    assert (later.json()["accepted"], later.json()["duplicates"]) == (1, 0)
    assert (replay.json()["accepted"], replay.json()["duplicates"]) == (0, 3)
    ret.refresh_from_db()
    assert (ret.status, ret.first_scan_at) == ("in_transit", dt.datetime(2026, 12, 8, 15, 30, tzinfo=dt.UTC))
    stored = ReturnTrackingEvent.objects.filter(ret=ret).order_by("occurred_at")
    assert [(e.event_id, e.status, e.location) for e in stored] == [
        ("ret-0", "label_created", ""),
        ("ret-1", "picked_up", "BOX NOW Σύνταγμα"),
        ("ret-2", "in_transit", ""),
    ]
    assert [entry.occurred_at for entry in sent_entries(ret)] == [ret.first_scan_at]
    assert list(Event.objects.filter(id__gt=since.id).values_list("topic", flat=True)) == ["returns.return_sent"]
    assert ret.refund is None  # the default rule refunds on receipt


def test_a_label_made_is_no_scan(api: Client) -> None:
    ret = labelled_return(api)
    assert post(api, LABEL_MADE).json()["status"] == "approved"
    ret.refresh_from_db()
    assert (ret.status, ret.first_scan_at, sent_entries(ret)) == ("approved", None, [])


def test_the_refund_goes_out_at_the_first_scan_when_the_policy_says_so(api: Client) -> None:
    ReturnPolicy(id=1, auto_refund="on_first_scan").save()
    ret = labelled_return(api)
    with clock.frozen_at(SOON + dt.timedelta(hours=12)):
        post(api, DROPPED)
        post(api, DROPPED, SORTED)
    ret.refresh_from_db()
    assert ret.refund is not None
    assert [(r.amount, r.reference) for r in Refund.objects.filter(order=ret.order)] == [
        (ret.refund.amount, ret.display_number)
    ]
    assert str(ret.refund.amount) == "19.90"
    assert Event.objects.filter(topic="returns.return_refunded").count() == 1


def test_an_unknown_number_is_still_refused_and_nothing_is_written(api: Client) -> None:
    labelled_return(api)
    response = post(api, DROPPED, number="NOPE123")
    assert response.status_code == 422
    assert [e["code"] for e in response.json()["errors"]] == ["unknown_tracking_number"]
    assert not ReturnTrackingEvent.objects.exists()


@override_settings(EMPOROS={**settings.EMPOROS, "BOXNOW": BOXNOW})
def test_boxnow_webhooks_for_a_return_parcel_are_accepted_once(client: Client, api: Client) -> None:
    ret = labelled_return(api)
    for _ in range(2):
        response = client.post(
            "/api/v1/carriers/boxnow/webhook",
            fixture_bytes("boxnow", "webhook_in_depot.json"),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    assert response.json() == {"accepted": 0, "duplicates": 1, "unknown": 0}
    ret.refresh_from_db()
    assert ret.status == "in_transit"
    assert [e.status for e in ReturnTrackingEvent.objects.filter(ret=ret)] == ["in_transit"]
    assert len(sent_entries(ret)) == 1
