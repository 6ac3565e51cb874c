"""A SKU's page at 1280 px in Chromium: the ledger spans the page, every column (the note too)
visible without a horizontal scroll, each row with the on-hand after it. Screenshot in
test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_staff
from tests.browser.conftest import screenshot
from tests.conftest import STAFF_PASSWORD, place, stock

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_ledger_fits_1280_px_with_its_running_balance(
    live_server: Any, browser: Any, catalog: None, api: Client
) -> None:
    create_staff(username="maria", email="maria@example.gr", password=STAFF_PASSWORD, role="owner")
    place(api)
    stock("TEA-100", 12, location="warsaw")
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page.goto(f"{base}/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/inventory/TEA-100/")

    scroll_width, shown_width = page.locator("#ledger").evaluate("t => [t.scrollWidth, t.parentElement.clientWidth]")
    assert scroll_width <= shown_width
    assert page.get_by_role("columnheader", name="Note").is_visible()
    after = page.locator("#ledger tbody tr").evaluate_all("rows => rows.map(row => row.cells[3].innerText)")
    assert after == ["12", "10", "10"]
    assert page.locator("#ledger tbody tr").first.locator("td").nth(1).inner_text() == "Warsaw store room"
    screenshot(page, "sku-ledger-1280")
