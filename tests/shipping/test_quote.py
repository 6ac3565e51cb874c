"""POST /api/v1/shipping/quote: methods that reach a destination, their price for the cart, how
much more ships free, cash on delivery and the delivery window, holidays included."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_api_key
from emporos.core import clock
from emporos.core.calendar import WorkingDays

pytestmark = pytest.mark.django_db
# Thursday 3 December 2026, 10:00 in Athens: before the 12:00 cut-off of a working day.
THURSDAY_MORNING = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)


def ask(api: Client, body: dict[str, Any]) -> Any:
    return api.post("/api/v1/shipping/quote", data=json.dumps(body), content_type="application/json")


def cart(quantity: int = 2, *, country: str = "GR", postal_code: str = "10563", **overrides: Any) -> dict[str, Any]:
    return {
        "currency": "EUR",
        "destination": {"country": country, "postal_code": postal_code},
        "lines": [{"sku": "TEA-MOUNTAIN-100", "quantity": quantity}],
    } | overrides


@pytest.mark.usefixtures("greece")
def test_below_the_threshold_the_quote_says_how_much_more_ships_free(api: Client) -> None:
    with clock.frozen_at(THURSDAY_MORNING):
        response = ask(api, cart(2))

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["currency"], data["subtotal"], data["weight_grams"], data["zone"]) == ("EUR", "39.80", 240, "greece")
    courier, locker = data["options"]
    assert courier == {
        "code": "courier-standard",
        "name": "Courier Standard",
        "kind": "home",
        "price": "3.50",
        "free_over": "50.00",
        "missing_for_free": "10.20",
        "cash_on_delivery": True,
        "cash_on_delivery_fee": "2.00",
        "delivery": {"earliest": "2026-12-04", "latest": "2026-12-07"},  # Friday, then Monday
    }
    assert (locker["code"], locker["kind"], locker["price"], locker["free_over"], locker["missing_for_free"]) == (
        "boxnow-locker",
        "locker",
        "2.90",
        None,
        "0.00",
    )


@pytest.mark.usefixtures("greece")
def test_at_the_threshold_shipping_is_free_and_nothing_is_missing(api: Client) -> None:
    courier = ask(api, cart(3)).json()["options"][0]  # 59.70

    assert (courier["price"], courier["free_over"], courier["missing_for_free"]) == ("0.00", "50.00", "0.00")


@pytest.mark.usefixtures("greece")
def test_the_price_follows_the_weight_band_and_a_parcel_over_every_band_is_not_offered(api: Client) -> None:
    one_heavy = cart(lines=[{"sku": "TEA-100", "quantity": 1}])  # 5 kg, 19.90
    assert ask(api, one_heavy).json()["options"][0]["price"] == "6.00"
    three_heavy = cart(lines=[{"sku": "TEA-100", "quantity": 3}])  # 15 kg: over the courier's bands
    assert [option["code"] for option in ask(api, three_heavy).json()["options"]] == ["boxnow-locker"]


@pytest.mark.usefixtures("greece")
def test_the_most_specific_postal_area_wins(api: Client) -> None:
    data = ask(api, cart(2, postal_code="712 02")).json()

    assert data["zone"] == "crete"
    assert [(o["code"], o["price"]) for o in data["options"]] == [("courier-standard", "5.50")]


@pytest.mark.usefixtures("greece")
@pytest.mark.parametrize(
    ("country", "currency"), [("US", "EUR"), ("GR", "PLN")], ids=["no-zone", "no-method-in-currency"]
)
def test_a_destination_no_method_serves_gets_no_options(api: Client, country: str, currency: str) -> None:
    response = ask(api, cart(2, country=country, currency=currency))

    assert response.status_code == 200
    assert response.json()["options"] == []


@pytest.mark.usefixtures("greece")
def test_an_order_placed_before_a_greek_public_holiday_is_promised_after_it(api: Client) -> None:
    # Thursday 24 December 2026, 18:00 in Athens: after the last cut-off; the 25th and 26th are
    # public holidays (the 26th a Saturday too), so the parcel leaves on Monday the 28th.
    with clock.frozen_at(dt.datetime(2026, 12, 24, 16, 0, tzinfo=dt.UTC)):
        late = ask(api, cart(2)).json()["options"][0]["delivery"]
    with clock.frozen_at(dt.datetime(2026, 12, 24, 9, 0, tzinfo=dt.UTC)):
        early = ask(api, cart(2)).json()["options"][0]["delivery"]

    assert late == {"earliest": "2026-12-29", "latest": "2026-12-30"}
    assert early == {"earliest": "2026-12-28", "latest": "2026-12-29"}


@pytest.mark.usefixtures("greece")
@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        (lambda body: body["lines"][0].update(sku="NOPE-1"), "lines.0.sku", "unknown_sku"),
        (lambda body: body["lines"][0].update(quantity=0), "lines.0.quantity", None),
        (lambda body: body.update(currency="USD"), "currency", "unknown_currency"),
        (lambda body: body["destination"].update(country="XX"), "destination.country", "unknown_country"),
        (lambda body: body["destination"].update(postal_code="105\x0063"), "destination.postal_code", None),
        (lambda body: body.update(lines=[]), "lines", None),
    ],
    ids=["unknown-sku", "zero-quantity", "unknown-currency", "unknown-country", "nul-in-postal-code", "no-lines"],
)
def test_bad_input_is_422_naming_the_field(api: Client, change: Any, field: str, code: str | None) -> None:
    body = cart(2)
    change(body)

    response = ask(api, body)

    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in [error["field"] for error in errors]
    if code is not None:
        assert code in [error["code"] for error in errors if error["field"] == field]


@pytest.mark.usefixtures("greece")
def test_a_key_without_the_shipping_scope_is_refused(db: None) -> None:
    key = create_api_key(name="reports", scopes=["orders:read"]).plain_key
    response = ask(Client(headers={"Authorization": f"Bearer {key}"}), cart(2))

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("country", "after", "expected"),
    [
        ("GR", dt.date(2026, 12, 24), dt.date(2026, 12, 28)),  # Christmas and the 26th
        ("PL", dt.date(2026, 11, 10), dt.date(2026, 11, 12)),  # 11 November, Independence Day
        ("IL", dt.date(2026, 12, 3), dt.date(2026, 12, 6)),  # Thursday, then Sunday: the week is Sun-Thu
    ],
)
def test_working_days_know_each_countrys_week_and_holidays(country: str, after: dt.date, expected: dt.date) -> None:
    assert WorkingDays.of(country).add_working_days(after, 1) == expected
