"""Numbers as each language writes them, and the framework's messages in the shop's words: in
every money and quantity field of the desk, and on the pages Django answers by itself."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from emporos.desk.forms import AmbiguousNumber, parse_number
from emporos.desk.views import errors
from emporos.fulfillment.models import Packaging
from emporos.inventory.models import StockLevel
from emporos.orders.models import Order
from emporos.shop.models import ShopSettings
from tests.conftest import place
from tests.desk.test_fulfillment_pages import NEW_BOX
from tests.desk.test_inventory_pages import adjustment
from tests.desk.test_settings_page import field_error, form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("el", "1,00", "1.00"),
        ("el", "16,50", "16.50"),
        ("el", "1.00", "1.00"),
        ("el", "1.234,50", "1234.50"),
        ("el", "1,234.50", "1234.50"),
        ("pl", "1 234,50", "1234.50"),
        ("pl", "1\u00a0234,50", "1234.50"),
        ("pl", "1.234.567", "1234567"),
        ("en", "1.00", "1.00"),
        ("en", "1,00", "1.00"),
        ("he", "\u200f16.50", "16.50"),
        ("en", "-2", "-2"),
        ("el", "1,234", "1.234"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_numbers_are_read_as_the_language_writes_them(language: str, text: str, expected: str) -> None:
    assert parse_number(text, language=language) == Decimal(expected)


@pytest.mark.parametrize(("language", "text"), [("el", "1.234"), ("pl", "1.234"), ("en", "1,234"), ("he", "2,500")])
def test_a_lone_thousands_separator_could_be_either_and_is_asked_about(language: str, text: str) -> None:
    with pytest.raises(AmbiguousNumber):
        parse_number(text, language=language)


@pytest.mark.parametrize("text", ["", "abc", "1,,2", "1.2.3", "1,234.5,6", "1 2", "12.", ",5", "1e3", "NaN"])
def test_what_is_no_number_is_refused(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - AmbiguousNumber is one too; these are not ambiguous
        parse_number(text, language="el")


@pytest.fixture
def greek(owner: Client) -> Client:
    owner.post("/i18n/setlang/", {"language": "el", "next": "/"})
    return owner


def _order(number: str) -> Order:
    return Order.objects.get(number=int(number.removeprefix("EM-")))


def test_in_greek_1_comma_00_is_a_payment_of_1_and_16_comma_50_pays_16_50(
    greek: Client, api: Client, catalog: None
) -> None:
    number = place(
        api,
        payment={"method": "bank_transfer", "status": "pending"},
        total="17.50",
        lines=[{"sku": "TEA-100", "quantity": 1, "unit_price": "14.00"}],
    )

    first = greek.post(f"/orders/{number}/", {"action": "record-payment", "record-payment-amount": "1,00"})
    assert first.status_code == 303
    assert _order(number).amount_paid == Decimal("1.00")
    page = greek.get(f"/orders/{number}/").content.decode()
    field = re.search(r'<input[^>]*name="record-payment-amount"[^>]*>', page)
    assert field is not None
    assert 'value="16,50"' in field.group(0)
    assert 'inputmode="decimal"' in field.group(0)
    assert 'type="text"' in field.group(0)

    second = greek.post(f"/orders/{number}/", {"action": "record-payment", "record-payment-amount": "16,50"})

    assert second.status_code == 303
    order = _order(number)
    assert (order.amount_paid, order.payment_status) == (Decimal("17.50"), "paid")


def test_an_ambiguous_amount_is_refused_naming_both_readings(greek: Client, api: Client, catalog: None) -> None:
    number = place(api, payment={"method": "bank_transfer", "status": "pending"})

    response = greek.post(f"/orders/{number}/", {"action": "record-payment", "record-payment-amount": "1.234"})

    assert response.status_code == 400
    errors_shown = re.findall(r'id="id_record-payment-amount_error">([^<]*)<', response.content.decode())
    assert errors_shown == ["Το 1.234 διαβάζεται με δύο τρόπους: γράψτε 1234 ή 1,234, ανάλογα με αυτό που εννοείτε."]
    assert _order(number).amount_paid == 0


def test_a_stock_count_in_greek_takes_1_comma_00_as_one(greek: Client, catalog: None) -> None:
    response = greek.post("/inventory/TEA-100/", adjustment(quantity="12,00"))

    assert response.status_code == 302
    assert StockLevel.objects.get(variant__sku="TEA-100", location__code="athens").on_hand == 12


def test_a_fraction_of_a_unit_is_refused_in_the_shops_words(owner: Client, catalog: None) -> None:
    response = owner.post("/inventory/TEA-100/", adjustment(quantity="2,5"))

    assert response.status_code == 400
    assert "Write a whole number, e.g. 5." in response.content.decode()


def test_packaging_measures_in_polish_take_grouped_grams(owner: Client) -> None:
    owner.post("/i18n/setlang/", {"language": "pl", "next": "/"})

    response = owner.post(
        "/settings/fulfillment/", {**NEW_BOX, "max_weight_grams": "10\u00a0000", "weight_grams": "250"}
    )

    assert response.status_code == 303
    assert Packaging.objects.get(code="BOX-M").max_weight_grams == 10_000


def test_the_overdue_threshold_takes_a_decimal_comma(greek: Client) -> None:
    response = greek.post("/settings/", form_data(overdue_hours="2,5"))

    assert response.status_code in {302, 303}
    assert ShopSettings.objects.get().overdue_hours == Decimal("2.5")


# --- the framework's messages in the shop's words -------------------------------------------------


def test_a_missing_choice_a_bad_choice_and_a_long_text_read_in_the_shops_words(
    owner: Client, api: Client, catalog: None
) -> None:
    number = place(api)

    response = owner.post(
        f"/orders/{number}/",
        {"action": "refund", "refund-amount": "abc", "refund-reason": "whim", "refund-reference": "R" * 101},
    )

    body = response.content.decode()
    assert response.status_code == 400
    shown = dict(re.findall(r'id="id_refund-([a-z]+)_error">([^<]*)<', body))
    assert shown == {
        "amount": "Write a number, e.g. 16.50.",
        "reason": "Choose one of the options in the list.",
        "reference": "Shorten this to 100 characters at most (now 101).",
    }
    for raw in ("This field is required", "Enter a number", "Select a valid choice", "Ensure this value"):
        assert raw not in body


def test_a_required_field_left_empty_says_so_in_the_shops_words(owner: Client) -> None:
    response = owner.post("/settings/", form_data(overdue_hours=""))

    assert response.status_code == 400
    assert field_error(response.content.decode(), "overdue_hours") == "Fill this in; it is needed."


def test_an_expired_form_is_a_desk_page_that_says_what_to_do(make_staff: Any, api: Client, catalog: None) -> None:
    number = place(api)
    make_staff("owner", username="eleni")
    strict = Client(enforce_csrf_checks=True)
    strict.login(username="eleni", password="a-long-staff-password-42")
    strict.post("/i18n/setlang/", {"language": "el", "next": "/"})  # refused too: no token

    response = strict.post(f"/orders/{number}/", {"action": "confirm"})

    assert response.status_code == 403
    body = response.content.decode()
    assert 'id="error" data-status="403"' in body
    assert "This form has expired" in body
    assert f'href="/orders/{number}/"' in body
    assert 'class="topbar"' in body  # the desk's own page, with its menu
    assert _order(number).status == "placed"


def test_a_request_for_an_unknown_host_is_a_desk_page(owner: Client) -> None:
    response = owner.get("/", headers={"host": "attacker.example"})

    assert response.status_code == 400
    assert "This request could not be read" in response.content.decode()


def test_a_page_nobody_may_open_is_a_desk_page(rf: RequestFactory) -> None:
    request = rf.get("/somewhere/")
    request.user = AnonymousUser()

    response = errors.permission_denied(request, PermissionError())

    assert response.status_code == 403
    assert "Your role cannot do this." in response.content.decode()


def test_a_failure_of_ours_is_a_plain_page_that_asks_the_database_nothing(
    rf: RequestFactory, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = errors.server_error(rf.get("/orders/EM-1/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    api = errors.server_error(rf.get("/api/v1/orders"))
    assert (api.status_code, api["Content-Type"]) == (500, "application/problem+json")


def test_signing_in_without_a_password_says_so_in_the_shops_words(make_staff: Any) -> None:
    make_staff("support", username="eleni")

    response = Client().post("/sign-in/", {"username": "eleni", "password": ""})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Fill this in; it is needed." in body
    assert "This field is required" not in body
