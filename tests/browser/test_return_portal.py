"""The return form and the EU withdrawal button in a real Chromium on a 390 px phone, in Greek and
in Hebrew (right to left): nothing wider than the screen, the refusal next to the field, and the
withdrawal's confirmation step before anything is stated."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from emporos.orders import links
from emporos.orders.models import Order
from emporos.returns.models import Return
from tests.browser.conftest import screenshot
from tests.returns.conftest import delivered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def phone(browser: Any) -> Any:
    return browser.new_page(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def recent_order(api: Client) -> Order:
    # Delivered yesterday: the withdrawal period runs whenever the test runs.
    number = delivered(api, at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    return Order.objects.get(number=int(number.split("-")[-1]))


@pytest.mark.parametrize("language", ["el", "he"])
def test_the_return_form_on_a_phone(live_server: Any, browser: Any, api: Client, greece: Any, language: str) -> None:
    order = recent_order(api)
    page = phone(browser)
    page.goto(f"{live_server.url}{links.status_path(order)}?lang={language}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    page.locator("#return-items").click()
    page.wait_for_selector("form.return-form")
    assert fits_the_screen(page)
    page.locator('input[name="line-0"]').check()
    page.locator("#send-return").click()  # no reason, no condition: refused next to each field
    page.wait_for_selector("#return-errors")
    assert page.locator('[data-field="reason"] .field__error').is_visible()
    assert page.locator('[data-field="condition"] .field__error').is_visible()
    assert fits_the_screen(page)
    page.locator('input[name="line-0"]').check()
    page.locator("#reason").select_option("wrong_size")
    page.locator('input[name="condition"][value="unopened"]').check()
    page.locator("#send-return").click()
    page.wait_for_selector("#return-state")
    assert page.locator("#label-download").is_visible()
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    assert fits_the_screen(page)
    screenshot(page, f"return-page-{language}")
    assert Return.objects.get().channel == "portal"


@pytest.mark.parametrize("language", ["el", "he"])
def test_the_withdrawal_button_with_its_confirmation(
    live_server: Any, browser: Any, api: Client, greece: Any, language: str
) -> None:
    order = recent_order(api)
    page = phone(browser)
    page.goto(f"{live_server.url}{links.status_path(order)}?lang={language}")
    page.locator("#withdraw").click()
    page.wait_for_selector("#withdrawal-form")
    assert fits_the_screen(page)
    page.locator("#withdraw-continue").click()
    page.wait_for_selector("#withdrawal-confirm")
    assert not Return.objects.exists()
    assert page.locator("#withdrawal-items li").count() == 1
    assert fits_the_screen(page)
    screenshot(page, f"withdrawal-confirm-{language}")
    page.locator("#confirm-withdrawal").click()
    page.wait_for_selector("#withdrawal-statement")
    assert Return.objects.get().is_withdrawal_statement
    assert fits_the_screen(page)
