"""The packing table in a real Chromium, driven as a packer drives it: a keyboard-wedge scanner types
the slip's order number and each item's SKU, each followed by Enter; a wrong item is flagged on
screen; a box is chosen and the package closed; the label opens. In English, Greek and Hebrew
(right to left). Screenshots go to test-artifacts/ (EMPOROS_TEST_ARTIFACTS)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_staff
from emporos.fulfillment.models import Packaging, Shipment
from emporos.shipping.models import Method
from tests.browser.conftest import screenshot
from tests.conftest import STAFF_PASSWORD, place
from tests.fulfillment.conftest import confirm, drain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINES = [
    {"sku": "TEA-100", "quantity": 2, "unit_price": "19.90"},
    {"sku": "TEA-250", "quantity": 1, "unit_price": "19.90"},
    {"sku": "MUG-1", "quantity": 3, "unit_price": "12.00"},  # 1 in stock: these follow separately
]
WEDGE_DELAY_MS = 5  # a keyboard-wedge scanner types fast


@pytest.fixture
def packing_table(greece: None) -> str:
    """An order to pack (two lines ready, one waiting), boxes, and a packer."""
    Method.objects.update(carrier="demo")
    Packaging.objects.create(
        code="BOX-S", name="Small box", length_mm=200, width_mm=150, height_mm=100, weight_grams=150, position=1
    )
    Packaging.objects.create(
        code="ENV-A4", name="A4 envelope", kind="envelope", length_mm=320, width_mm=230, height_mm=20, weight_grams=40
    )
    create_staff(username="packer", email="packer@example.gr", password=STAFF_PASSWORD, role="warehouse")
    return "packer"


def new_order(api: Client) -> str:
    number = place(api, lines=LINES, total="95.70", shipping_price="0.00")
    confirm(number)
    drain()
    return number


def sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.locator("input[name=username]").fill("packer")
    page.locator("input[name=password]").fill(STAFF_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def switch_language(page: Any, language: str) -> None:
    page.locator("form.langform select").select_option(language)
    page.locator("form.langform button").click()
    page.wait_for_function(f"document.documentElement.lang === '{language}'")


def scan(page: Any, code: str) -> None:
    """What a keyboard-wedge scanner does: the code typed quickly into the focused box, then Enter."""
    assert page.evaluate("document.activeElement && document.activeElement.name") == "order", "the scan box has focus"
    page.keyboard.type(code, delay=WEDGE_DELAY_MS)
    page.keyboard.press("Enter")


def count_of(page: Any, sku: str) -> str:
    return str(page.locator(f'.packline[data-sku="{sku}"] [data-count]').inner_text())


@pytest.mark.parametrize("language", ["en", "el", "he"])
def test_a_packer_scans_an_order_packs_it_and_prints_the_label(
    live_server: Any, browser: Any, packing_table: str, api: Client, language: str
) -> None:
    number = new_order(api)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1100, "height": 1000}, locale="en-GB")
    sign_in(page, base)
    if language != "en":
        switch_language(page, language)
    page.locator('nav.mainnav a[href="/packing/"]').click()
    page.wait_for_url(f"{base}/packing/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    screenshot(page, f"packing-scan-{language}")

    # The slip's barcode: the order opens.
    scan(page, number.lower() if language == "el" else number)
    page.wait_for_url(f"{base}/packing/{number}/")
    assert page.locator("#follows [data-follows=MUG-1]").is_visible()  # waiting: follows separately

    # Each item's barcode confirms one unit; a wrong item is flagged, nothing counted.
    scan(page, "TEA-100")
    scan(page, "CANDLE-9")
    alert = page.locator("#scan-alert")
    alert.wait_for(state="visible")
    assert "CANDLE-9" in alert.inner_text()
    assert "is-alert" in (page.locator("#scan-form").get_attribute("class") or "")
    if language == "en":
        assert alert.inner_text() == "CANDLE-9 is not in this order."
    scan(page, "MUG-1")
    if language == "en":
        assert alert.inner_text() == "MUG-1 does not go into this parcel: it follows separately."
    assert count_of(page, "TEA-100") == "1"
    screenshot(page, f"packing-order-{language}")

    scan(page, "TEA-100")
    page.locator('.packline[data-sku="TEA-250"] .packline__tap').click()  # a tap on the touch screen
    assert page.evaluate("document.activeElement.name") == "order"  # the focus is back in the scan box
    scan(page, "TEA-250")  # one too many: flagged, not counted
    assert "TEA-250" in alert.inner_text()
    assert (count_of(page, "TEA-100"), count_of(page, "TEA-250")) == ("2", "1")

    # The box: the parcel's weight follows (TEA-100 weighs 5 kg here, TEA-250 nothing, the box 150 g).
    page.locator("label.packaging", has_text="Small box").click()
    weight = page.locator("#parcel-weight").inner_text()
    assert re.fullmatch(r"10[.,]15\s\S+", weight), weight  # "10.15 kg", "10,15 kg"; the unit in the page's language
    screenshot(page, f"packing-ready-{language}")

    # Close: Enter on the empty scan box when all is packed (keyboard only), or the big button.
    if language == "en":
        page.keyboard.press("Enter")
    else:
        page.locator("#close-package").click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/packing/parcels/[0-9a-f-]+/$"))

    parcel = Shipment.objects.get(order__number=int(number.removeprefix("EM-")))
    assert sorted((line.sku, line.quantity) for line in parcel.lines.all()) == [("TEA-100", 2), ("TEA-250", 1)]
    assert parcel.packaging is not None
    assert parcel.packaging.code == "BOX-S"
    assert parcel.carrier == "demo"
    assert page.locator("#tracking-number").inner_text() == parcel.tracking_number

    label_url = page.locator("#label-frame").get_attribute("src")
    assert label_url == f"/shipments/{parcel.public_id}/label.pdf"
    label = page.request.get(f"{base}{label_url}")
    assert label.status == 200
    assert label.headers["content-type"] == "application/pdf"
    assert label.headers["x-frame-options"] == "SAMEORIGIN"  # the frame may show it (elsewhere: DENY)
    assert label.body().startswith(b"%PDF")
    assert page.locator("#print-label").is_visible()
    screenshot(page, f"packing-done-{language}")

    # "Next order": the scan box again.
    page.locator("#next-order").click()
    page.wait_for_url(f"{base}/packing/")
    assert page.evaluate("document.activeElement.name") == "order"
