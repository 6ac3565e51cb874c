"""The satisfaction check's page in a real Chromium on a 390 px phone, in Greek and in Hebrew
(right to left): the five answers fit the screen, and a bad answer says the shop will call."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from emporos.feedback import links
from emporos.feedback.models import SatisfactionCheck
from tests.browser.conftest import screenshot
from tests.fulfillment.conftest import drain
from tests.returns.conftest import delivered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


@pytest.mark.parametrize("language", ["el", "he"])
def test_a_bad_answer_on_a_phone(live_server: Any, browser: Any, api: Client, greece: Any, language: str) -> None:
    number = delivered(api, at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    drain()
    check = SatisfactionCheck.objects.get(order__number=int(number.split("-")[-1]))
    page = browser.new_page(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)

    page.goto(f"{live_server.url}{links.page_path(check)}?lang={language}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    assert page.locator("button.scores__button").count() == 5
    assert fits_the_screen(page)
    check.refresh_from_db()
    assert check.score is None  # opening the page is no answer

    page.locator("#comment").fill("Ήρθε σπασμένο.")
    page.locator('button[name="score"][value="2"]').click()
    page.wait_for_selector("#we-will-call")

    assert page.locator("#answer").get_attribute("data-score") == "2"
    assert fits_the_screen(page)
    check.refresh_from_db()
    assert (check.score, check.comment) == (2, "Ήρθε σπασμένο.")
    screenshot(page, f"feedback-bad-{language}")
