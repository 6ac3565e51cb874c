"""The queue puts work that can be done now first and lists apart the orders that wait for stock,
a release date or to be made, with the reason; only the former count as overdue."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from emporos.core import clock
from emporos.orders import selectors
from emporos.orders.services import flag_overdue_orders
from tests.conftest import place

pytestmark = pytest.mark.django_db

BOOK = [{"sku": "BOOK-1", "quantity": 1, "unit_price": "25.00"}]
ICON = [{"sku": "ICON-1", "quantity": 1, "unit_price": "80.00"}]
MUGS = [{"sku": "MUG-1", "quantity": 3, "unit_price": "12.00"}]  # one in stock: two backordered


def listed(body: str, table: str) -> list[str]:
    found = re.search(rf'<table class="table queue-table" id="{table}">.*?</table>', body, re.S)
    return re.findall(r'data-order="([^"]+)"', found.group(0)) if found else []


@pytest.fixture
def mixed_queue(api: Client, catalog: None) -> dict[str, str]:
    long_ago = (clock.now() - dt.timedelta(days=10)).isoformat()
    orders = {
        "tea_overdue": place(api, placed_at=long_ago),
        "book_overdue": place(api, placed_at=long_ago, lines=BOOK, total="28.50"),
        "icon": place(api, lines=ICON, total="83.50"),
        "mugs": place(api, lines=MUGS, total="39.50"),
        "tea_fresh": place(api),
    }
    flag_overdue_orders()
    return orders


def test_work_that_can_be_done_now_comes_first_and_waiting_orders_apart(
    owner: Client, mixed_queue: dict[str, str]
) -> None:
    body = owner.get("/queue/").content.decode()
    assert listed(body, "queue-table") == [mixed_queue["tea_overdue"], mixed_queue["tea_fresh"]]
    assert listed(body, "waiting-table") == [mixed_queue["book_overdue"], mixed_queue["icon"], mixed_queue["mugs"]]
    waiting = re.search(r'<table class="table queue-table" id="waiting-table">.*?</table>', body, re.S)
    assert waiting is not None
    rows = dict(re.findall(r'data-order="([^"]+)">(.*?)</tr>', waiting.group(0), re.S))
    assert "badge--stock_state-preorder" in rows[mixed_queue["book_overdue"]]
    assert "expected 15 Jan 2027" in rows[mixed_queue["book_overdue"]]
    assert "Past due" in rows[mixed_queue["book_overdue"]]
    assert "badge--stock_state-made_to_order" in rows[mixed_queue["icon"]]
    assert "badge--stock_state-backordered" in rows[mixed_queue["mugs"]]
    assert "Past due" not in rows[mixed_queue["mugs"]]


def test_only_work_that_can_be_done_now_counts_as_overdue(owner: Client, mixed_queue: dict[str, str]) -> None:
    assert selectors.queue_counts() == selectors.QueueCounts(
        placed=5,
        confirmed=0,
        processing=0,
        on_hold=0,
        overdue=1,
        express=0,
        waiting_for_lines=3,
        waiting_overdue=1,
        backordered=1,
        preorder=1,
        made_to_order=1,
    )
    body = re.sub(r"\s+", " ", owner.get("/queue/").content.decode())
    assert 'class="count--alert"><strong>1</strong> Overdue' in body
    assert '<a href="#waiting"><strong>3</strong> Waiting for stock or a date</a>' in body
    assert "1 of them past the due time; not counted as overdue above." in body


def test_when_only_waiting_orders_are_left_the_queue_says_so(owner: Client, api: Client, catalog: None) -> None:
    number = place(api, lines=ICON, total="83.50")
    body = owner.get("/queue/").content.decode()
    assert "Nothing to do right now" in body
    assert listed(body, "waiting-table") == [number]


def test_the_api_queue_still_lists_every_waiting_order(api: Client, mixed_queue: dict[str, str]) -> None:
    numbers = [order["number"] for order in api.get("/api/v1/orders/queue").json()["orders"]]
    assert sorted(numbers) == sorted(mixed_queue.values())


def test_waiting_orders_page_on_with_their_own_cursor(
    owner: Client, api: Client, catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from emporos.desk.views import queue

    monkeypatch.setattr(queue, "WAITING_PAGE_SIZE", 2)
    numbers = [place(api, lines=ICON, total="83.50") for _ in range(3)]
    body = owner.get("/queue/").content.decode()
    assert listed(body, "waiting-table") == numbers[:2]
    next_link = re.search(r'href="\?waiting_after=([^"#&]+)#waiting"', body)
    assert next_link is not None
    body = owner.get(f"/queue/?waiting_after={next_link.group(1)}").content.decode()
    assert listed(body, "waiting-table") == numbers[2:]
    assert owner.get("/queue/?waiting_after=garbage").status_code == 200


def test_the_queue_with_waiting_orders_takes_the_same_queries_for_few_or_many(
    owner: Client, api: Client, catalog: None, django_assert_num_queries: Any
) -> None:
    from emporos.shop import selectors as shop

    place(api)
    place(api, lines=BOOK, total="28.50")
    shop.current()
    # session, user, staff role, the page of work, the page of waiting orders, why they wait, the counts
    with django_assert_num_queries(7):
        assert owner.get("/queue/").status_code == 200
    for _ in range(4):
        place(api, lines=ICON, total="83.50")
        place(api, lines=BOOK, total="28.50")
        place(api, lines=[{"sku": "EBOOK-1", "quantity": 1, "unit_price": "9.99"}], total="13.49")
    shop.current()
    with django_assert_num_queries(7):
        body = owner.get("/queue/").content.decode()
    assert len(listed(body, "queue-table")) == 5
    assert len(listed(body, "waiting-table")) == 9
