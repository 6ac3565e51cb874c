"""POST /api/v1/orders/{number}/refunds: money given back, idempotent with Idempotency-Key."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_api_key
from emporos.orders.models import Order, Refund
from emporos.outbox.models import Event
from tests.conftest import place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalog")]


def refund(api: Client, number: str, body: dict[str, Any], *, key: str | None = "refund-1") -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.post(f"/api/v1/orders/{number}/refunds", body, content_type="application/json", headers=headers)


def test_a_refund_is_201_with_the_refund_and_the_orders_payment_status(api: Client) -> None:
    number = place(api)  # 43.30 EUR paid by card

    response = refund(api, number, {"amount": "10.00", "reason": "goodwill", "reference": "RF-77", "note": "Sorry"})

    assert response.status_code == 201, response.content
    data = response.json()
    assert data.pop("id") == str(Refund.objects.get().public_id)
    assert data.pop("created_at")
    assert data == {
        "order": number,
        "amount": "10.00",
        "currency": "EUR",
        "reason": "goodwill",
        "reference": "RF-77",
        "note": "Sorry",
        "payment_status": "partially_refunded",
        "amount_paid": "43.30",
        "amount_refunded": "10.00",
        # Recorded by staff: given back by hand, done when recorded.
        "status": "issued",
        "provider": "manual",
        "provider_status": "succeeded",
        "provider_reference": "",
    }
    order = api.get(f"/api/v1/orders/{number}").json()
    assert (order["payment_status"], order["amount_refunded"]) == ("partially_refunded", "10.00")
    assert order["timeline"][-1]["kind"] == "orders.refund_recorded"
    assert order["timeline"][-1]["summary"] == (
        "Refund of €10.00 recorded (goodwill gesture, reference RF-77); the payment is now partly refunded. Sorry"
    )


def test_the_same_key_and_body_again_returns_the_first_refund_with_200(api: Client) -> None:
    number = place(api)
    body = {"amount": "43.30", "reason": "cancelled"}
    first = refund(api, number, body, key="replay-1")

    again = refund(api, number, body, key="replay-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["payment_status"] == "refunded"
    assert Refund.objects.count() == 1
    assert Event.objects.filter(topic="orders.refund_recorded").count() == 1


def test_the_same_key_with_another_body_is_409(api: Client) -> None:
    number = place(api)
    refund(api, number, {"amount": "5.00", "reason": "goodwill"}, key="k")

    response = refund(api, number, {"amount": "6.00", "reason": "goodwill"}, key="k")

    assert (response.status_code, response.json()["code"]) == (409, "idempotency_key_reused")
    assert Order.objects.get().amount_refunded == 5


def test_more_than_was_paid_is_422_naming_the_amount_and_nothing_changes(api: Client) -> None:
    number = place(api)

    response = refund(api, number, {"amount": "43.31", "reason": "goodwill"})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("amount", "too_much")]
    assert (Refund.objects.count(), Order.objects.get().payment_status) == (0, "paid")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 10, "reason": "goodwill"}, "amount"),
        ({"amount": "10.00", "reason": "whim"}, "reason"),
        ({"amount": "10.00", "reason": "goodwill", "reference": "x" * 101}, "reference"),
        ({"amount": "10.00"}, "reason"),
    ],
    ids=["number-not-string", "unknown-reason", "reference-too-long", "no-reason"],
)
def test_bad_fields_are_422_naming_the_field(api: Client, body: dict[str, Any], field: str) -> None:
    number = place(api)

    response = refund(api, number, body)

    assert response.status_code == 422, response.content
    assert field in [e["field"].rsplit(".", 1)[-1] for e in response.json()["errors"]]
    assert Refund.objects.count() == 0


def test_an_unpaid_order_has_nothing_to_refund_409(api: Client) -> None:
    number = place(api, payment={"method": "bank_transfer", "status": "pending"})

    response = refund(api, number, {"amount": "1.00", "reason": "goodwill"})

    assert (response.status_code, response.json()["code"]) == (409, "nothing_to_refund")


def test_without_an_idempotency_key_it_is_400_and_an_unknown_order_404(api: Client) -> None:
    number = place(api)

    assert refund(api, number, {"amount": "1.00", "reason": "goodwill"}, key=None).status_code == 400
    assert refund(api, "EM-99999", {"amount": "1.00", "reason": "goodwill"}).status_code == 404


def test_a_key_without_orders_write_may_not_refund(api: Client) -> None:
    number = place(api)
    reader = create_api_key(name="reports", scopes=["orders:read"]).plain_key
    client = Client(headers={"Authorization": f"Bearer {reader}"})

    response = refund(client, number, {"amount": "1.00", "reason": "goodwill"})

    assert response.status_code == 403
    assert Refund.objects.count() == 0


def test_the_openapi_document_describes_refunds(api: Client) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/orders/{number}/refunds"]["post"]

    assert {"200", "201", "400", "401", "403", "404", "409", "422"} <= set(operation["responses"])
    schema = document["components"]["schemas"]["RefundIn"]
    assert schema["properties"]["reason"]["enum"] == [
        "cancelled",
        "duplicate_payment",
        "goodwill",
        "other",
        "returned_goods",
    ]
