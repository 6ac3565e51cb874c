"""The home page, the queue and an order page on a phone (390 px), a tablet at the packing table
(1024 x 768) and a laptop (1366 px), in English, Greek, Polish and Hebrew, in a real Chromium.

Screenshots of home, queue, the orders list and an order per language at 390 and 1366 px go to
test-artifacts/ (home-he-390.png, orders-pl-1366.png, order-el-390.png...).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from emporos.access.services import create_staff
from emporos.core import clock
from emporos.orders.services import flag_overdue_orders
from tests.browser.conftest import screenshot
from tests.conftest import STAFF_PASSWORD, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {390: 844, 1024: 768, 1366: 900}
LANGUAGES = ["en", "el", "pl", "he"]
EBOOK = [{"sku": "EBOOK-1", "quantity": 1, "unit_price": "9.99"}]
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


@dataclass(frozen=True)
class Shop:
    busy_order: str  # lines waiting and in stock, a call, notes: the longest order page


@pytest.fixture
def shop_day(catalog: None, api: Client) -> Shop:
    create_staff(username="maria", email="maria@example.gr", password=STAFF_PASSWORD, role="owner")
    now = clock.now()
    for days_ago in range(0, 30, 2):
        place(api, placed_at=(now - dt.timedelta(days=days_ago, hours=1)).isoformat(), lines=EBOOK, total="13.49")
    long_ago = (now - dt.timedelta(days=10)).isoformat()
    place(api, placed_at=long_ago, lines=[{"sku": "BOOK-1", "quantity": 1, "unit_price": "25.00"}], total="28.50")
    place(api, lines=[{"sku": "ICON-1", "quantity": 1, "unit_price": "80.00"}], total="83.50")
    busy = place(
        api,
        lines=[
            {"sku": "TEA-100", "quantity": 1, "unit_price": "19.90"},
            {"sku": "MUG-1", "quantity": 3, "unit_price": "12.00"},
        ],
        total="59.40",
        customer_note="Παρακαλώ καλέστε πριν από την παράδοση στο 6912345678, ευχαριστώ πολύ!",
    )
    flag_overdue_orders()
    return Shop(busy_order=busy)


def too_wide(page: Any) -> list[str]:
    """The outermost elements that reach past the screen's edge, to name in a failure."""
    return page.evaluate(
        """() => {
            const clipped = e => { for (let a = e.parentElement; a; a = a.parentElement) {
                if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true; } return false; };
            const out = e => { const r = e.getBoundingClientRect(); return r.right > innerWidth + 1 || r.left < -1; };
            return [...document.querySelectorAll('body *')].filter(e => out(e) && !out(e.parentElement) && !clipped(e))
                .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().width));
        }"""
    )


def signed_in(browser: Any, base: str, *, width: int, language: str = "en") -> Any:
    context = browser.new_context(viewport={"width": width, "height": SIZES[width]}, locale="en-GB")
    context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page = context.new_page()
    page.goto(f"{base}/sign-in/")
    page.locator("input[name=username]").fill("maria")
    page.locator("input[name=password]").fill(STAFF_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")
    assert page.locator("html").get_attribute("lang") == language
    return page


@pytest.mark.parametrize("width", list(SIZES), ids=[f"{width}px" for width in SIZES])
def test_nothing_is_wider_than_the_screen(live_server: Any, browser: Any, shop_day: Shop, width: int) -> None:
    base = live_server.url
    for language in LANGUAGES:
        page = signed_in(browser, base, width=width, language=language)
        pages = [
            ("/", "home"),
            ("/queue/", "queue"),
            ("/orders/", "orders"),
            (f"/orders/{shop_day.busy_order}/", "order"),
        ]
        for path, name in pages:
            page.goto(f"{base}{path}")
            assert page.evaluate(OVERFLOW) <= 0, f"{path} in {language} at {width} px: {too_wide(page)}"
            if width in (390, 1366):
                screenshot(page, f"{name}-{language}-{width}")
        page.context.close()


def test_on_a_phone_the_order_page_shows_its_actions_before_its_timeline(
    live_server: Any, browser: Any, shop_day: Shop
) -> None:
    page = signed_in(browser, live_server.url, width=390)
    page.goto(f"{live_server.url}/orders/{shop_day.busy_order}/")
    screenshot(page, "order-en-390")
    actions = page.locator("#actions").bounding_box()
    timeline = page.locator("#order-timeline").bounding_box()
    assert actions is not None
    assert timeline is not None
    assert actions["y"] + actions["height"] <= timeline["y"]
    assert actions["width"] >= 390 - 2 * 16  # the full width of the column, not squeezed beside it
    # The header stays compact: the menu is a strip that scrolls by itself, not the page.
    header = page.locator("header.topbar").bounding_box()
    assert header is not None
    assert header["height"] <= 120
    nav = page.locator("nav.mainnav")
    assert nav.evaluate("nav => getComputedStyle(nav).overflowX") == "auto"
    settings = nav.get_by_role("link", name="Settings")
    settings.scroll_into_view_if_needed()
    assert settings.is_visible()
    settings.click()
    page.wait_for_url(f"{live_server.url}/settings/")


def test_on_a_tablet_at_the_packing_table_everything_is_reachable(
    live_server: Any, browser: Any, shop_day: Shop
) -> None:
    page = signed_in(browser, live_server.url, width=1024)
    for name in ["Home", "Queue", "Orders", "Fulfilment", "Packing", "Shipments", "Inventory", "Messages", "Settings"]:
        link = page.locator("nav.mainnav").get_by_role("link", name=name, exact=True)
        link.scroll_into_view_if_needed()
        box = link.bounding_box()
        assert box is not None, name
        assert 0 <= box["x"] <= box["x"] + box["width"] <= 1024, name
    page.goto(f"{live_server.url}/orders/{shop_day.busy_order}/")
    for summary in page.locator("#actions summary").all():
        summary.scroll_into_view_if_needed()
        box = summary.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 1024
    assert page.evaluate(OVERFLOW) <= 0
    for path in ["/packing/", "/fulfillment/", "/inventory/", "/shipments/"]:
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(OVERFLOW) <= 0, f"{path}: {too_wide(page)}"


@pytest.mark.parametrize("language", ["en", "he"])
def test_the_chart_s_labels_never_overlap_and_stay_inside(
    live_server: Any, browser: Any, shop_day: Shop, language: str
) -> None:
    page = signed_in(browser, live_server.url, width=390, language=language)
    chart = page.locator("svg.day-chart")
    frame = chart.bounding_box()
    assert frame is not None
    boxes = chart.locator("text").evaluate_all(
        "texts => texts.map(t => { const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )
    assert len(boxes) == 9  # five counts, four days a week apart
    for left, top, right, bottom in boxes:
        assert frame["x"] - 0.5 <= left
        assert right <= frame["x"] + frame["width"] + 0.5
        assert frame["y"] - 0.5 <= top
        assert bottom <= frame["y"] + frame["height"] + 0.5
    for index, first in enumerate(boxes):
        for second in boxes[index + 1 :]:
            apart = first[2] <= second[0] or second[2] <= first[0] or first[3] <= second[1] or second[3] <= first[1]
            assert apart, (first, second)
    bars = chart.locator("rect.day-chart__bar").evaluate_all("rects => rects.map(r => r.getBoundingClientRect().left)")
    today_at_right = bars[-1] > bars[0]
    assert today_at_right is (language != "he")  # Hebrew reads time from right to left
    assert page.locator("details.chart-data tbody tr").count() == 30
