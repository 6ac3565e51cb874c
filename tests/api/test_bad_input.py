"""Bad input always gets a clear 4xx naming the field, never a 500, and nothing is half-written.

One regression test per defect found when the API was tried as an outside client would (issue 7,
section 5). Each runs on SQLite and on PostgreSQL: PostgreSQL refuses a NUL and an oversized value
where SQLite stores them, so the second pass is where most of these used to fail.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from emporos.catalog.models import Product, Variant
from emporos.core import clock
from emporos.customers.models import Customer
from emporos.inventory.models import MAX_UNITS, StockLevel, StockMovement
from emporos.orders.models import Order, OrderLine
from emporos.outbox.models import Event
from emporos.timeline.models import Entry
from tests.conftest import order_body, place

pytestmark = pytest.mark.usefixtures("catalog")


def post(api: Client, url: str, body: Any, **headers: str) -> Any:
    return api.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def post_order(api: Client, body: Any) -> Any:
    return post(api, "/api/v1/orders", body, **{"Idempotency-Key": str(uuid.uuid4())})


def snapshot() -> dict[str, Any]:
    return {
        "orders": Order.objects.count(),
        "lines": OrderLine.objects.count(),
        "customers": Customer.objects.count(),
        "timeline": Entry.objects.count(),
        "events": Event.objects.count(),
        "products": Product.objects.count(),
        "variants": Variant.objects.count(),
        "movements": StockMovement.objects.count(),
        "levels": sorted(StockLevel.objects.values_list("on_hand", "reserved")),
    }


def fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors") or []]


def refused(response: Any, status: int, field: str, code: str | None = None) -> None:
    """A problem document with `status` naming `field` (and its `code`, when given)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    errors = {error["field"]: error["code"] for error in response.json()["errors"]}
    assert field in errors, errors
    if code is not None:
        assert errors[field] == code, errors


# --- 1. NUL, other control characters and bidi overrides ---------------------------------------

Change = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Change:
    def change(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = body
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value

    return change


ORDER_TEXT_FIELDS = [
    "customer.name",
    "customer.email",
    "customer.phone",
    "customer.language",
    "shipping_address.name",
    "shipping_address.line1",
    "shipping_address.line2",
    "shipping_address.city",
    "shipping_address.postal_code",
    "shipping_address.country",
    "shipping_method",
    "customer_note",
    "gift_message",
    "external_reference",
    "channel",
    "currency",
    "payment.method",
    "lines.0.sku",
]


@pytest.mark.parametrize("field", ORDER_TEXT_FIELDS)
@pytest.mark.parametrize(
    "bad", ["Ma\x00ria", "Ma\x01ria", "Ma\x7fria", "Ma\x9bria", "Ma\u202eria", "Ma\u2066ria"], ids=repr
)
def test_control_and_bidi_characters_in_an_order_are_422_naming_the_field(api: Client, field: str, bad: str) -> None:
    before = snapshot()
    body = order_body(external_reference="WC-1", gift_message="Happy birthday")
    value = bad[:3] if field in {"currency", "customer.language"} else bad[1:3] if field.endswith("country") else bad
    _set(field, value)(body)

    response = post_order(api, body)

    refused(response, 422, field)
    assert snapshot() == before


@pytest.mark.parametrize("field", ["customer_note", "gift_message"])
def test_notes_keep_tabs_and_line_breaks_but_not_other_controls(api: Client, field: str) -> None:
    text = "Ring twice\tplease.\r\nThe door on the left.\n"
    response = post_order(api, order_body(**{field: text}))
    assert response.status_code == 201, response.content
    assert response.json()[field] == text

    refused(post_order(api, order_body(**{field: "Ring\x0btwice"})), 422, field, "control_character")


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/products", {"products": [{"code": "x", "name": "Te\x00a", "variants": []}]}, "products.0.name"),
        (
            "/api/v1/products",
            {"products": [{"code": "tea", "name": "Tea", "variants": [{"sku": "T\x00", "name": "T", "price": "1"}]}]},
            "products.0.variants.0.sku",
        ),
        (
            "/api/v1/products",
            {"products": [{"code": "tea", "name": "Tea", "variants": [{"sku": "T", "name": "\u202eT", "price": "1"}]}]},
            "products.0.variants.0.name",
        ),
        (
            "/api/v1/stock/adjustments",
            {
                "adjustments": [
                    {"sku": "TEA-100", "location": "athens", "reason": "count", "on_hand": 1, "note": "\x00"}
                ]
            },
            "adjustments.0.note",
        ),
        (
            "/api/v1/stock/adjustments",
            {"adjustments": [{"sku": "TEA-100", "location": "athens", "reason": "\x00", "on_hand": 1}]},
            "adjustments.0.reason",
        ),
        (
            "/api/v1/stock/adjustments",
            {"adjustments": [{"sku": "TEA-100", "location": "at\x00", "reason": "count", "on_hand": 1}]},
            "adjustments.0.location",
        ),
        ("/api/v1/locations", {"code": "back", "name": "Back\x00room"}, "name"),
    ],
    ids=[
        "product-name",
        "sku",
        "variant-name",
        "adjustment-note",
        "adjustment-reason",
        "adjustment-location",
        "location",
    ],
)
def test_control_characters_in_catalog_and_stock_writes_are_422(api: Client, url: str, body: Any, field: str) -> None:
    before = snapshot()

    refused(post(api, url, body), 422, field)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("hold", {"reason": "Waiting\x00"}, "reason"),
        ("cancel", {"reason": "\u202eNo stock"}, "reason"),
        ("notes", {"text": "Called\x00"}, "text"),
        ("verify", {"outcome": "confirmed", "note": "\x00"}, "note"),
        ("verify", {"outcome": "confirm\x00", "note": ""}, "outcome"),
        ("payments", {"amount": "1.00", "reference": "TRX\x00"}, "reference"),
        ("release", {"note": "\x00"}, "note"),
    ],
    ids=["hold", "cancel", "note", "verify-note", "verify-outcome", "payment-reference", "release"],
)
def test_control_characters_in_order_actions_are_422(api: Client, action: str, body: Any, field: str) -> None:
    number = place(api)
    before = snapshot()

    refused(post(api, f"/api/v1/orders/{number}/{action}", body), 422, field)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/orders?q=%00", "q"),
        ("/api/v1/orders?q=Ma%E2%80%AEria", "q"),
        ("/api/v1/orders?channel=%00", "channel"),
        ("/api/v1/orders?shipping_method=%00", "shipping_method"),
        ("/api/v1/orders?status=%00", "status"),
        ("/api/v1/orders?payment_status=%00", "payment_status"),
        ("/api/v1/orders?fulfillment_status=%00", "fulfillment_status"),
        ("/api/v1/orders?payment_method=%00", "payment_method"),
        ("/api/v1/orders/EM-%00", "number"),
        ("/api/v1/orders/%00", "number"),
        ("/api/v1/stock/%00", "sku"),
        ("/api/v1/stock/%00/ledger", "sku"),
    ],
)
def test_nul_in_query_and_path_parameters_is_422_naming_it(api: Client, path: str, field: str) -> None:
    refused(api.get(path), 422, field)


@pytest.mark.parametrize("action", ["confirm", "hold", "notes"])
def test_nul_in_an_order_number_of_an_action_is_422(api: Client, action: str) -> None:
    refused(post(api, f"/api/v1/orders/EM-1%00/{action}", {"reason": "x", "text": "x"}), 422, "number")


@pytest.mark.parametrize(
    "header", ["key\x00", "key\x1b[31m", "k" * 256, ""], ids=["nul", "escape", "too-long", "empty"]
)
def test_a_bad_idempotency_key_is_400_and_writes_nothing(api: Client, header: str) -> None:
    before = snapshot()

    response = post(api, "/api/v1/orders", order_body(), **{"Idempotency-Key": header})

    refused(response, 400, "Idempotency-Key", "idempotency_key_required")
    assert snapshot() == before


def test_a_lone_surrogate_is_422_and_the_problem_is_still_utf8(api: Client) -> None:
    before = snapshot()
    raw = json.dumps(order_body()).replace('"channel": "web"', '"channel": "web", "\\ud800x": "\\ud800"')

    response = api.post(
        "/api/v1/orders", data=raw, content_type="application/json", headers={"Idempotency-Key": "surrogate"}
    )

    assert response.status_code == 422
    assert response.content.decode("utf-8")  # no UnicodeEncodeError on the way out
    body = order_body()
    body["customer"]["name"] = "Ma\ud800ria"
    refused(post_order(api, body), 422, "customer.name", "string_unicode")
    assert snapshot() == before


# --- 2. Longer than the column once normalised -------------------------------------------------


def test_a_name_longer_than_its_column_once_normalised_is_422(api: Client) -> None:
    """101 × "ß" fits the 200 characters of the name, but its search form "ss" × 101 does not."""
    before = snapshot()

    response = post_order(api, order_body(customer={"email": "fritz@example.de", "name": "ß" * 101}))

    refused(response, 422, "customer.name", "too_long")
    assert snapshot() == before


def test_a_name_that_fits_once_normalised_is_stored_with_its_search_form(api: Client) -> None:
    assert post_order(api, order_body(customer={"email": "fritz@example.de", "name": "ß" * 100})).status_code == 201
    assert Customer.objects.get(email="fritz@example.de").search_name == "ss" * 100


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (_set("customer_note", "x" * 2001), "customer_note"),
        (_set("gift_message", "x" * 501), "gift_message"),
        (_set("shipping_method", "x" * 65), "shipping_method"),
        (_set("external_reference", "x" * 101), "external_reference"),
        (_set("customer.name", "x" * 201), "customer.name"),
        (_set("shipping_address.postal_code", "1" * 21), "shipping_address.postal_code"),
    ],
    ids=["note", "gift-message", "shipping-method", "external-reference", "name", "postal-code"],
)
def test_every_column_limit_is_checked_before_the_write(api: Client, change: Change, field: str) -> None:
    before = snapshot()
    body = order_body()
    change(body)

    refused(post_order(api, body), 422, field)
    assert snapshot() == before


# --- 3. SKUs and codes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sku", ["TEA/100", "TEA 100", "TEA?", "TEA#1", "..", ".hidden", "-x", "ΤΣΑΙ-1", "TEA%2F1", "TEA-9\n", "TEA-9\r\n"]
)
def test_a_sku_outside_letters_digits_dash_underscore_dot_is_422(api: Client, sku: str) -> None:
    before = snapshot()
    body = {"products": [{"code": "tea", "name": "Tea", "variants": [{"sku": sku, "name": "Tea", "price": "1.00"}]}]}

    refused(post(api, "/api/v1/products", body), 422, "products.0.variants.0.sku", "invalid_code")
    assert snapshot() == before


@pytest.mark.parametrize("code", ["green/tea", "green tea", ".tea", "tea\n"])
def test_a_product_or_location_code_outside_the_code_characters_is_422(api: Client, code: str) -> None:
    body = {"products": [{"code": code, "name": "Tea", "variants": [{"sku": "T-1", "name": "Tea", "price": "1.00"}]}]}
    refused(post(api, "/api/v1/products", body), 422, "products.0.code", "invalid_code")
    refused(post(api, "/api/v1/locations", {"code": code, "name": "Back room"}), 422, "code", "invalid_code")


def test_a_channel_with_a_trailing_line_break_is_422(api: Client) -> None:
    before = snapshot()
    refused(post_order(api, order_body(channel="web\n")), 422, "channel")
    assert snapshot() == before


def test_codes_may_use_dots_and_underscores(api: Client) -> None:
    body = {
        "products": [
            {"code": "tea.green_1", "name": "Tea", "variants": [{"sku": "TEA.G_1", "name": "T", "price": "1"}]}
        ]
    }
    assert post(api, "/api/v1/products", body).status_code == 200
    assert post(api, "/api/v1/locations", {"code": "store.2_b", "name": "Store 2b"}).status_code == 201


# --- 4. Money and counts beyond their column ----------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda b: b.update(
                lines=[{"sku": "TEA-100", "quantity": 1, "unit_price": "99999999999999"}], total="99999999999999"
            ),
            "lines.0.unit_price",
        ),
        (lambda b: b.update(shipping_price="1000000000000.00"), "shipping_price"),
        (
            lambda b: b.update(
                lines=[{"sku": "TEA-100", "quantity": 2, "unit_price": "999999999999.99"}], total="1999999999999.98"
            ),
            "total",
        ),
        (
            lambda b: b.update(
                lines=[{"sku": "TEA-100", "quantity": 2, "unit_price": "999999999999.99"}], total="999999999999.99"
            ),
            "lines.0",
        ),
        (lambda b: b["lines"][0].update(unit_price="19.901"), "lines.0.unit_price"),
        (lambda b: b["lines"][0].update(unit_price="NaN"), "lines.0.unit_price"),
        (lambda b: b["lines"][0].update(unit_price="1E+5"), "lines.0.unit_price"),
        (lambda b: b["lines"][0].update(quantity=100_001), "lines.0.quantity"),
        (lambda b: b["lines"][0].update(quantity=2**63), "lines.0.quantity"),
    ],
    ids=["unit-price", "shipping", "total", "line-total", "too-precise", "nan", "exponent", "quantity", "huge-int"],
)
def test_money_and_counts_beyond_their_column_are_422(api: Client, change: Change, field: str) -> None:
    before = snapshot()
    body = order_body()
    change(body)

    refused(post_order(api, body), 422, field)
    assert snapshot() == before


@pytest.mark.parametrize("price", ["99999999999999", "10000000000.00"])
def test_a_price_beyond_its_column_is_422(api: Client, price: str) -> None:
    before = snapshot()
    body = {"products": [{"code": "gold", "name": "Gold", "variants": [{"sku": "AU-1", "name": "Au", "price": price}]}]}

    refused(post(api, "/api/v1/products", body), 422, "products.0.variants.0.price")
    assert snapshot() == before


def test_a_payment_beyond_its_column_is_422(api: Client) -> None:
    number = place(api, payment={"method": "bank_transfer", "status": "pending"})
    before = snapshot()

    refused(post(api, f"/api/v1/orders/{number}/payments", {"amount": "99999999999999"}), 422, "amount")
    assert snapshot() == before


def adjustment(delta: int, sku: str = "TEA-100") -> dict[str, Any]:
    return {"sku": sku, "location": "athens", "reason": "received", "delta": delta}


def test_stock_deltas_adding_up_past_the_integer_column_in_one_batch_are_422(api: Client) -> None:
    before = snapshot()
    batch = [adjustment(100_000_000)] * 22  # 2.2 billion with the 10 on hand

    refused(post(api, "/api/v1/stock/adjustments", {"adjustments": batch}), 422, "adjustments.21.delta", "too_large")
    assert snapshot() == before


def test_stock_deltas_adding_up_past_the_integer_column_over_repeats_are_422(api: Client) -> None:
    for _ in range(21):
        assert post(api, "/api/v1/stock/adjustments", {"adjustments": [adjustment(100_000_000)]}).status_code == 200
    before = snapshot()

    response = post(api, "/api/v1/stock/adjustments", {"adjustments": [adjustment(100_000_000)]})

    refused(response, 422, "adjustments.0.delta", "too_large")
    assert snapshot() == before
    assert StockLevel.objects.get(variant__sku="TEA-100", location__code="athens").on_hand == 2_100_000_010
    assert MAX_UNITS < 2_100_000_010 + 100_000_000


def test_a_count_beyond_the_column_is_422(api: Client) -> None:
    body = {"adjustments": [{"sku": "TEA-100", "location": "athens", "reason": "count", "on_hand": 2**31}]}
    refused(post(api, "/api/v1/stock/adjustments", body), 422, "adjustments.0.on_hand")


# --- 5. placed_at --------------------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("placed_at", "code"),
    [
        ("0001-01-01T00:00:00Z", "too_early"),
        ("1999-12-31T23:59:59Z", "too_early"),
        ("2000-01-01T00:00:00+01:00", "too_early"),
        ("2026-11-24T10:05:01Z", "in_future"),
        ("9999-12-31T23:59:59-12:00", "in_future"),
        ("2026-11-24T10:00:00", "naive_datetime"),
    ],
)
def test_placed_at_outside_2000_to_five_minutes_ahead_is_422(api: Client, placed_at: str, code: str) -> None:
    before = snapshot()
    with clock.frozen_at(NOW):
        response = post_order(api, order_body(placed_at=placed_at))

    refused(response, 422, "placed_at", code)
    assert snapshot() == before


@pytest.mark.parametrize("placed_at", ["2000-01-01T00:00:00Z", "2026-11-24T10:05:00Z", "2026-11-24T05:05:00-05:00"])
def test_placed_at_within_the_range_is_accepted(api: Client, placed_at: str) -> None:
    with clock.frozen_at(NOW):
        assert post_order(api, order_body(placed_at=placed_at)).status_code == 201


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("placed_from=0001-01-01T00:00:00%2B01:00", "out_of_range"),
        ("placed_to=9999-12-31T23:59:59-12:00", "out_of_range"),
        ("placed_from=2026-11-24T10:00:00", "naive_datetime"),
    ],
)
def test_order_list_dates_outside_2000_to_2100_or_without_zone_are_422(api: Client, query: str, code: str) -> None:
    refused(api.get(f"/api/v1/orders?{query}"), 422, query.split("=")[0], code)


# --- 6. Strict JSON ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/api/v1/orders", "text/plain"),
        ("/api/v1/orders", "application/x-www-form-urlencoded"),
        ("/api/v1/products", "text/json"),
        ("/api/v1/stock/adjustments", "application/xml"),
        ("/api/v1/locations", "multipart/form-data; boundary=x"),
    ],
)
def test_a_body_not_sent_as_application_json_is_415(api: Client, url: str, content_type: str) -> None:
    before = snapshot()

    response = api.post(
        url, data=json.dumps(order_body()), content_type=content_type, headers={"Idempotency-Key": "media"}
    )

    refused(response, 415, "Content-Type", "unsupported_media_type")
    assert snapshot() == before


def test_application_json_with_a_charset_is_json(api: Client) -> None:
    response = api.post(
        "/api/v1/orders",
        data=json.dumps(order_body()),
        content_type="application/json; charset=utf-8",
        headers={"Idempotency-Key": "charset"},
    )
    assert response.status_code == 201, response.content


def test_a_key_twice_in_one_object_is_400(api: Client) -> None:
    before = snapshot()
    raw = json.dumps(order_body()).replace('"total": "43.30"', '"total": "43.30", "total": "0.00"')

    response = api.post("/api/v1/orders", data=raw, content_type="application/json", headers={"Idempotency-Key": "d"})

    refused(response, 400, "total", "duplicate_key")
    nested = json.dumps(order_body()).replace('"quantity": 2', '"quantity": 2, "quantity": 3')
    response = api.post(
        "/api/v1/orders", data=nested, content_type="application/json", headers={"Idempotency-Key": "e"}
    )
    refused(response, 400, "quantity", "duplicate_key")
    assert snapshot() == before


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(api: Client, constant: str) -> None:
    raw = json.dumps(order_body()).replace('"quantity": 2', f'"quantity": {constant}')
    response = api.post("/api/v1/orders", data=raw, content_type="application/json", headers={"Idempotency-Key": "n"})
    refused(response, 400, "body", "malformed_json")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b["lines"][0].update(quantity=True), "lines.0.quantity"),
        (lambda b: b["lines"][0].update(quantity="2"), "lines.0.quantity"),
        (lambda b: b["lines"][0].update(quantity=2.0), "lines.0.quantity"),
        (lambda b: b.update(gift_wrap="true"), "gift_wrap"),
        (lambda b: b.update(gift_wrap=1), "gift_wrap"),
        (lambda b: b.update(express="yes"), "express"),
        (lambda b: b.update(placed_at=1764000000), "placed_at"),
    ],
    ids=["true-quantity", "quoted-quantity", "float-quantity", "quoted-bool", "int-bool", "word-bool", "epoch"],
)
def test_integers_and_booleans_are_strict(api: Client, change: Change, field: str) -> None:
    before = snapshot()
    body = order_body()
    change(body)

    refused(post_order(api, body), 422, field)
    assert snapshot() == before


def test_adjustment_counts_are_strict_integers(api: Client) -> None:
    body = {"adjustments": [{"sku": "TEA-100", "location": "athens", "reason": "count", "on_hand": "5"}]}
    refused(post(api, "/api/v1/stock/adjustments", body), 422, "adjustments.0.on_hand")
    body = {"adjustments": [{"sku": "TEA-100", "location": "athens", "reason": "count", "on_hand": True}]}
    refused(post(api, "/api/v1/stock/adjustments", body), 422, "adjustments.0.on_hand")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.update(total=43.30), "total"),
        (lambda b: b.update(shipping_price=3.5), "shipping_price"),
        (lambda b: b["lines"][0].update(unit_price=19.9), "lines.0.unit_price"),
        (lambda b: b["lines"][0].update(unit_price=20), "lines.0.unit_price"),
    ],
    ids=["total", "shipping", "unit-price-float", "unit-price-int"],
)
def test_money_as_a_json_number_is_422_with_the_hint_to_send_a_string(api: Client, change: Change, field: str) -> None:
    before = snapshot()
    body = order_body()
    change(body)

    response = post_order(api, body)

    refused(response, 422, field, "decimal_not_string")
    message = next(error["message"] for error in response.json()["errors"] if error["field"] == field)
    assert "decimal string" in message
    assert 'e.g. "43.30"' in message or 'e.g. "19.90"' in message
    assert snapshot() == before


def test_a_payment_amount_as_a_number_is_422(api: Client) -> None:
    number = place(api, payment={"method": "bank_transfer", "status": "pending"})
    refused(post(api, f"/api/v1/orders/{number}/payments", {"amount": 10}), 422, "amount", "decimal_not_string")


def test_responses_echo_money_as_stored_with_the_currencys_decimals(api: Client) -> None:
    body = order_body(
        lines=[{"sku": "TEA-100", "quantity": 2, "unit_price": "19.9", "tax_rate": "24"}],
        shipping_price="3.5",
        total="43.3",
    )

    placed = post_order(api, body).json()
    read = api.get(f"/api/v1/orders/{placed['number']}").json()
    listed = api.get("/api/v1/orders").json()["orders"][0]

    for data in (placed, read):
        money = {name: data[name] for name in ("total", "subtotal", "shipping_price", "gift_wrap_price", "amount_paid")}
        assert money == {
            "total": "43.30",
            "subtotal": "39.80",
            "shipping_price": "3.50",
            "gift_wrap_price": "0.00",
            "amount_paid": "43.30",
        }
        line = data["lines"][0]
        assert (line["unit_price"], line["tax_rate"], line["line_total"]) == ("19.90", "24.00", "39.80")
    assert listed["total"] == "43.30"


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [("delete", "/api/v1/orders", "GET, POST"), ("put", "/api/v1/orders/EM-10001/confirm", "POST")],
)
def test_a_method_the_path_does_not_take_is_a_405_problem_with_allow(
    api: Client, method: str, url: str, allowed: str
) -> None:
    response = getattr(api, method)(url)

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert set(response["Allow"].split(", ")) == set(allowed.split(", "))
    assert response.json()["code"] == "method_not_allowed"


def test_an_unknown_api_path_is_a_404_problem(api: Client) -> None:
    response = api.get("/api/v1/nope")

    assert (response.status_code, response["Content-Type"]) == (404, "application/problem+json")
