"""The returns desk in a real Chromium: a staff member scans a return's number in the queue's search
box, receives the parcel on the return's page, then issues the refund (the shop's rule leaves it to
a person); the pages fit a 390 px phone in every language, Hebrew right to left.

Screenshots go to test-artifacts/ (return-received.png, return-he-390.png...).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_staff
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.inventory.models import StockLevel
from emporos.returns import settings as return_settings
from emporos.returns.models import Return
from tests.browser.conftest import screenshot
from tests.browser.test_order_desk import sign_in
from tests.browser.test_small_screens import signed_in, too_wide
from tests.conftest import STAFF_PASSWORD
from tests.returns.conftest import ask, delivered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SOON = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


@pytest.fixture
def ret(catalog: None, greece: Any, api: Client) -> Return:
    """A return of one tea, with refunds left to a person."""
    create_staff(username="maria", email="maria@example.gr", password=STAFF_PASSWORD, role="owner")
    return_settings.save_policy(
        voluntary_days=0,
        reasons=["wrong_size", "defective"],
        auto_refund="never",
        auto_refund_kinds=[],
        return_shipping_paid_by="shop",
        return_shipping_fee=Decimal(0),
        return_carrier="manual",
        customers_informed=True,
        actor=Actor.system("test"),
    )
    number = delivered(api)
    body = {"lines": [{"sku": "TEA-100", "quantity": 1, "reason": "wrong_size", "condition": "unopened"}]}
    with clock.frozen_at(SOON):
        response = ask(api, number, body)
    assert response.status_code == 201, response.content
    return Return.objects.get(public_id=response.json()["id"])


def test_a_scanned_return_is_received_then_refunded(live_server: Any, browser: Any, ret: Return) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    sign_in(page, base, "maria")
    before = StockLevel.objects.get(variant__sku="TEA-100").on_hand

    page.goto(f"{base}/returns/")
    assert page.locator(f'tr[data-return="{ret.display_number}"]').count() == 1
    # A keyboard-wedge scanner types the label's barcode and presses Enter.
    search = page.locator("#id_q")
    search.focus()
    page.keyboard.type(ret.display_number)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/returns/{ret.public_id}/")
    assert page.locator("h1").inner_text() == f"Return {ret.display_number}"
    assert page.evaluate(OVERFLOW) <= 0

    page.locator("#receive-button").click()
    page.wait_for_selector(f"text=Return {ret.display_number} received.")
    assert page.locator("#receive-form").count() == 0
    assert StockLevel.objects.get(variant__sku="TEA-100").on_hand == before + 1
    screenshot(page, "return-received")

    page.locator("#refund-button").click()
    page.wait_for_selector(f"text=A refund of €19.90 was issued for return {ret.display_number}.")
    assert dialogs == [f"Issue the refund for return {ret.display_number}? It cannot be undone."]
    assert "€19.90" in page.locator("#refund-facts").inner_text()
    ret.refresh_from_db()
    assert ret.refund is not None
    assert ret.refund.amount == Decimal("19.90")


@pytest.mark.parametrize("language", ["en", "el", "pl", "he"])
def test_the_returns_pages_fit_a_phone(live_server: Any, browser: Any, ret: Return, language: str) -> None:
    base = live_server.url
    page = signed_in(browser, base, width=390, language=language)
    for name, path in [
        ("returns", "/returns/"),
        ("return", f"/returns/{ret.public_id}/"),
        ("returns-report", "/returns/report/?starts=2026-12-01&ends=2026-12-31"),
        ("returns-settings", "/settings/returns/"),
    ]:
        page.goto(f"{base}{path}")
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
        screenshot(page, f"{name}-{language}-390")
        assert page.evaluate(OVERFLOW) <= 0, f"{path} in {language}: {too_wide(page)}"
    page.context.close()
