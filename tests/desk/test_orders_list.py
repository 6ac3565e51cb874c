"""The orders list: filters in the URL, quick picks, sorting and paging, and bulk actions."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.desk.views import orders as orders_view
from emporos.orders import services
from emporos.orders.models import Order
from emporos.orders.selectors import order_for_update
from emporos.outbox import selectors as outbox
from emporos.shop import selectors as shop
from emporos.timeline.models import Entry
from tests.conftest import place

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
        ("from=2026-13-01", "from", "Enter a valid date."),
        ("to=yesterday", "to", "Enter a valid date."),
        ("from=2026-11-20&to=2026-11-19", "to", "This day is before the “From” day; pick the same day or a later one."),
        ("status=lost", "status", "Select a valid choice. lost is not one of the available choices."),
        ("overdue=maybe", "overdue", "Select a valid choice. maybe is not one of the available choices."),
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
    assert "43.30\u00a0€" in body
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
