"""An order's timeline read in Greek and in Hebrew in a real Chromium: every entry in the reader's
language, nothing left in English. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_staff
from emporos.core.actor import Actor
from emporos.orders import selectors, services
from emporos.orders.services import flag_overdue_orders
from tests.browser.conftest import screenshot
from tests.conftest import STAFF_PASSWORD, place, timeline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ELENI = Actor.staff("eleni")
LETTERS = {"el": re.compile(r"[\u0370-\u03ff]"), "he": re.compile(r"[\u0590-\u05ff]")}


@pytest.fixture
def busy_order(catalog: None, api: Client) -> str:
    """An order with an entry of every kind the desk can make: call, hold, release, payment, note, cancel."""
    create_staff(username="maria", email="maria@example.gr", password=STAFF_PASSWORD, role="owner")
    number = place(api, payment={"method": "bank_transfer", "status": "pending"}, placed_at="2026-01-05T09:00:00Z")
    order = selectors.order_for_update(number)
    services.verify_order(order=order, outcome="corrected", note="Όροφος 3", actor=ELENI)
    services.confirm_order(order=order, actor=ELENI)
    services.hold_order(order=order, reason="Περιμένουμε την κατάθεση", actor=ELENI)
    services.release_order(order=order, actor=ELENI)
    services.record_payment(order=order, amount=Decimal("20.00"), reference="ΤΡ-1", actor=Actor.system("bank"))
    services.add_note(order=order, text="Εύθραυστο", actor=ELENI)
    flag_overdue_orders()
    services.start_processing(order=order, actor=ELENI)
    services.cancel_order(order=selectors.order_for_update(number), reason="Διπλή παραγγελία", actor=ELENI)
    return number


def switch_language(page: Any, language: str) -> None:
    page.locator("form.langform select").select_option(language)
    page.locator("form.langform button").click()
    page.wait_for_function(f"document.documentElement.lang === '{language}'")


@pytest.mark.parametrize("language", ["el", "he"])
def test_the_timeline_reads_in_greek_and_hebrew(live_server: Any, browser: Any, busy_order: str, language: str) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="en-GB")
    page.goto(f"{base}/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/orders/{busy_order}/")
    switch_language(page, language)

    texts = page.locator("#order-timeline li .text").all_inner_texts()
    english = {entry.text for entry in timeline(selectors.order_for_update(busy_order))}
    assert len(texts) == len(english) == 10
    for text in texts:
        assert LETTERS[language].search(text), f"not in {language}: {text}"
        assert text not in english
        assert not re.search(r"\b(Order|Payment|placed|recorded|hold|cancelled|refund)\b", text), text
    actors = page.locator("#order-timeline li .when bdi").all_inner_texts()
    assert "Emporos (automatic)" not in actors
    notes = page.locator("#order-timeline li .note").all_inner_texts()
    assert "Διπλή παραγγελία" in notes  # what staff typed is shown as typed
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    screenshot(page, f"order-timeline-{language}")
