"""The orders list in a real Chromium: it fits 1280 and 1366 px without a sideways scroll, turns
into cards at 390 px, sorts from its headings (right to left too), and sends no empty filters.

Screenshots of the list (en and he) and of a SKU's ledger are written to test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client

from emporos.access.services import create_staff
from emporos.core import clock
from tests.browser.conftest import screenshot
from tests.conftest import STAFF_PASSWORD, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"
# A table wider than its frame would hide columns behind a scroll of its own.
TABLE_OVERFLOW = (
    "(selector) => { const t = document.querySelector(selector); return t.scrollWidth - t.parentElement.clientWidth; }"
)


@pytest.fixture
def shop_orders(catalog: None, api: Client) -> list[str]:
    """Orders with long names and e-mails, every channel and method, express and overdue ones."""
    create_staff(username="maria", email="maria@example.gr", password=STAFF_PASSWORD, role="owner")
    now = clock.now()
    numbers = []
    people = [
        ("Αικατερίνη Παπαδημητροπούλου-Καραγιαννοπούλου", "aikaterini.papadimitropoulou@example-long-domain.gr", "el"),
        ("Grzegorz Brzęczyszczykiewicz", "grzegorz.brzeczyszczykiewicz@example.pl", "pl"),
        ("שושנה בן-אליעזר", "shoshana.ben-eliezer@example.co.il", "he"),
    ]
    for index in range(9):
        name, email, language = people[index % 3]
        numbers.append(
            place(
                api,
                lines=[{"sku": "EBOOK-1", "quantity": 1, "unit_price": f"{9 + index}.99"}],
                shipping_price="0.00",
                total=f"{9 + index}.99",
                placed_at=(now - dt.timedelta(hours=3 + 30 * index)).isoformat(),
                channel=["web", "instagram-shop", "marketplace"][index % 3],
                shipping_method=["courier-express", "boxnow-locker", "courier-standard"][index % 3],
                customer={"email": email, "name": name, "phone": "+306912345678", "language": language},
                payment={"method": "cash_on_delivery", "status": "pending"}
                if index % 2
                else {"method": "card", "status": "paid"},
            )
        )
    return numbers


def sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/orders/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/orders/")


@pytest.mark.parametrize("width", [1280, 1366])
def test_the_list_fits_the_screen_without_a_sideways_scroll(
    live_server: Any, browser: Any, shop_orders: list[str], width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900}, locale="en-GB")
    sign_in(page, live_server.url)

    page.goto(f"{live_server.url}/orders/?sort=-due")
    screenshot(page, f"orders-list-{width}")

    assert page.evaluate(OVERFLOW) <= 0
    assert page.evaluate(TABLE_OVERFLOW, "#orders-table") <= 0
    due = page.locator("#orders-table thead th").last
    assert due.is_visible()
    box = due.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= width


def test_on_a_phone_each_order_is_a_card_with_labelled_facts(
    live_server: Any, browser: Any, shop_orders: list[str]
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True, has_touch=True)
    sign_in(page, live_server.url)

    page.goto(f"{live_server.url}/orders/")
    screenshot(page, "orders-list-390")

    assert page.evaluate(OVERFLOW) <= 0
    assert (
        page.locator("#orders-table thead").is_hidden()
        or page.evaluate("getComputedStyle(document.querySelector('#orders-table thead')).position") == "absolute"
    )
    first = page.locator("#orders-table tbody tr").first
    assert first.evaluate("row => getComputedStyle(row).display") in {"block", "grid"}
    total = first.locator("td.num")
    assert total.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Total"'


def test_headings_sort_the_list_both_ways_and_say_so(live_server: Any, browser: Any, shop_orders: list[str]) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    sign_in(page, live_server.url)

    page.locator("#orders-table thead").get_by_role("link", name="Total").click()
    page.wait_for_url("**/orders/?sort=-total")
    heading = page.locator("#orders-table th[aria-sort]")
    assert heading.inner_text().startswith("Total")
    assert heading.get_attribute("aria-sort") == "descending"

    heading.get_by_role("link").click()
    page.wait_for_url("**/orders/?sort=total")
    assert page.locator("#orders-table th[aria-sort]").get_attribute("aria-sort") == "ascending"
    assert "Total, lowest first" in page.locator("#result-count").inner_text()


def test_the_filter_form_sends_only_the_filters_in_use(live_server: Any, browser: Any, shop_orders: list[str]) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    sign_in(page, live_server.url)

    page.get_by_label("Channel").select_option("instagram-shop")
    page.get_by_label("Express").select_option("no")
    page.get_by_role("button", name="Show orders").click()
    page.wait_for_url("**/orders/?*")

    assert parse_qsl(urlsplit(page.url).query, keep_blank_values=True) == [
        ("channel", "instagram-shop"),
        ("express", "no"),
    ]
    assert page.locator("#result-count").inner_text().startswith("3 orders")
    # Back to the form as it was: no field stays switched off.
    assert page.get_by_label("SKU").is_enabled()


def test_right_to_left_the_list_fits_and_its_arrows_point_the_same_way(
    live_server: Any, browser: Any, shop_orders: list[str]
) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    sign_in(page, live_server.url)
    page.get_by_label("Language").select_option("he")
    page.get_by_role("button", name="Change").click()
    page.wait_for_function("document.documentElement.lang === 'he'")

    page.goto(f"{live_server.url}/orders/?sort=-total")
    screenshot(page, "orders-list-he-1366")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate(OVERFLOW) <= 0
    assert page.locator("#orders-table th[aria-sort] .sort-arrow").inner_text() == "▼"
    # The number column keeps its digits left to right.
    assert page.locator("#orders-table tbody a.rowlink").first.get_attribute("dir") == "ltr"


def test_a_long_ledger_note_wraps_inside_the_page(
    live_server: Any, browser: Any, shop_orders: list[str], api: Client
) -> None:
    note = "Counted after the delivery from the supplier in Thessaloniki; two boxes were damaged " * 4
    response = api.post(
        "/api/v1/stock/adjustments",
        {"adjustments": [{"sku": "TEA-100", "location": "athens", "reason": "count", "on_hand": 40, "note": note}]},
        content_type="application/json",
    )
    assert response.status_code in {200, 201}, response.content
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    sign_in(page, live_server.url)

    page.goto(f"{live_server.url}/inventory/TEA-100/")
    screenshot(page, "inventory-ledger-1280")

    assert page.evaluate(OVERFLOW) <= 0
    assert page.evaluate(TABLE_OVERFLOW, "#ledger") <= 0
