"""Hebrew desk pages in a real Chromium: "+5" stays "+5", "115 22 Αθήνα" keeps its order, SKUs, phones
and order numbers read left to right, on the order, orders list, SKU and customer pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_staff
from emporos.customers.models import Customer
from tests.browser.conftest import screenshot
from tests.conftest import STAFF_PASSWORD, place, stock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = {
    "name": "Μαρία Παπαδοπούλου",
    "line1": "Ερμού 10",
    "city": "Αθήνα",
    "postal_code": "115 22",
    "country": "GR",
    "phone": "+306912345678",
}


def hebrew_page(browser: Any, base: str) -> Any:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="he-IL")
    page.goto(f"{base}/sign-in/")
    page.locator("input[name=username]").fill("maria")
    page.locator("input[name=password]").fill(STAFF_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base}/")
    page.context.add_cookies([{"name": "django_language", "value": "he", "url": base}])
    return page


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found, selector
    return found


def direction(page: Any, selector: str) -> str:
    return page.locator(selector).first.evaluate("element => getComputedStyle(element).direction")


def text_x(page: Any, selector: str, word: str) -> float:
    """The left edge of `word` as drawn inside the element (a Range over the text node)."""
    return page.locator(selector).first.evaluate(
        """(element, word) => {
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(word);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + word.length);
                    return range.getBoundingClientRect().left;
                }
            }
            return null;
        }""",
        word,
    )


def test_hebrew_pages_keep_numbers_codes_and_addresses_in_their_order(
    live_server: Any, browser: Any, catalog: None, api: Client
) -> None:
    create_staff(username="maria", email="maria@example.gr", password=STAFF_PASSWORD, role="owner")
    number = place(api, shipping_address=ADDRESS)
    stock("TEA-100", 15)  # counted 10 before: +5
    base = live_server.url
    page = hebrew_page(browser, base)

    # The SKU's ledger: the count's "+5" is drawn left to right, "+" left of "5".
    page.goto(f"{base}/inventory/TEA-100/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    delta = "#ledger .delta--up bdi"
    assert direction(page, delta) == "ltr"
    assert page.locator(delta).first.inner_text() == "+5"
    assert text_x(page, delta, "+") < text_x(page, delta, "5")
    assert direction(page, "h1 .mono") == "ltr"
    screenshot(page, "rtl-sku-he")

    # The order: "115 22 Αθήνα" keeps its order (the postal code left of the town), the phone and
    # the SKU read left to right, the page itself right to left.
    page.goto(f"{base}/orders/{number}/")
    place_line = ".order-address__place"
    assert page.locator(place_line).first.inner_text() == "115 22 Αθήνα"
    assert text_x(page, place_line, "115") < text_x(page, place_line, "22") < text_x(page, place_line, "Αθήνα")
    phone = '.order-address a[href^="tel:"] bdi'
    assert direction(page, phone) == "ltr"
    assert text_x(page, phone, "+") < text_x(page, phone, "30")
    assert direction(page, "#order-lines td.mono bdi") == "ltr"
    assert direction(page, "#order-lines") == "rtl"
    # The page reads right to left: the lines' table starts at the right, the SKU column is rightmost.
    sku_cell, product_cell = box(page, "#order-lines tbody td.mono"), box(page, "#order-lines tbody td:nth-child(2)")
    assert sku_cell["x"] > product_cell["x"]
    screenshot(page, "rtl-order-he")

    # The orders list: the e-mail under the name reads left to right.
    page.goto(f"{base}/orders/")
    email = "#orders-table .sub bdi.ltr"
    assert direction(page, email) == "ltr"
    assert text_x(page, email, "maria") < text_x(page, email, "example.gr")

    # The customer: the order number and e-mail left to right inside a right-to-left page.
    customer = Customer.objects.get(email="maria@example.gr")
    page.goto(f"{base}/customers/{customer.public_id}/")
    link = "#customer-orders a.rowlink bdi"
    assert direction(page, link) == "ltr"
    assert text_x(page, link, "EM") < text_x(page, link, number.removeprefix("EM-"))
    screenshot(page, "rtl-customer-he")
