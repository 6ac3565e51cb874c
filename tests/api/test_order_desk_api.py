"""The queue, filters, cursor pagination, one order with its timeline, and the order actions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.orders.models import Order
from emporos.orders.services import cancel_order, flag_overdue_orders
from emporos.orders.services.intake import AddressDraft, CustomerDraft, LineDraft, OrderDraft, place_order

pytestmark = pytest.mark.usefixtures("catalog")
NOW = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)  # Tuesday 16:00 in Athens


def make(
    hours_ago: float,
    *,
    shipping: str = "courier-standard",
    method: str = "card",
    status: str = "paid",
    email: str = "anna@example.pl",
    name: str = "Anna Kowalska",
    phone: str = "+48601234567",
    channel: str = "web",
) -> Order:
    placed_at = NOW - dt.timedelta(hours=hours_ago)
    draft = OrderDraft(
        channel=channel,
        currency="EUR",
        customer=CustomerDraft(email=email, name=name, phone=phone, language="pl"),
        lines=[LineDraft(sku="TEA-100", quantity=1, unit_price=Decimal("19.90"))],
        payment_method=method,
        payment_status=status,
        total=Decimal("19.90"),
        shipping_address=AddressDraft(
            name=name, line1="ul. Długa 1", city="Gdańsk", postal_code="80-831", country="PL"
        ),
        shipping_method=shipping,
        placed_at=placed_at,
    )
    with clock.frozen_at(placed_at):
        return place_order(draft=draft, actor=Actor.system("tests")).order


def numbers(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [order["number"] for order in response.json()["orders"]]


def test_queue_puts_overdue_then_express_then_paid_then_oldest(api: Client) -> None:
    old_standard = make(30)
    express = make(1, shipping="courier-express")
    unpaid = make(2, method="bank_transfer", status="pending")
    paid = make(1.5)
    cod = make(0.5, method="cash_on_delivery", status="pending")
    cancelled = make(3)
    cancel_order(order=cancelled, reason="test", actor=Actor.system("tests"))

    with clock.frozen_at(NOW):
        flag_overdue_orders()
        response = api.get("/api/v1/orders/queue")

    assert numbers(response) == [o.display_number for o in (old_standard, express, paid, cod, unpaid)]
    first = response.json()["orders"][0]
    assert (first["overdue"], first["age_seconds"]) == (True, 30 * 3600)


def test_queue_pages_with_a_cursor(api: Client) -> None:
    orders = [make(hours) for hours in (5, 4, 3)]

    with clock.frozen_at(NOW):
        first = api.get("/api/v1/orders/queue?limit=2").json()
        second = api.get(f"/api/v1/orders/queue?limit=2&cursor={first['next_cursor']}").json()

    assert [o["number"] for o in first["orders"] + second["orders"]] == [o.display_number for o in orders]
    assert second["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("payment_status=pending", ["cod", "bank"]),
        ("payment_method=cash_on_delivery", ["cod"]),
        ("status=cancelled", ["cancelled"]),
        ("channel=marketplace", ["market"]),
        ("shipping_method=courier-express", ["express"]),
        ("fulfillment_status=unfulfilled", ["cod", "express", "market", "cancelled", "bank"]),
        ("placed_from=2026-11-24T09:00:00Z&placed_to=2026-11-24T12:30:00Z", ["market", "cancelled"]),
        ("payment_status=paid&placed_from=2026-11-24T12:00:00Z", ["express"]),
        ("overdue=true", ["bank"]),
        ("q=ewa@example.pl", ["market"]),
        ("q=%2B48 602 000 111", ["market"]),
        ("q=nowak", ["market"]),
        ("q=ΣΟΦΙΑ", ["cod"]),
    ],
    ids=[
        "payment-status",
        "payment-method",
        "status",
        "channel",
        "shipping",
        "fulfillment",
        "date-range",
        "combined",
        "overdue",
        "email",
        "phone",
        "name",
        "greek-name-any-case-and-accent",
    ],
)
def test_each_filter_finds_exactly_the_matching_orders(api: Client, query: str, expected: list[str]) -> None:
    made = {
        "bank": make(30, method="bank_transfer", status="pending"),
        "cancelled": make(3),
        "market": make(2.5, channel="marketplace", email="ewa@example.pl", name="Ewa Nowak", phone="+48602000111"),
        "express": make(1.5, shipping="courier-express"),
        "cod": make(
            0.5,
            method="cash_on_delivery",
            status="pending",
            email="sofia@example.gr",
            name="Σοφία Λάμπρου",
            phone="+306955555555",
        ),
    }
    cancel_order(order=made["cancelled"], reason="test", actor=Actor.system("tests"))

    with clock.frozen_at(NOW):
        response = api.get(f"/api/v1/orders?{query}")

    assert numbers(response) == [made[name].display_number for name in expected]


def test_search_by_order_number(api: Client) -> None:
    order = make(1)
    make(2)

    assert numbers(api.get(f"/api/v1/orders?q={order.display_number}")) == [order.display_number]


def test_list_pages_follow_the_cursor_without_gaps_or_repeats(api: Client) -> None:
    orders = [make(hours) for hours in range(1, 8)]
    seen: list[str] = []
    url = "/api/v1/orders?limit=3"
    while url:
        page = api.get(url).json()
        seen += [o["number"] for o in page["orders"]]
        url = f"/api/v1/orders?limit=3&cursor={page['next_cursor']}" if page["next_cursor"] else ""

    assert seen == [o.display_number for o in orders]


def test_a_forged_cursor_is_400(api: Client) -> None:
    response = api.get("/api/v1/orders?cursor=forged")

    assert (response.status_code, response.json()["code"]) == (400, "bad_cursor")


def test_an_unknown_filter_is_refused(api: Client) -> None:
    response = api.get("/api/v1/orders?colour=red")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "colour"


@pytest.mark.parametrize(
    ("query", "field", "code"),
    [
        ("status=lost", "status", "invalid_choice"),
        ("q=tea%00pot", "q", "control_character"),
        ("channel=web%E2%80%AE", "channel", "bidi_control"),
        ("placed_from=2026-11-01T00:00:00", "placed_from", "naive_datetime"),
        ("placed_to=0001-01-01T00:00:00Z", "placed_to", "out_of_range"),
        ("status=lost&colour=red", "colour", "unknown_filter"),
    ],
    ids=["unknown-status", "nul", "bidi-override", "naive-moment", "year-one", "both-named"],
)
def test_a_bad_filter_is_422_naming_it(api: Client, query: str, field: str, code: str) -> None:
    response = api.get(f"/api/v1/orders?{query}")

    assert response.status_code == 422, response.content
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in response.json()["errors"]
    ]


def test_the_api_the_desk_and_the_selector_share_one_declaration_of_filters() -> None:
    from emporos.api.orders import OrderListQuery
    from emporos.desk.views.orders import OrderFilterForm
    from emporos.orders.filters import ORDER_FILTERS, OrderFilters

    names = [spec.name for spec in ORDER_FILTERS]
    assert [field.name for field in dataclasses.fields(OrderFilters)] == names
    assert list(OrderListQuery.model_fields) == [*names, "cursor", "limit"]
    desk = set(OrderFilterForm().fields)
    assert desk >= set(names) - {"placed_from", "placed_to"}
    assert {"from", "to"} <= desk  # the desk's days for placed_from and placed_to


def post(api: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return api.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_order_actions_through_the_api_build_the_timeline(api: Client) -> None:
    order = make(1, method="bank_transfer", status="pending")
    base = f"/api/v1/orders/{order.display_number}"

    with clock.frozen_at(NOW):
        assert post(api, f"{base}/verify", {"outcome": "confirmed", "note": "Rang at 10:05"}).status_code == 200
        assert post(api, f"{base}/confirm").status_code == 200
        assert post(api, f"{base}/hold", {"reason": "Waiting for the transfer"}).status_code == 200
        assert post(api, f"{base}/release", {}).status_code == 200
        assert post(api, f"{base}/payments", {"amount": "19.90", "reference": "TRX-1"}).status_code == 200
        assert post(api, f"{base}/notes", {"text": "Fragile: double box"}).status_code == 200
        response = api.get(base)

    data = response.json()
    assert (data["status"], data["payment_status"], data["amount_paid"]) == ("confirmed", "paid", "19.90")
    assert [entry["kind"] for entry in data["timeline"]] == [
        "orders.order_placed",
        "orders.order_verified",
        "orders.order_confirmed",
        "orders.order_held",
        "orders.order_released",
        "orders.payment_recorded",
        "orders.note_added",
    ]
    verified = data["timeline"][1]
    assert (verified["actor"], verified["actor_kind"], verified["actor_name"]) == (
        "api_key:storefront",
        "api_key",
        "storefront",
    )
    assert (verified["text"], verified["note"]) == (
        "Verification call: Customer confirmed the details.",
        "Rang at 10:05",
    )
    assert verified["summary"] == "Verification call: Customer confirmed the details. Rang at 10:05"
    assert verified["facts"] == {
        "order_id": order.pk,
        "number": order.display_number,
        "outcome": "confirmed",
        "note": "Rang at 10:05",
    }
    assert data["timeline"][5]["text"] == "Payment of €19.90 recorded (reference TRX-1); the payment is now paid."
    assert data["verifications"][0]["outcome"] == "confirmed"


def test_an_action_the_state_does_not_allow_is_409(api: Client) -> None:
    order = make(1)
    base = f"/api/v1/orders/{order.display_number}"
    post(api, f"{base}/cancel", {"reason": "Duplicate"})

    response = post(api, f"{base}/confirm")

    assert (response.status_code, response.json()["code"]) == (409, "transition_not_allowed")


def test_an_action_with_a_bad_field_is_422_and_changes_nothing(api: Client) -> None:
    order = make(1)

    response = post(api, f"/api/v1/orders/{order.display_number}/verify", {"outcome": "maybe"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "outcome"
    assert order.verifications.count() == 0


def test_an_unknown_order_is_404(api: Client) -> None:
    response = api.get("/api/v1/orders/EM-99999999")
    assert (response.status_code, response.json()["code"]) == (404, "order_not_found")
