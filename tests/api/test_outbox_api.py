"""Dead deliveries are visible and replayable over the API (scope outbox:admin)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from emporos.access.services import create_api_key
from emporos.outbox.models import Delivery, DeliveryStatus
from emporos.outbox.services import emit
from tests.outbox.test_relay import Pinged

pytestmark = pytest.mark.django_db


def test_dead_deliveries_are_listed_and_replayed(api: Client) -> None:
    with transaction.atomic():
        event = emit(Pinged(attempt_to_succeed=1))
    Delivery.objects.update(status=DeliveryStatus.DEAD, attempts=8, last_error="ConnectionError: down")
    delivery = Delivery.objects.get()

    listed = api.get("/api/v1/outbox/dead").json()
    replayed = api.post(f"/api/v1/outbox/deliveries/{delivery.id}/replay")
    again = api.post(f"/api/v1/outbox/deliveries/{delivery.id}/replay")

    assert listed == [
        {
            "id": delivery.id,
            "topic": "tests.pinged",
            "event_id": str(event.uuid),
            "handler": "tests.flaky",
            "attempts": 8,
            "last_error": "ConnectionError: down",
            "due_at": listed[0]["due_at"],
        },
    ]
    assert (replayed.status_code, replayed.json()["attempts"]) == (200, 0)
    assert again.status_code == 409
    assert Delivery.objects.get().status == "pending"


def test_the_outbox_needs_its_own_scope() -> None:
    key = create_api_key(name="shop", scopes=["orders:read"]).plain_key

    response = Client(headers={"Authorization": f"Bearer {key}"}).get("/api/v1/outbox/dead")

    assert response.status_code == 403
