"""The support desk in a real Chromium: an agent opens the queue, opens a ticket that came by e-mail
about an order, fills the answer from a canned reply, sends it, then starts a return from the
ticket and sees it beside the conversation; in Hebrew the ticket page reads right to left with the
customer's context beside the conversation.

Screenshots go to test-artifacts/ (support-ticket.png, support-ticket-he.png).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_staff
from emporos.core import clock
from emporos.core.actor import Actor
from emporos.orders.models import Order
from emporos.returns.models import Return
from emporos.support import inbound
from emporos.support import settings as support_settings
from emporos.support.models import Direction, Ticket
from tests.browser.conftest import screenshot
from tests.browser.test_order_desk import sign_in
from tests.conftest import STAFF_PASSWORD, order_body, place
from tests.returns.conftest import delivered
from tests.support.test_tickets import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Tuesday 8 December 2026, 10:00 in Athens: the shop is open, the parcel came four days ago.
TUESDAY = dt.datetime(2026, 12, 8, 8, 0, tzinfo=dt.UTC)
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


def signed_in_in_hebrew(browser: Any, base: str, username: str) -> Any:
    """A page in a Hebrew browser, signed in as `username` (the desk's language from its cookie)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="he-IL")
    context.add_cookies([{"name": "django_language", "value": "he", "url": base}])
    page = context.new_page()
    page.goto(f"{base}/sign-in/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(STAFF_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    return page


@pytest.fixture
def ticket(catalog: None, greece: Any, api: Client) -> Iterator[Ticket]:
    """An e-mail about a delivered order, a canned reply, and an agent to answer."""
    create_staff(username="eleni", email="eleni@example.com", password=STAFF_PASSWORD, role="support")
    number = delivered(api)
    order = Order.objects.get(number=int(number.removeprefix("EM-")))
    with clock.frozen_at(TUESDAY):
        support_settings.save_macro(
            macro=None,
            name="Wrong size",
            bodies={
                "en": "Hello {customer_name}, we are sorry about order {order_number}.",
                "el": "Γεια {customer_name}",
            },
            set_status="pending",
            actor=Actor.system("test"),
        )
        inbound.accept(mail(subject=f"Order {order.display_number}", body="The tea is the wrong size."), source="imap")
        yield Ticket.objects.get()


def test_an_agent_answers_with_a_canned_reply_and_starts_a_return(
    live_server: Any, browser: Any, ticket: Ticket
) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
    with clock.frozen_at(TUESDAY):
        sign_in(page, base, "eleni")
        page.goto(f"{base}/support/")
        row = page.locator(f'tr[data-ticket="{ticket.number}"]')
        assert row.count() == 1
        assert page.evaluate(OVERFLOW) <= 0
        row.locator("a.rowlink").click()
        page.wait_for_url(f"{base}/support/{ticket.public_id}/")
        assert page.locator("#customer-orders").inner_text().count("EM-") == 1

        # The canned reply fills the answer in the ticket's language (Greek: the customer's).
        page.locator("#macro-select").select_option(label="Wrong size")
        assert page.locator("#id_reply-text").input_value() == "Γεια Μαρία"
        page.locator("#id_reply-text").fill("Γεια Μαρία, ένα νέο μέγεθος έρχεται.")
        page.locator("#send-reply").click()
        page.wait_for_selector("text=Answer sent; the ticket is now: waiting for the customer.")
        assert "ένα νέο μέγεθος έρχεται" in page.locator("#conversation").inner_text()
        answer = ticket.messages.filter(direction=Direction.OUT, automatic="").get()
        assert answer.text == "Γεια Μαρία, ένα νέο μέγεθος έρχεται."

        page.locator("#start-return").click()
        page.wait_for_url(f"{base}/support/{ticket.public_id}/return/")
        page.locator("#id_line-0-quantity").fill("1")
        page.locator("#request-return").click()
        page.wait_for_url(f"{base}/support/{ticket.public_id}/#customer-returns")
        ret = Return.objects.get()
        assert ret.channel == "desk"
        assert page.locator(f'#customer-returns [data-return="{ret.display_number}"]').count() == 1
        assert f"Return {ret.display_number} started for the customer." in page.locator(".messages").inner_text()
        screenshot(page, "support-ticket")


def test_the_ticket_page_reads_right_to_left_in_hebrew(live_server: Any, browser: Any, ticket: Ticket) -> None:
    base = live_server.url
    with clock.frozen_at(TUESDAY):
        page = signed_in_in_hebrew(browser, base, "eleni")
        page.goto(f"{base}/support/{ticket.public_id}/")
        assert page.locator("html").get_attribute("dir") == "rtl"
        main = page.locator(".ticket-main").bounding_box()
        aside = page.locator(".ticket-aside").bounding_box()
        # Right to left: the conversation on the right, the customer's context beside it on the left.
        assert aside["x"] + aside["width"] <= main["x"]
        assert page.evaluate(OVERFLOW) <= 0
        screenshot(page, "support-ticket-he")


def test_in_hebrew_an_agent_moves_an_order_to_another_locker(
    live_server: Any, browser: Any, api: Client, catalog: None, greece: Any
) -> None:
    create_staff(username="noa", email="noa@example.com", password=STAFF_PASSWORD, role="support")
    address = {**order_body()["shipping_address"], "pickup_point": "BOXNOW-ATH-114"}
    with clock.frozen_at(TUESDAY):
        number = place(api, shipping_address=address)
        inbound.accept(mail(subject=f"Order {number}", body="Can it go to another locker?"), source="imap")
    ticket = Ticket.objects.get()
    base = live_server.url
    with clock.frozen_at(TUESDAY):
        page = signed_in_in_hebrew(browser, base, "noa")
        page.goto(f"{base}/support/{ticket.public_id}/")
        page.locator("#action-pickup_point summary").click()
        assert "BOXNOW-ATH-114" in page.locator("#action-pickup_point").inner_text()
        page.locator("#id_pickup-point").fill("BOXNOW-ATH-205")
        page.locator("#action-pickup_point button[type=submit]").click()
        page.wait_for_selector(".messages")
        assert "BOXNOW-ATH-205" in page.locator(".messages").inner_text()
        assert page.locator("html").get_attribute("dir") == "rtl"
        # The order has moved; a label bought now names the new point, so the desk no longer offers it twice.
        order = Order.objects.get(number=int(number.removeprefix("EM-")))
        assert order.shipping_address["pickup_point"] == "BOXNOW-ATH-205"
        assert page.evaluate(OVERFLOW) <= 0
        screenshot(page, "support-pickup-point-he")
