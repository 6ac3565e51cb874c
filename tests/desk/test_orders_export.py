"""The orders list as CSV: exactly the listed orders, streamed, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from emporos.core import clock
from emporos.desk.views.orders_export import safe_cell
from emporos.orders import services
from emporos.orders.selectors import order_for_update
from emporos.shop import selectors as shop
from tests.conftest import ACTOR, place
from tests.desk.test_orders_list import ebook, link, listed

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/Athens"))


@pytest.fixture(autouse=True)
def _frozen_clock() -> Iterator[None]:
    with clock.frozen_at(NOW):
        yield


def exported(response: Any) -> list[list[str]]:
    """The rows of the CSV file, the header first; the file must start with a UTF-8 byte-order mark."""
    assert response.status_code == 200, getattr(response, "content", b"")[:500]
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def shop_orders(api: Client, catalog: None) -> dict[str, str]:
    card = ebook(api, placed_at="2026-11-20T09:00:00+02:00")
    transfer = ebook(
        api,
        placed_at="2026-11-21T00:30:00+02:00",
        payment={"method": "bank_transfer", "status": "pending"},
        channel="instagram",
    )
    polish = place(
        api,
        placed_at="2026-11-22T10:00:00+02:00",
        currency="PLN",
        payment={"method": "bank_transfer", "status": "pending"},
        customer={"email": "jan@example.pl", "name": "Jan Jabłoński", "phone": "+48601234567", "language": "pl"},
    )
    services.confirm_order(order=order_for_update(polish), actor=ACTOR)
    return {"card": card, "transfer": transfer, "polish": polish}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "payment_status=pending",
        "payment_status=pending&sort=oldest",
        "sort=customer",
        "sort=-total",
        "sort=status",
        "q=Jablonski",
        "from=2026-11-21",
        "q=none",
    ],
    ids=[
        "everything",
        "filtered",
        "oldest-first",
        "by-customer",
        "by-total",
        "by-status",
        "search",
        "dates",
        "nothing",
    ],
)
def test_the_export_has_exactly_the_orders_of_the_list_in_its_order(
    owner: Client, shop_orders: dict[str, str], query: str
) -> None:
    page = owner.get(f"/orders/?{query}")

    rows = exported(owner.get(f"/orders/export.csv?{query}"))

    assert [row[0] for row in rows[1:]] == listed(page)


def test_each_row_carries_the_orders_facts(owner: Client, shop_orders: dict[str, str]) -> None:
    header, polish = exported(owner.get("/orders/export.csv?q=Jablonski"))

    assert header == [
        "Order",
        "Placed at (Europe/Athens)",
        "Status",
        "Payment",
        "Fulfilment",
        "Customer",
        "E-mail",
        "Phone",
        "Channel",
        "Shipping method",
        "Items",
        "Total",
        "Currency",
    ]
    assert polish == [
        shop_orders["polish"],
        "2026-11-22T10:00:00+02:00",
        "Confirmed",
        "Payment pending",
        "Not shipped",
        "Jan Jabłoński",
        "jan@example.pl",
        "+48601234567",
        "web",
        "courier-standard",
        "2",
        "43.30",
        "PLN",
    ]


def test_the_file_is_named_by_the_day_and_downloaded(owner: Client, shop_orders: dict[str, str]) -> None:
    response = owner.get("/orders/export.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="orders-2026-11-25.csv"'
    assert response["Cache-Control"] == "no-store"


def test_the_header_is_in_the_staff_members_language(owner: Client, shop_orders: dict[str, str]) -> None:
    owner.cookies["django_language"] = "el"

    header, *rows = exported(owner.get("/orders/export.csv?q=Jablonski"))

    assert header[0] == "Παραγγελία"
    assert header[2] == "Κατάσταση"
    assert header[7] == "Τηλέφωνο"
    assert rows[0][5] == "Jan Jabłoński"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("Maria =1+1", "Maria =1+1"),
    ],
    ids=["equals", "plus", "minus", "at", "inside-is-fine"],
)
def test_a_value_a_spreadsheet_would_run_is_written_as_text(
    owner: Client, api: Client, catalog: None, name: str, shown: str
) -> None:
    ebook(api, customer={"email": "x@example.com", "name": name, "phone": "+306912345678", "language": "en"})

    _, row = exported(owner.get("/orders/export.csv"))

    assert row[5] == shown
    assert row[7] == "+306912345678"  # a phone number runs nothing: kept as it is


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1", "'=1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("+306912345678", "+306912345678"),
        ("-1.5", "-1.5"),
        ("-1.5e3", "'-1.5e3"),
        ("", ""),
        ("web", "web"),
    ],
)
def test_safe_cell(value: str, safe: str) -> None:
    assert safe_cell(value) == safe


@pytest.mark.parametrize("count", [2, 12])
def test_the_export_takes_the_same_number_of_queries_for_2_or_12_orders(
    owner: Client, api: Client, catalog: None, django_assert_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        ebook(api, placed_at="2026-11-20T09:00:00+02:00")
    shop.current()

    # Session, user, staff role, the channels and shipping methods the filters choose from, then
    # the orders with their customers and items, in one statement.
    with django_assert_num_queries(6):
        rows = exported(owner.get("/orders/export.csv?payment_status=paid"))

    assert len(rows) == count + 1


def test_rows_are_read_only_as_the_file_is_written_and_written_as_they_come(
    owner: Client, api: Client, catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from emporos.desk.views import orders_export

    for _ in range(7):
        ebook(api)
    monkeypatch.setattr(orders_export, "_PIECE", 1)  # a piece as soon as a row is written

    with CaptureQueriesContext(connection) as queries:
        response = owner.get("/orders/export.csv")
    before_reading = len(queries)
    with CaptureQueriesContext(connection) as queries:
        pieces = list(response.streaming_content)

    assert len(queries) == 1  # the orders are read while the file is sent, not before
    assert before_reading == 5  # session, user, staff role, the filters' channels and shipping methods
    assert len(pieces) == 1 + 7  # the byte-order mark with the header, then each row
    assert [len(list(csv.reader(io.StringIO(piece.decode())))) for piece in pieces] == [1] * 8


def test_export_rows_reads_in_chunks_of_the_size_asked(api: Client, catalog: None) -> None:
    from emporos.orders.filters import OrderFilters, OrderSort
    from emporos.orders.selectors import export_rows

    placed = [ebook(api, placed_at=f"2026-11-2{day}T09:00:00+02:00") for day in range(5)]

    rows = export_rows(OrderFilters(), chunk_size=2)

    assert [row.number for row in rows] == list(reversed(placed))
    assert [
        row.number for row in export_rows(OrderFilters(), sort=OrderSort("placed", descending=False), chunk_size=2)
    ] == placed


def test_the_list_links_to_the_export_of_the_same_view(owner: Client, shop_orders: dict[str, str]) -> None:
    response = owner.get("/orders/?payment_status=pending&q=&sort=oldest", follow=True)

    assert link(response, "Export CSV") == "/orders/export.csv?payment_status=pending&sort=oldest"


def test_bad_filters_show_the_list_with_the_message_instead_of_a_file(
    owner: Client, shop_orders: dict[str, str]
) -> None:
    response = owner.get("/orders/export.csv?status=lost")

    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert "Some filters cannot be used; fix the ones marked above to see the orders." in response.content.decode()


@pytest.mark.parametrize("role", ["warehouse", "support"])
def test_every_staff_role_that_sees_orders_may_export_them(
    make_staff: Any, shop_orders: dict[str, str], role: str
) -> None:
    assert len(exported(make_staff(role).get("/orders/export.csv"))) == 4


def test_signed_out_goes_to_sign_in(shop_orders: dict[str, str]) -> None:
    response = Client().get("/orders/export.csv?status=placed")

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")
