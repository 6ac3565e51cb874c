"""The customer's side of support in a real Chromium on a phone: the chat on the order's status
page in Hebrew (right to left), answered by the shop and shown without a reload; the contact form
in Greek, refused next to the field, then sent with a photo and a call-back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.orders import links
from emporos.orders.models import Order
from emporos.support import services
from emporos.support.models import Attachment, Callback, Channel, Ticket
from tests.browser.conftest import screenshot
from tests.conftest import place
from tests.portal.support_helpers import TUESDAY_MORNING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_hours() -> Iterator[None]:
    with clock.frozen_at(TUESDAY_MORNING):
        yield


@pytest.fixture
def order(open_hours: None, api: Client, catalog: None) -> Order:
    number = place(api)
    return Order.objects.get(number=int(number.removeprefix("EM-")))


def phone(browser: Any, locale: str) -> Any:
    return browser.new_page(viewport=PHONE, locale=locale, is_mobile=True, has_touch=True)


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def test_the_customer_chats_in_hebrew_and_sees_the_answer_without_reloading(
    live_server: Any, browser: Any, order: Order
) -> None:
    page = phone(browser, "he-IL")
    page.goto(f"{live_server.url}{links.status_path(order)}?lang=he")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('#chat')).direction") == "rtl"
    page.evaluate("window.sameDocument = true")  # gone if the page reloads

    page.locator("#chat-text").fill("שלום, אפשר לשנות את הכתובת?")
    page.locator("#chat-send").click()
    page.wait_for_selector(".chat__line--in")

    assert page.locator("#chat-text").input_value() == ""
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.order_id, ticket.language) == (Channel.CHAT, order.pk, "he")

    services.reply(ticket=ticket, text="כן, הכתובת עודכנה.", actor=Actor.staff("eleni"))
    page.wait_for_selector(".chat__line--out")  # the next poll brings it

    assert page.locator(".chat__line--out .chat__text").inner_text() == "כן, הכתובת עודכנה."
    assert page.locator(".chat__line .chat__text").all_inner_texts() == [
        "שלום, אפשר לשנות את הכתובת?",
        "כן, הכתובת עודכנה.",
    ]
    assert page.evaluate("window.sameDocument === true")
    assert fits_the_screen(page)
    screenshot(page, "support-chat-he")


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "orange").save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_contact_form_on_a_phone_in_greek(live_server: Any, browser: Any, order: Order) -> None:
    page = phone(browser, "el-GR")
    page.goto(f"{live_server.url}{links.status_path(order)}?lang=el")
    page.locator("#contact-link").click()
    page.wait_for_selector("#contact-form")
    assert page.locator("html").get_attribute("lang") == "el"
    assert order.display_number in page.locator("#known-facts").inner_text()
    assert page.locator("#contact-email").count() == 0  # the address is known, never asked
    assert fits_the_screen(page)

    page.locator("#send-contact").click()  # no topic, no message: refused next to each field
    page.wait_for_selector("#contact-errors")
    assert page.locator('[data-field="topic"] .field__error').is_visible()
    assert page.locator('[data-field="message"] .field__error').is_visible()
    assert fits_the_screen(page)
    screenshot(page, "support-contact-refused-el")

    page.locator("#contact-topic").select_option("delivery")
    page.locator("#contact-message").fill("Το δέμα δεν έχει φτάσει ακόμα.")
    page.locator("#contact-attachments").set_input_files(
        files=[{"name": "δέμα.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.locator("#contact-phone").fill("691 234 5678")
    slot = page.locator("#contact-slot option").nth(1)
    assert slot.inner_text() == "Τρίτη 1 Δεκ 2026 11:00–11:30"
    page.locator("#contact-slot").select_option(index=1)
    page.locator("#send-contact").click()
    page.wait_for_selector("#reply-by")

    assert "Τρίτη 1 Δεκ 2026 14:00" in page.locator("#reply-by").inner_text()
    assert "Τρίτη 1 Δεκ 2026 11:00–11:30" in page.locator("#callback").inner_text()
    assert fits_the_screen(page)
    screenshot(page, "support-contact-thanks-el")
    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.order_id, ticket.topic, ticket.language) == (Channel.WEB, order.pk, "delivery", "el")
    assert list(Attachment.objects.values_list("filename", "content_type")) == [("δέμα.png", "image/png")]
    assert list(Callback.objects.values_list("phone", flat=True)) == ["+306912345678"]
