"""The orders list: filters in the URL, quick picks, sorting and paging, and bulk actions."""

from __future__ import annotations

import datetime as dt
import html
import re
import urllib.parse
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.desk.views import orders as orders_view
from emporos.orders import selectors, services
from emporos.orders.filters import OrderFilters
from emporos.orders.models import Order, SavedOrderView
from emporos.orders.selectors import order_for_update
from emporos.orders.states import STATUS_STEPS, OrderStatus
from emporos.outbox import selectors as outbox
from emporos.shop import selectors as shop
from emporos.timeline.models import Entry
from tests.conftest import place
from tests.shipping.conftest import greece  # noqa: F401  (configured shipping methods)

pytestmark = pytest.mark.django_db

ATHENS = ZoneInfo("Europe/Athens")
# A Wednesday morning in the shop's time zone (Europe/Athens, UTC+2 in November).
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ATHENS)
ACTOR = Actor.system("tests")


@pytest.fixture(autouse=True)
def _frozen_clock() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


def ebook(api: Client, **overrides: Any) -> str:
    """An order of a digital book: no stock to run out of, so a test can place many."""
    body: dict[str, Any] = {
        "lines": [{"sku": "EBOOK-1", "quantity": 1, "unit_price": "9.99"}],
        "shipping_price": "0.00",
        "total": "9.99",
    }
    return place(api, **(body | overrides))


def listed(response: HttpResponse) -> list[str]:
    """The order numbers the page lists, top to bottom."""
    assert response.status_code == 200, response.content
    return re.findall(r'<tr[^>]* data-order="(EM-\d+)"', response.content.decode())


def link(response: HttpResponse, pattern: str) -> str:
    """The unescaped href of the first link whose attributes and text match `pattern`."""
    found = re.search(rf'<a[^>]*href="([^"]*)"[^>]*>{pattern}', response.content.decode())
    assert found is not None, f"no link matching {pattern!r}"
    return html.unescape(found.group(1))


def status_of(number: str) -> str:
    return order_for_update(number).status


@pytest.fixture
def shop_orders(api: Client, catalog: None) -> dict[str, str]:
    """Five orders that differ in one thing each, placed at known moments (Athens time)."""
    card = ebook(api, placed_at="2026-11-20T09:00:00+02:00")
    late_transfer = ebook(
        api,
        placed_at="2026-11-20T23:30:00+02:00",
        payment={"method": "bank_transfer", "status": "pending"},
        channel="instagram",
    )
    after_midnight_cod = ebook(
        api,
        placed_at="2026-11-21T00:30:00+02:00",
        payment={"method": "cash_on_delivery", "status": "pending"},
        shipping_method="courier-express",
    )
    confirmed = ebook(
        api,
        placed_at="2026-11-22T10:00:00+02:00",
        payment={"method": "bank_transfer", "status": "pending"},
        customer={"email": "jan@example.pl", "name": "Jan Kowalski", "phone": "+48601234567", "language": "pl"},
    )
    services.confirm_order(order=order_for_update(confirmed), actor=ACTOR)
    fresh = ebook(api, placed_at="2026-11-25T09:50:00+02:00")
    return {
        "card": card,
        "late_transfer": late_transfer,
        "after_midnight_cod": after_midnight_cod,
        "confirmed": confirmed,
        "fresh": fresh,
    }


def test_without_filters_every_order_is_listed_newest_first(owner: Client, shop_orders: dict[str, str]) -> None:
    response = owner.get("/orders/")

    assert listed(response) == [
        shop_orders[name] for name in ("fresh", "confirmed", "after_midnight_cod", "late_transfer", "card")
    ]
    assert '<a href="/orders/" aria-current="page">' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=confirmed", ["confirmed"]),
        ("payment_status=paid", ["fresh", "card"]),
        ("payment_method=cash_on_delivery", ["after_midnight_cod"]),
        ("fulfillment_status=unfulfilled&payment_method=bank_transfer", ["confirmed", "late_transfer"]),
        ("channel=instagram", ["late_transfer"]),
        ("shipping_method=courier-express", ["after_midnight_cod"]),
        ("overdue=yes", ["confirmed", "after_midnight_cod", "late_transfer", "card"]),
        ("overdue=no", ["fresh"]),
        ("q=jan%40example.pl", ["confirmed"]),
        ("q=Kowalski", ["confirmed"]),
        ("payment_status=pending&from=2026-11-20&to=2026-11-20", ["late_transfer"]),
        ("payment_status=pending&from=2026-11-20&to=2026-11-21", ["after_midnight_cod", "late_transfer"]),
        ("payment_status=pending&from=2026-11-21", ["confirmed", "after_midnight_cod"]),
        ("to=2026-11-20", ["late_transfer", "card"]),
        ("payment_status=paid&from=2026-11-21&to=2026-11-24", []),
    ],
    ids=[
        "status",
        "payment-status",
        "payment-method",
        "fulfillment-and-method",
        "channel",
        "shipping-method",
        "overdue",
        "not-overdue",
        "search-email",
        "search-name",
        "pending-on-one-shop-day",
        "pending-to-is-inclusive",
        "pending-from-only",
        "to-only",
        "nothing-matches",
    ],
)
def test_filters_narrow_to_exactly_the_matching_orders(
    owner: Client, shop_orders: dict[str, str], query: str, expected: list[str]
) -> None:
    response = owner.get(f"/orders/?{query}")

    assert listed(response) == [shop_orders[name] for name in expected]


def test_search_by_number_finds_that_order(owner: Client, shop_orders: dict[str, str]) -> None:
    assert listed(owner.get(f"/orders/?q={shop_orders['card']}")) == [shop_orders["card"]]


def test_the_filter_form_shows_the_filters_of_the_url(owner: Client, shop_orders: dict[str, str]) -> None:
    body = owner.get("/orders/?payment_status=pending&from=2026-11-20&channel=instagram").content.decode()

    assert '<option value="pending" selected>Payment pending</option>' in body
    assert 'name="from" value="2026-11-20"' in body
    assert '<option value="instagram" selected>instagram</option>' in body  # a choice of the channels in use


def test_no_match_says_so_and_offers_to_clear_the_filters(owner: Client, shop_orders: dict[str, str]) -> None:
    response = owner.get("/orders/?fulfillment_status=shipped")

    body = response.content.decode()
    assert listed(response) == []
    assert "No orders match" in body
    assert link(response, r"\s*Clear filters") == "/orders/"


@pytest.mark.parametrize(
    ("pick", "dates"),
    [
        ("Today", "from=2026-11-25&to=2026-11-25"),
        ("Yesterday", "from=2026-11-24&to=2026-11-24"),
        ("Last 7 days", "from=2026-11-19&to=2026-11-25"),
        ("Last 30 days", "from=2026-10-27&to=2026-11-25"),
        ("This month", "from=2026-11-01&to=2026-11-25"),
    ],
)
def test_quick_picks_set_the_dates_and_keep_the_other_filters(owner: Client, pick: str, dates: str) -> None:
    response = owner.get("/orders/?status=placed&q=maria&from=2026-01-01&sort=oldest&after=stale")

    assert link(response, pick) == f"/orders/?status=placed&q=maria&sort=oldest&{dates}"


def test_the_quick_pick_in_use_is_marked(owner: Client) -> None:
    body = owner.get("/orders/?from=2026-11-19&to=2026-11-25").content.decode()

    assert re.findall(r'<a href="[^"]*" aria-current="true">([^<]+)</a>', body) == ["Last 7 days"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-13-01", "from", "Write a date, e.g. 2026-12-24."),
        ("to=yesterday", "to", "Write a date, e.g. 2026-12-24."),
        ("from=2026-11-20&to=2026-11-19", "to", "This day is before the “From” day; pick the same day or a later one."),
        ("status=lost", "status", "Choose one of the options in the list."),
        ("overdue=maybe", "overdue", "Choose one of the options in the list."),
        ("q=tea%00pot", "q", "Null characters are not allowed."),
        (
            "channel=web%E2%80%AE",
            "channel",
            "Remove the bidirectional control character U+202E (character 4): it makes text display in another "
            "order than it reads.",
        ),
    ],
    ids=["impossible-date", "not-a-date", "to-before-from", "unknown-status", "unknown-overdue", "nul", "bidi"],
)
def test_bad_filters_answer_400_with_the_message_next_to_the_field(
    owner: Client, shop_orders: dict[str, str], query: str, field: str, message: str
) -> None:
    response = owner.get(f"/orders/?{query}")

    body = response.content.decode()
    assert response.status_code == 400
    assert f'<p class="field__error" id="id_{field}_error">{html.escape(message)}</p>' in body
    assert re.findall(r'data-order="', body) == []


def test_oldest_first_pages_with_a_cursor_and_keeps_the_filters(
    owner: Client, api: Client, catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(orders_view, "PAGE_SIZE", 2)
    placed = [ebook(api, placed_at=f"2026-11-2{day}T12:00:00+02:00") for day in (0, 1, 2, 3, 4)]
    ebook(api, placed_at="2026-11-24T13:00:00+02:00", channel="instagram")  # filtered out on every page

    first = owner.get("/orders/?channel=web&sort=oldest")
    second = owner.get(link(first, "Next page"))
    third = owner.get(link(second, "Next page"))

    assert [listed(first), listed(second), listed(third)] == [placed[0:2], placed[2:4], placed[4:5]]
    assert link(second, "Next page").startswith("/orders/?channel=web&sort=oldest&after=")
    assert "Next page" not in third.content.decode()
    assert link(third, "First page") == "/orders/?channel=web&sort=oldest"
    assert "First page" not in first.content.decode()


def test_newest_first_pages_with_a_cursor(
    owner: Client, api: Client, catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(orders_view, "PAGE_SIZE", 2)
    placed = [ebook(api, placed_at=f"2026-11-2{day}T12:00:00+02:00") for day in (0, 1, 2)]

    first = owner.get("/orders/")
    second = owner.get(link(first, "Next page"))

    assert [listed(first), listed(second)] == [placed[:0:-1], placed[:1]]


def test_a_cursor_of_the_other_sort_order_starts_again_at_the_first_page(
    owner: Client, api: Client, catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(orders_view, "PAGE_SIZE", 2)
    placed = [ebook(api, placed_at=f"2026-11-2{day}T12:00:00+02:00") for day in (0, 1, 2)]
    newest_cursor = re.search(r"after=([^&\"]+)", link(owner.get("/orders/"), "Next page"))
    assert newest_cursor is not None

    response = owner.get(f"/orders/?sort=oldest&after={newest_cursor.group(1)}")

    assert listed(response) == placed[:2]


def test_the_table_shows_each_orders_facts(owner: Client, api: Client, catalog: None) -> None:
    number = place(api, placed_at="2026-11-20T23:30:00+02:00", payment={"method": "bank_transfer", "status": "pending"})
    customer = order_for_update(number).customer

    body = owner.get("/orders/").content.decode()

    assert f'<input type="checkbox" name="orders" value="{number}"' in body
    assert f'href="/orders/{number}/"' in body
    assert f'href="/customers/{customer.public_id}/"' in body
    assert 'datetime="2026-11-20T23:30:00+02:00"' in body  # in the shop's time zone, not UTC
    assert "4 d 10 h ago" in body
    assert '<span class="badge badge--payment_status-pending">Payment pending</span>' in body
    assert '<span class="sub">Bank transfer</span>' in body
    assert '<span class="badge badge--fulfillment_status-unfulfilled">Not shipped</span>' in body
    assert "€43.30" in body
    assert '<span class="badge badge--overdue">Overdue</span>' in body
    assert '<input type="checkbox" data-select-all' in body
    assert "<span data-selected-count>0</span> selected" in body


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_takes_the_same_number_of_queries_for_2_or_12_orders(
    owner: Client, api: Client, catalog: None, django_assert_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        ebook(api, placed_at="2026-11-20T09:00:00+02:00")

    shop.current()  # the shop's settings come from the per-process cache, as between most requests

    # Session, user, staff role, the channels in use, the shipping methods, the staff member's
    # saved views, the page's ids, those orders with their customers, and the count.
    with django_assert_num_queries(9):
        response = owner.get("/orders/?payment_status=paid&from=2026-11-20&to=2026-11-20")

    assert len(listed(response)) == count


# --- bulk actions ---------------------------------------------------------------------------------


def bulk(client: Client, **data: Any) -> HttpResponse:
    response: HttpResponse = client.post("/orders/bulk/", {"next": "/orders/?status=placed", **data})
    return response


def flashed(client: Client, response: HttpResponse) -> list[tuple[str, str]]:
    return [(message.tags, str(message)) for message in get_messages(response.wsgi_request)]


def test_bulk_confirm_changes_each_order_it_can_and_reports_the_others(
    owner: Client, api: Client, catalog: None
) -> None:
    placed, cancelled = ebook(api), ebook(api)
    services.cancel_order(order=order_for_update(cancelled), reason="Customer asked", actor=ACTOR)
    before = outbox.topics()

    response = bulk(owner, action="confirm", orders=[placed, cancelled, "EM-99999"])

    assert response.status_code == 302
    assert response["Location"] == "/orders/?status=placed"
    assert (status_of(placed), status_of(cancelled)) == ("confirmed", "cancelled")
    assert outbox.topics()[len(before) :] == ["orders.order_confirmed"]
    assert flashed(owner, response) == [
        ("success", "Confirmed 1 order."),
        (
            "error",
            f"2 orders were not changed: {cancelled}: The order {cancelled} cannot go from cancelled to confirmed; "
            "from cancelled it can go to: nothing (final). EM-99999: There is no order EM-99999.",
        ),
    ]


def test_bulk_hold_puts_every_selected_order_on_hold_with_the_reason(owner: Client, api: Client, catalog: None) -> None:
    first, second = ebook(api), ebook(api)

    response = bulk(owner, action="hold", reason="Address to check", orders=[first, second])

    assert [(o.status, o.hold_reason) for o in Order.objects.order_by("number")] == [
        ("on_hold", "Address to check"),
        ("on_hold", "Address to check"),
    ]
    assert flashed(owner, response) == [("success", "Put 2 orders on hold.")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "hold", "reason": "  "}, "Say why the orders go on hold, in a few words; the timeline keeps it."),
        ({"action": "hold"}, "Say why the orders go on hold, in a few words; the timeline keeps it."),
        ({"action": ""}, "Choose what to do with the selected orders."),
        ({"action": "delete"}, "Choose what to do with the selected orders."),
        ({"action": "confirm", "orders": []}, "Tick the orders to change first."),
        (
            {"action": "confirm", "orders": [f"EM-{n}" for n in range(20001, 20202)]},
            "Select at most 200 orders at a time.",
        ),
    ],
    ids=["hold-blank-reason", "hold-no-reason", "no-action", "unknown-action", "no-selection", "too-many"],
)
def test_a_bulk_request_that_cannot_go_ahead_writes_nothing(
    owner: Client, api: Client, catalog: None, data: dict[str, Any], message: str
) -> None:
    numbers = [ebook(api), ebook(api)]
    entries, topics = Entry.objects.count(), outbox.topics()

    response = bulk(owner, **({"orders": numbers} | data))

    assert response["Location"] == "/orders/?status=placed"
    assert flashed(owner, response) == [("error", message)]
    assert [status_of(number) for number in numbers] == ["placed", "placed"]
    assert (Entry.objects.count(), outbox.topics()) == (entries, topics)


def test_bulk_record_payment_takes_the_outstanding_amount_and_skips_card_orders(
    make_staff: Any, api: Client, catalog: None
) -> None:
    support = make_staff("support")
    cod = ebook(api, payment={"method": "cash_on_delivery", "status": "pending"})
    card = ebook(api, payment={"method": "card", "status": "authorized"})

    response = bulk(support, action="record_payment", orders=[cod, card])

    paid, skipped = order_for_update(cod), order_for_update(card)
    assert (paid.payment_status, paid.amount_paid) == ("paid", Decimal("9.99"))
    assert (skipped.payment_status, skipped.amount_paid) == ("authorized", Decimal("0"))
    assert flashed(support, response) == [
        ("success", "Recorded the full payment of 1 order."),
        ("error", f"1 order was not changed: {card}: Paid by Card: record its payment on the order's page."),
    ]


def test_warehouse_cannot_record_payments_even_by_posting(make_staff: Any, api: Client, catalog: None) -> None:
    warehouse = make_staff("warehouse")
    cod = ebook(api, payment={"method": "cash_on_delivery", "status": "pending"})

    page = warehouse.get("/orders/").content.decode()
    response = bulk(warehouse, action="record_payment", orders=[cod])

    bulk_select = page[page.index('name="action"') : page.index("</select>", page.index('name="action"'))]
    assert re.findall(r'<option value="(\w*)">', bulk_select) == ["", "confirm", "hold"]
    assert response.status_code == 403
    assert order_for_update(cod).payment_status == "pending"


def test_bulk_goes_back_only_to_this_site(owner: Client, api: Client, catalog: None) -> None:
    number = ebook(api)

    response = owner.post("/orders/bulk/", {"action": "confirm", "orders": [number], "next": "https://evil.example/"})

    assert response["Location"] == "/orders/"


def test_bulk_needs_a_csrf_token(make_staff: Any, api: Client, catalog: None) -> None:
    number = ebook(api)
    client = Client(enforce_csrf_checks=True)
    make_staff("owner", username="careful")
    client.login(username="careful", password="a-long-staff-password-42")

    response = client.post("/orders/bulk/", {"action": "confirm", "orders": [number]})

    assert response.status_code == 403
    assert status_of(number) == "placed"


# --- the count, sorting and page sizes ------------------------------------------------------------


def counted(response: HttpResponse) -> str:
    found = re.search(r'<p class="result-count"[^>]*><strong>([^<]*)</strong>', response.content.decode())
    assert found is not None, "no result count"
    return found.group(1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", "5 orders"), ("status=confirmed", "1 order"), ("payment_status=pending", "3 orders")],
    ids=["all", "one", "filtered"],
)
def test_the_count_says_how_many_orders_match(
    owner: Client, shop_orders: dict[str, str], query: str, expected: str
) -> None:
    assert counted(owner.get(f"/orders/?{query}")) == expected


def test_past_the_limit_the_count_says_more(
    owner: Client, shop_orders: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 3)

    assert counted(owner.get("/orders/")) == "3+ orders"
    assert counted(owner.get("/orders/?payment_status=pending")) == "3 orders"
    assert selectors.count_orders(OrderFilters(), limit=4) == selectors.OrderCount(count=4, is_more=True)
    assert selectors.count_orders(OrderFilters(), limit=5) == selectors.OrderCount(count=5, is_more=False)


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "10,000+"), ("el", "10.000+"), ("pl", "10\u00a0000+"), ("he", "10,000+")]
)
def test_the_count_is_written_as_the_language_writes_numbers(language: str, expected: str) -> None:
    with translation.override(language):
        shown = orders_view._result_count(selectors.OrderCount(count=10_000, is_more=True))

    assert shown.startswith(expected)


def sort_key(order: Order, sort: str) -> tuple[Any, int]:
    """The order a sort promises, worked out in Python: its column, then the id the same way."""
    column = sort.lstrip("-")
    value = {
        "number": order.number,
        "customer": order.customer.name,
        "total": order.total,
        "status": STATUS_STEPS.index(OrderStatus(order.status)),
        "due": order.due_by,
    }[column]
    return value, order.pk


@pytest.fixture
def varied_orders(api: Client, catalog: None) -> list[str]:
    """Seven orders with equal totals, names and due times among them, so ties must be broken."""
    names = ["Zoë Adams", "Anna Berg", "Anna Berg", "Marek Nowak", "Zoë Adams", "Eli Cohen", "Anna Berg"]
    prices = ["9.99", "19.99", "9.99", "29.99", "19.99", "9.99", "39.99"]
    numbers = []
    for index, (name, price) in enumerate(zip(names, prices, strict=True)):
        numbers.append(
            ebook(
                api,
                placed_at=f"2026-11-2{index % 4}T1{index}:00:00+02:00",
                lines=[{"sku": "EBOOK-1", "quantity": 1, "unit_price": price}],
                total=price,
                customer={"email": f"c{index % 4}@example.gr", "name": name, "phone": "+306912345678"},
            )
        )
    services.confirm_order(order=order_for_update(numbers[1]), actor=ACTOR)
    services.hold_order(order=order_for_update(numbers[4]), reason="Waits for a call.", actor=ACTOR)
    services.cancel_order(order=order_for_update(numbers[5]), reason="Asked to cancel.", actor=ACTOR)
    return numbers


SORTS = ["number", "-number", "customer", "-customer", "total", "-total", "status", "-status", "due", "-due"]


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_pages_through_every_order_once_in_its_order(
    owner: Client, varied_orders: list[str], monkeypatch: pytest.MonkeyPatch, sort: str
) -> None:
    monkeypatch.setattr(orders_view, "PAGE_SIZE", 2)
    orders = Order.objects.select_related("customer").all()
    expected = [o.display_number for o in sorted(orders, key=lambda o: sort_key(o, sort), reverse=sort[0] == "-")]

    pages, response = [], owner.get(f"/orders/?sort={sort}")
    while True:
        pages.append(listed(response))
        if "Next page" not in response.content.decode():
            break
        assert link(response, "Next page").startswith(f"/orders/?sort={urllib.parse.quote(sort)}&after=")
        response = owner.get(link(response, "Next page"))

    assert [number for page in pages for number in page] == expected
    assert [len(page) for page in pages] == [2, 2, 2, 1]


def test_a_cursor_of_another_sort_starts_again_at_the_first_page(
    owner: Client, varied_orders: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(orders_view, "PAGE_SIZE", 2)
    by_total = owner.get("/orders/?sort=-total")
    cursor_of_total = re.search(r"after=([^&\"]+)", link(by_total, "Next page"))
    assert cursor_of_total is not None

    response = owner.get(f"/orders/?sort=-number&after={cursor_of_total.group(1)}")

    assert listed(response) == [varied_orders[6], varied_orders[5]]
    assert "First page" not in response.content.decode()


def test_the_api_keeps_its_newest_first_cursor(api: Client, varied_orders: list[str]) -> None:
    first = api.get("/api/v1/orders?limit=4").json()
    second = api.get(f"/api/v1/orders?limit=4&cursor={first['next_cursor']}").json()

    numbers = [order["number"] for order in first["orders"] + second["orders"]]
    assert numbers == sorted(varied_orders, key=lambda n: order_for_update(n).placed_at, reverse=True)


def sort_headings(response: HttpResponse) -> dict[str, tuple[str, str]]:
    """Each sortable heading's text: (its link, its aria-sort or "")."""
    found = re.findall(
        r'<th scope="col" class="sortable[^"]*"(?: aria-sort="(\w+)")?><a href="([^"]*)" data-sort-link>([^<]+)<',
        response.content.decode(),
    )
    return {text: (html.unescape(href), direction) for direction, href, text in found}


def test_headings_sort_by_their_column_and_turn_the_order_round(owner: Client, shop_orders: dict[str, str]) -> None:
    default = sort_headings(owner.get("/orders/?status=placed"))
    by_total = sort_headings(owner.get("/orders/?status=placed&sort=-total&after=stale"))

    assert default == {
        "Order": ("/orders/?status=placed&sort=-number", ""),
        "Placed on": ("/orders/?status=placed&sort=oldest", "descending"),
        "Customer": ("/orders/?status=placed&sort=customer", ""),
        "Status": ("/orders/?status=placed&sort=status", ""),
        "Total": ("/orders/?status=placed&sort=-total", ""),
        "Due": ("/orders/?status=placed&sort=due", ""),
    }
    assert by_total["Total"] == ("/orders/?status=placed&sort=total", "descending")
    assert by_total["Placed on"] == ("/orders/?status=placed", "")
    assert sort_headings(owner.get("/orders/?sort=total"))["Total"] == ("/orders/?sort=-total", "ascending")


@pytest.mark.parametrize(("size", "shown"), [("25", 25), ("100", 60), ("", 50)])
def test_the_page_size_is_a_choice(owner: Client, api: Client, catalog: None, size: str, shown: int) -> None:
    for hour in range(60):
        ebook(api, placed_at=f"2026-11-20T{hour // 6:02d}:{hour % 6}0:00+02:00")

    response = owner.get(f"/orders/?per_page={size}" if size else "/orders/")

    assert len(listed(response)) == shown
    assert ("Next page" in response.content.decode()) is (shown < 60)
    if size:
        assert link(response, "Next page" if shown < 60 else "Today").startswith(f"/orders/?per_page={size}")


def test_a_page_size_that_is_not_offered_is_refused_next_to_the_field(owner: Client) -> None:
    response = owner.get("/orders/?per_page=7")

    assert response.status_code == 400
    assert 'id="id_per_page_error">Choose one of the options in the list.' in (response.content.decode())


# --- choices, express, SKU, and addresses without empty parameters ---------------------------------


def options(response: HttpResponse, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', response.content.decode(), re.S)
    assert select is not None, f"no select {name}"
    return [
        (value, html.unescape(text))
        for value, text in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', select.group(1))
    ]


@pytest.mark.usefixtures("greece")
def test_channel_and_shipping_are_chosen_from_what_the_shop_uses(owner: Client, shop_orders: dict[str, str]) -> None:
    response = owner.get("/orders/?shipping_method=old-courier")

    assert options(response, "channel") == [
        ("", "Any"),
        ("instagram", "instagram"),
        ("web", "Web shop"),
    ]  # a channel the labels know is named; another as sent
    assert options(response, "shipping_method") == [
        ("", "Any"),
        ("courier-standard", "Courier Standard"),
        ("boxnow-locker", "Boxnow Locker"),
        ("old-courier", "old-courier"),  # the address's value stays, though no method has it now
    ]
    assert '<option value="old-courier" selected>' in response.content.decode()
    assert listed(response) == []


def test_express_orders_are_a_filter_the_queue_links_to(owner: Client, shop_orders: dict[str, str]) -> None:
    queue = owner.get(reverse("desk:queue"))

    express_tile = link(queue, r"<strong>1</strong> Express")
    assert express_tile == "/orders/?express=yes"
    assert listed(owner.get(express_tile)) == [shop_orders["after_midnight_cod"]]
    assert len(listed(owner.get("/orders/?express=no"))) == 4


def test_the_sku_filter_finds_orders_with_a_line_of_exactly_that_sku(
    owner: Client, api: Client, shop_orders: dict[str, str]
) -> None:
    mug = ebook(api, lines=[{"sku": "MUG-1", "quantity": 1, "unit_price": "12.00"}], total="12.00")
    both = ebook(
        api,
        lines=[
            {"sku": "MUG-1", "quantity": 1, "unit_price": "12.00"},
            {"sku": "EBOOK-1", "quantity": 2, "unit_price": "9.99"},
        ],
        total="31.98",
    )

    assert listed(owner.get("/orders/?sku=MUG-1")) == [both, mug]
    assert listed(owner.get("/orders/?sku=mug-1")) == []  # as stored: case counts
    assert listed(owner.get("/orders/?sku=MUG")) == []  # exact: no part of a SKU
    assert len(listed(owner.get("/orders/?sku=EBOOK-1"))) == 6
    assert counted(owner.get("/orders/?sku=MUG-1&payment_status=paid")) == "2 orders"


def test_the_api_filters_by_express_and_sku_too(api: Client, shop_orders: dict[str, str]) -> None:
    express = api.get("/api/v1/orders?express=true").json()["orders"]
    by_sku = api.get("/api/v1/orders?sku=EBOOK-1&limit=2").json()["orders"]

    assert [order["number"] for order in express] == [shop_orders["after_midnight_cod"]]
    assert [order["number"] for order in by_sku] == [shop_orders["fresh"], shop_orders["confirmed"]]


@pytest.mark.parametrize(
    ("query", "clean"),
    [
        ("q=&status=placed&channel=&from=&to=", "/orders/?status=placed"),
        ("q=&status=&sort=", "/orders/"),
        ("sort=-total&sku=&after=abc", "/orders/?sort=-total&after=abc"),
    ],
    ids=["some-empty", "all-empty", "keeps-the-cursor"],
)
def test_an_address_with_empty_parameters_goes_to_the_clean_one(owner: Client, query: str, clean: str) -> None:
    response = owner.get(f"/orders/?{query}")

    assert response.status_code == 302
    assert response["Location"] == clean


def test_the_filter_form_drops_empty_and_default_fields_when_sent(owner: Client) -> None:
    body = owner.get("/orders/").content.decode()

    assert "data-drop-empty" in body
    assert '<select name="sort" data-default="newest"' in body
    assert '<select name="per_page" data-default="50"' in body
    assert '<option value="50" selected>50</option>' in body


# --- saved views ------------------------------------------------------------------------------------


def view_links(response: HttpResponse) -> list[tuple[str, str, bool]]:
    """The saved views above the list: (name, link, is it the view shown)."""
    found = re.findall(
        r'<li class="saved-view( is-active)?">\s*<a href="([^"]*)"[^>]*><bdi>([^<]*)</bdi></a>',
        response.content.decode(),
    )
    return [(html.unescape(name), html.unescape(href), bool(active)) for active, href, name in found]


def save(client: Client, name: str, query: str) -> HttpResponse:
    return client.post("/orders/views/", {"name": name, "query": query})


def test_a_saved_view_keeps_the_filters_and_sort_normalized_and_is_listed_as_a_link(
    owner: Client, shop_orders: dict[str, str]
) -> None:
    response = save(owner, "  Unpaid COD ", "sort=-total&payment_method=cash_on_delivery&q=&after=abc&per_page=50")

    assert response.status_code == 303
    assert response["Location"] == "/orders/?payment_method=cash_on_delivery&sort=-total"
    assert flashed(owner, response) == [("success", "Saved the view “Unpaid COD”.")]
    view = SavedOrderView.objects.get()
    assert (view.name, view.query) == ("Unpaid COD", "payment_method=cash_on_delivery&sort=-total")
    shown = owner.get(response["Location"])
    assert view_links(shown) == [("Unpaid COD", "/orders/?payment_method=cash_on_delivery&sort=-total", True)]
    assert listed(shown) == [shop_orders["after_midnight_cod"]]
    # The same filters in another order are the same view.
    assert view_links(owner.get("/orders/?sort=-total&payment_method=cash_on_delivery"))[0][2] is True
    assert view_links(owner.get("/orders/"))[0][2] is False


def test_each_staff_member_sees_and_deletes_only_their_own_views(owner: Client, make_staff: Any) -> None:
    save(owner, "Express today", "express=yes&period=today")
    support = make_staff("support")
    view = SavedOrderView.objects.get()

    assert view_links(support.get("/orders/")) == []
    refused = support.post(f"/orders/views/{view.pk}/delete/")
    assert flashed(support, refused) == [("error", "This view was deleted already.")]
    assert SavedOrderView.objects.count() == 1

    deleted = owner.post(f"/orders/views/{view.pk}/delete/", {"back": "express=yes&q="})
    assert deleted["Location"] == "/orders/?express=yes"
    assert flashed(owner, deleted)[-1] == ("success", "Deleted the view.")
    assert SavedOrderView.objects.count() == 0
    assert view_links(owner.get("/orders/")) == []


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("", "status=placed", "Give the view a name, e.g. “Unpaid COD”."),
        ("x" * 61, "status=placed", "Give the view a shorter name, at most 60 characters."),
        ("Unpaid\u202ecod", "status=placed", "Remove the bidirectional control character"),
        ("EXPRESS TODAY", "status=placed", "You have a view named “EXPRESS TODAY” already; pick another name"),
        ("Lost ones", "status=lost", "Some filters cannot be used; fix them before saving the view."),
    ],
    ids=["no-name", "too-long", "bidi", "taken-in-other-case", "bad-filter"],
)
def test_a_view_that_cannot_be_saved_says_why_and_saves_nothing(
    owner: Client, name: str, query: str, message: str
) -> None:
    save(owner, "Express today", "express=yes&period=today")

    response = save(owner, name, query)

    assert response.status_code == 303
    assert flashed(owner, response)[-1][0] == "error"
    assert flashed(owner, response)[-1][1].startswith(message)
    assert list(SavedOrderView.objects.values_list("name", flat=True)) == ["Express today"]


def test_thirty_views_are_the_most_a_staff_member_keeps(owner: Client) -> None:
    for number in range(30):
        save(owner, f"View {number}", f"q=EM-{10001 + number}")

    response = save(owner, "One more", "status=placed")

    assert flashed(owner, response)[-1] == ("error", "You can keep 30 views; delete one you no longer use first.")
    assert SavedOrderView.objects.count() == 30


def test_the_views_addresses_answer_a_plain_visit_with_the_list(owner: Client) -> None:
    assert owner.get("/orders/views/")["Location"] == "/orders/"
    assert owner.get("/orders/views/1/delete/")["Location"] == "/orders/"
    assert SavedOrderView.objects.count() == 0


def test_the_demo_owner_starts_with_two_views_and_other_staff_with_none(
    settings: Any, tmp_path: Any, shop_orders: dict[str, str]
) -> None:
    from emporos.demo.runner import ensure_credentials

    settings.VAR_DIR = str(tmp_path)
    ensure_credentials()
    ensure_credentials()  # a second start adds nothing

    views = SavedOrderView.objects.select_related("owner").order_by("name")
    assert [(v.owner.username, v.name, v.query) for v in views] == [
        ("owner", "Express today", "period=today&express=yes"),
        ("owner", "Unpaid COD", "payment_status=pending&payment_method=cash_on_delivery"),
    ]
    client = Client()
    assert client.login(username="owner", password=json_password(tmp_path))
    assert listed(client.get("/orders/?payment_status=pending&payment_method=cash_on_delivery")) == [
        shop_orders["after_midnight_cod"]
    ]
    assert listed(client.get("/orders/?period=today&express=yes")) == []
    # The owner has also invited a colleague once, who has not chosen a password yet.
    from django.contrib.auth import get_user_model

    invited = get_user_model().objects.get(username="eleni")
    assert (invited.is_active, invited.has_usable_password()) == (True, False)
    assert listed(client.get("/orders/?period=today")) == [shop_orders["fresh"]]


def json_password(folder: Any) -> str:
    import json

    return str(json.loads((folder / "demo-credentials.json").read_text())["password"])


# --- constant queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 60])
@pytest.mark.parametrize(
    "query",
    [
        "",
        "sort=-total&payment_status=paid&express=no&per_page=100",
        "sort=customer&sku=EBOOK-1&channel=web&period=this_month",
    ],
    ids=["plain", "sorted-filtered", "by-customer-and-sku"],
)
def test_the_list_takes_the_same_queries_for_5_or_60_orders_whatever_the_sort(
    owner: Client, api: Client, catalog: None, count: int, query: str
) -> None:
    for index in range(count):
        ebook(api, placed_at=f"2026-11-20T{index // 6:02d}:{index % 6}0:00+02:00")
    save(owner, "Mine", "status=placed")
    shop.current()

    with CaptureQueriesContext(connection) as queries:
        response = owner.get(f"/orders/?{query}")

    assert len(listed(response)) == min(count, 50 if "per_page" not in query else 100)
    # Session, user, staff role, channels in use, shipping methods, saved views, ids, orders, count.
    assert len(queries) == 9, [q["sql"] for q in queries]
