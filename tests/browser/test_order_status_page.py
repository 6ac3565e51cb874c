"""The customer's order status page and the lookup form in a real Chromium on a phone-sized screen:
a split shipment in Greek and in Hebrew (right to left), the lookup refusing a wrong e-mail and
then rate-limited, a tampered link refused. Screenshots go to the test's tmp path."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from emporos.orders import links
from tests.portal.conftest import SplitOrder, make_split_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def split_order(api: Client, catalog: None) -> SplitOrder:
    return make_split_order(api)


def phone(browser: Any, language: str = "en-GB") -> Any:
    return browser.new_page(viewport=PHONE, locale=language, is_mobile=True, has_touch=True)


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


@pytest.mark.parametrize("language", ["el", "he"])
def test_the_status_page_of_a_split_shipment(
    live_server: Any, browser: Any, split_order: SplitOrder, language: str, tmp_path: Path
) -> None:
    page = phone(browser)
    response = page.goto(f"{live_server.url}{links.status_path(split_order.order)}")
    assert response.status == 200
    # Μαρία ordered in Greek: the page opens in Greek whatever the browser says.
    assert page.locator("html").get_attribute("lang") == "el"
    if language == "he":
        page.locator('.langpicker a[hreflang="he"]').click()
        page.wait_for_function("document.documentElement.lang === 'he'")
    html = page.locator("html")
    assert html.get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    assert page.evaluate("getComputedStyle(document.body).direction") == html.get_attribute("dir")

    parcels = page.locator("section.parcel")
    assert parcels.count() == 2
    assert [parcels.nth(i).get_attribute("data-tracking-number") for i in range(2)] == ["BN1234567890", "ACS-77001122"]
    assert parcels.nth(0).locator(".tracking-number").inner_text() == "BN1234567890"
    assert parcels.nth(1).locator(".tracking-number").inner_text() == "ACS-77001122"
    # Tracking numbers and codes read left to right inside right-to-left text.
    number_direction = "getComputedStyle(document.querySelector('#parcel-1 .tracking-number bdi')).direction"
    assert page.evaluate(number_direction) == "ltr"
    assert parcels.nth(0).locator(".pickup__code").inner_text() == "483920"
    assert parcels.nth(0).locator(".pickup__code").is_visible()
    assert parcels.nth(0).locator("li[data-sku]").all_inner_texts() == ["2\u00a0× mountain-tea TEA-100"]
    assert parcels.nth(1).locator("li[data-sku]").all_inner_texts() == ["1\u00a0× mountain-tea TEA-250"]
    assert parcels.nth(1).locator('[data-flag="signature"]').is_visible()
    assert parcels.nth(0).locator("a.track-link").get_attribute("href") == "https://boxnow.gr/en/?track=BN1234567890"
    assert page.locator("#waiting li[data-sku]").evaluate_all("items => items.map(i => i.dataset.sku)") == [
        "MUG-1",
        "BOOK-1",
    ]

    # The carrier's scans open without JavaScript (details/summary).
    parcels.nth(0).locator("details.scans summary").click()
    assert parcels.nth(0).locator("details.scans li").count() == 3

    # Right to left: the timeline's line and dots are on the right (logical properties); nothing
    # scrolls sideways on a phone.
    padding = (
        parcels.nth(0)
        .locator(".timeline .step")
        .first.evaluate("step => [getComputedStyle(step).paddingLeft, getComputedStyle(step).paddingRight]")
    )
    assert padding == (["0px", "24px"] if language == "he" else ["24px", "0px"])
    assert fits_the_screen(page)
    page.screenshot(path=str(tmp_path / f"status-{language}.png"), full_page=True)


def test_the_lookup_form_refuses_a_wrong_email_and_is_rate_limited(
    live_server: Any, browser: Any, split_order: SplitOrder, tmp_path: Path
) -> None:
    page = phone(browser)
    page.goto(f"{live_server.url}/status/?lang=en")
    number = split_order.order.display_number

    def submit(email: str) -> Any:
        page.get_by_label("Order number").fill(number)
        page.get_by_label("E-mail address").fill(email)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Show my order").click()
        return navigation.value

    for attempt in range(5):
        refused = submit(f"not-maria{attempt}@example.gr")
        assert refused.status == 400
        assert "We found no order with this number and e-mail address." in page.locator("#lookup-error").inner_text()
    page.screenshot(path=str(tmp_path / "lookup-refused.png"), full_page=True)

    locked = submit("maria@example.gr")  # the right pair, too late
    assert locked.status == 429
    assert page.locator("#lookup-locked").inner_text() == "Too many tries. Try again in 15 minutes."
    assert fits_the_screen(page)
    page.screenshot(path=str(tmp_path / "lookup-locked.png"), full_page=True)


def test_the_lookup_form_opens_the_order(live_server: Any, browser: Any, split_order: SplitOrder) -> None:
    page = phone(browser)
    page.goto(f"{live_server.url}/status/")
    page.get_by_label("Order number").fill(split_order.order.display_number.lower())
    page.get_by_label("E-mail address").fill("Maria@Example.gr")
    page.get_by_role("button", name="Show my order").click()
    page.wait_for_url(re.compile(rf"{re.escape(live_server.url)}/status/[^/]+/$"))  # a fresh signed link
    assert links.order_for_token(page.url.rstrip("/").rsplit("/", 1)[1]) == split_order.order
    assert page.locator("section.parcel").count() == 2


def test_a_tampered_link_is_refused(live_server: Any, browser: Any, split_order: SplitOrder, tmp_path: Path) -> None:
    token = links.status_token(split_order.order)
    tampered = token[:-2] + ("xy" if not token.endswith("xy") else "zz")
    page = phone(browser, "he-IL")
    response = page.goto(f"{live_server.url}/status/{tampered}/")
    assert response.status == 404
    assert page.locator("#link-refused").get_attribute("data-reason") == "invalid"
    assert page.locator("html").get_attribute("dir") == "rtl"  # the browser's language: Hebrew
    assert page.locator("form.lookup").is_visible()
    assert page.locator("section.parcel").count() == 0
    assert split_order.order.display_number not in page.content()
    page.screenshot(path=str(tmp_path / "tampered-he.png"), full_page=True)
