"""A day at the order desk in a real Chromium: sign in, filter, verify, cancel, roles, Hebrew.

Screenshots of the queue, an order page and the Hebrew queue are written to test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_staff
from emporos.core import clock
from emporos.shop import selectors as shop
from tests.browser.conftest import screenshot
from tests.conftest import STAFF_PASSWORD, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ORDER_LINK = re.compile(r"/orders/(EM-\d+)/$")


@dataclass(frozen=True)
class Day:
    """Four orders: two pending in the last days, one paid, one pending but older."""

    recent_pending: str
    fresh_cod: str
    recent_paid: str
    old_pending: str
    date_from: str
    date_to: str


@pytest.fixture
def day(catalog: None, api: Client) -> Day:
    create_staff(username="maria", email="maria@example.gr", password=STAFF_PASSWORD, role="owner")
    create_staff(username="packer", email="packer@example.gr", password=STAFF_PASSWORD, role="warehouse")
    now = clock.now()
    today = now.astimezone(shop.time_zone()).date()

    def at(hours_ago: float) -> str:
        return (now - dt.timedelta(hours=hours_ago)).isoformat()

    bank_pending = {"method": "bank_transfer", "status": "pending"}
    return Day(
        recent_pending=place(api, placed_at=at(50), payment=bank_pending),
        fresh_cod=place(api, placed_at=at(1), payment={"method": "cash_on_delivery", "status": "pending"}),
        recent_paid=place(api, placed_at=at(49)),
        old_pending=place(api, placed_at=at(24 * 12), payment=bank_pending),
        date_from=(today - dt.timedelta(days=4)).isoformat(),
        date_to=today.isoformat(),
    )


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/")
    assert "/sign-in/" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def listed_orders(page: Any) -> set[str]:
    hrefs = page.locator("table tbody a.rowlink").evaluate_all("links => links.map(link => link.pathname)")
    return {match.group(1) for href in hrefs if (match := ORDER_LINK.search(href))}


def reserved_at_athens(page: Any, base: str, sku: str) -> int:
    page.goto(f"{base}/inventory/{sku}/")
    return int(page.locator('#levels tr[data-location="athens"] td').nth(1).inner_text())


def test_a_day_at_the_order_desk(live_server: Any, browser: Any, day: Day) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")

    sign_in(page, base, "maria")
    assert page.get_by_role("heading", name="Today").is_visible()  # the home page
    page.get_by_role("link", name="Queue", exact=True).click()
    page.wait_for_url(f"{base}/queue/")
    assert page.get_by_role("heading", name="Orders waiting").is_visible()
    assert listed_orders(page) == {day.recent_pending, day.fresh_cod, day.recent_paid, day.old_pending}
    screenshot(page, "queue")

    # Filter by payment status and a date range: exactly the matching orders.
    page.get_by_role("link", name="Orders", exact=True).click()
    page.get_by_label("Payment", exact=True).select_option("pending")
    page.get_by_label("From").fill(day.date_from)
    page.get_by_label("To", exact=True).fill(day.date_to)
    page.get_by_role("button", name="Show orders").click()
    page.wait_for_url(re.compile(r"payment_status=pending"))
    assert f"from={day.date_from}" in page.url
    assert listed_orders(page) == {day.recent_pending, day.fresh_cod}

    # Open one, verify it with an outcome: the timeline shows the call.
    page.get_by_role("link", name=day.recent_pending, exact=True).click()
    page.wait_for_url(f"{base}/orders/{day.recent_pending}/")
    page.locator("#action-verify summary").click()
    page.get_by_label("Outcome").select_option("confirmed")
    page.locator("#action-verify").get_by_label("Note").fill("Spoke with Maria, address is right.")
    page.get_by_role("button", name="Record the call").click()
    page.wait_for_url(f"{base}/orders/{day.recent_pending}/")
    timeline = page.locator("#order-timeline")
    assert "Verification call: Customer confirmed the details.\nSpoke with Maria, address is right." in (
        timeline.inner_text()
    )
    screenshot(page, "order-page")

    # Cancel another (confirming the dialog): its stock goes back, as the inventory page shows.
    reserved_before = reserved_at_athens(page, base, "TEA-100")
    page.goto(f"{base}/orders/{day.fresh_cod}/")
    page.locator("#action-cancel summary").click()
    page.locator("#action-cancel").get_by_label("Reason").fill("Customer called to cancel.")
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    page.locator("#action-cancel button[type=submit]").click()
    page.wait_for_selector("text=Customer called to cancel.")
    assert dialogs
    assert dialogs[0].startswith(f"Cancel order {day.fresh_cod}?")
    assert reserved_at_athens(page, base, "TEA-100") == reserved_before - 2

    # Hebrew: the whole layout turns right to left.
    page.goto(f"{base}/queue/")
    page.get_by_label("Language").select_option("he")
    page.get_by_role("button", name="Change").click()
    page.wait_for_function("document.documentElement.lang === 'he'")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert listed_orders(page) == {day.recent_pending, day.recent_paid, day.old_pending}
    screenshot(page, "queue-hebrew")


def test_the_warehouse_is_refused_the_settings_page(live_server: Any, browser: Any, day: Day) -> None:
    base = live_server.url
    page = browser.new_page(locale="en-GB")
    sign_in(page, base, "packer")
    assert page.get_by_role("link", name="Settings").count() == 0
    response = page.goto(f"{base}/settings/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Not allowed").is_visible()
