"""Order actions in a real Chromium: a question is asked only once what was typed is valid, a
refusal stays at the order's address (so switching the language shows the order), and a paid
order cancelled leads to its refund, filled in.

A screenshot of the refused payment is written to test-artifacts/.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_staff
from emporos.orders.models import Order
from tests.browser.conftest import screenshot
from tests.browser.test_order_desk import sign_in
from tests.conftest import STAFF_PASSWORD, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _order(number: str) -> Order:
    return Order.objects.get(number=int(number.removeprefix("EM-")))


@pytest.fixture
def numbers(catalog: None, api: Client) -> tuple[str, str]:
    """An order owing 43.30 by bank transfer, and one paid by card."""
    create_staff(username="maria", email="maria@example.gr", password=STAFF_PASSWORD, role="owner")
    return place(api, payment={"method": "bank_transfer", "status": "pending"}), place(api)


def _send(page: Any, action: str, value: str, dialogs: list[str]) -> str:
    """Type `value` in the action's first field and press its button; the browser's message, if any."""
    field = page.locator(f"#action-{action} form input:not([type=hidden]), #action-{action} form select").first
    field.fill(value)
    before = len(dialogs)
    page.locator(f"#action-{action} button[type=submit]").click()
    page.wait_for_timeout(300)
    assert len(dialogs) == before, f"asked {dialogs[before:]} for {value!r}"
    return str(field.evaluate("element => element.validationMessage"))


def test_a_question_comes_only_after_the_input_is_valid(
    live_server: Any, browser: Any, numbers: tuple[str, str]
) -> None:
    unpaid, _paid = numbers
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    sign_in(page, base, "maria")
    page.goto(f"{base}/orders/{unpaid}/")
    page.locator("#action-record-payment summary").click()

    # The browser's own checks (required, the shape of a number), then what the page knows (the most
    # owed): none of them asks anything, and nothing is sent.
    assert _send(page, "record-payment", "", dialogs)
    assert _send(page, "record-payment", "forty", dialogs)
    assert _send(page, "record-payment", "50,00", dialogs) == "Only €43.30 is outstanding on this order."
    assert page.url == f"{base}/orders/{unpaid}/"
    # What only the server can read goes to it without a question, and comes back next to the field.
    _send(page, "record-payment", "1.234", dialogs)
    page.wait_for_load_state()
    assert "Use at most 2 decimals." in page.locator("#action-record-payment .field__error").inner_text()
    assert page.url.startswith(f"{base}/orders/{unpaid}/")
    screenshot(page, "order-payment-refused")
    assert dialogs == []
    assert _order(unpaid).amount_paid == 0

    # A valid amount: now the question, then the payment.
    page.locator("#action-record-payment input[name=record-payment-amount]").fill("16,50")
    page.locator("#action-record-payment button[type=submit]").click()
    page.wait_for_load_state()
    assert dialogs == [f"Record this payment for order {unpaid}?"]
    page.wait_for_selector("text=Payment of €16.50")
    assert _order(unpaid).amount_paid == Decimal("16.50")

    # A reason of spaces alone is refused by the browser before the cancel question.
    page.locator("#action-cancel summary").click()
    assert _send(page, "cancel", "   ", dialogs)
    assert _order(unpaid).status == "placed"


def test_a_refused_action_stays_at_the_orders_address_through_a_language_switch(
    live_server: Any, browser: Any, numbers: tuple[str, str]
) -> None:
    unpaid, _paid = numbers
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, base, "maria")
    page.goto(f"{base}/orders/{unpaid}/")
    page.locator("#action-record-payment summary").click()
    page.locator("#action-record-payment input[name=record-payment-amount]").fill("0,001")
    page.locator("#action-record-payment button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#action-record-payment .field__error").count() == 1

    page.locator("#language-select").select_option("el")
    page.locator(".langform button").click()
    page.wait_for_load_state()

    assert page.url == f"{base}/orders/{unpaid}/"
    assert page.locator("html").get_attribute("lang") == "el"
    assert page.locator("h1").inner_text().endswith(unpaid)

    page.reload()
    assert page.locator("h1").inner_text().endswith(unpaid)


def test_cancelling_a_paid_order_leads_to_its_refund(live_server: Any, browser: Any, numbers: tuple[str, str]) -> None:
    _unpaid, paid = numbers
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, base, "maria")
    page.goto(f"{base}/orders/{paid}/")
    page.locator("#action-cancel summary").click()
    page.locator("#action-cancel input[name=cancel-reason]").fill("Out of stock at the supplier")
    page.locator("#action-cancel button[type=submit]").click()
    page.wait_for_url(f"{base}/orders/{paid}/#action-refund")

    refund = page.locator("#action-refund")
    assert refund.get_attribute("open") is not None
    assert refund.locator("input[name=refund-amount]").input_value() == "43.30"
    assert refund.locator("select[name=refund-reason]").input_value() == "cancelled"
    refund.locator("button[type=submit]").click()
    page.wait_for_selector("#refunded")

    assert page.locator("#refunded").inner_text() == "€43.30"
    assert _order(paid).payment_status == "refunded"
