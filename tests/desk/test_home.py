"""The desk's home page: today's orders and sales, what waits, 30 days of orders, low stock."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import pytest
from django.test import Client

from emporos.core import clock, formats
from emporos.core.actor import Actor
from emporos.desk import charts
from emporos.orders import dashboard
from emporos.orders.models import Order
from emporos.orders.numbers import parse_number
from emporos.orders.services import cancel_order
from emporos.shop import selectors as shop
from tests.conftest import place

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 10, 10, 0, tzinfo=dt.UTC)  # 13:00 in Athens


def at(moment: dt.datetime) -> str:
    return moment.isoformat()


def order(number: str) -> Order:
    return Order.objects.get(number=parse_number(number))


def test_home_is_the_desk_s_first_page_and_the_queue_moved(owner: Client) -> None:
    response = Client().get("/")
    assert (response.status_code, response["Location"]) == (302, "/sign-in/?next=/")
    body = owner.get("/").content.decode()
    assert '<a href="/" aria-current="page">Home</a>' in body
    assert '<a href="/queue/" >Queue</a>' in body
    assert owner.get("/queue/").status_code == 200


def test_sign_in_lands_on_home(make_staff: Any) -> None:
    from tests.conftest import STAFF_PASSWORD

    make_staff("support", username="eleni")
    response = Client().post("/sign-in/", {"username": "eleni", "password": STAFF_PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_today_counts_orders_of_the_shop_s_day_and_sales_of_those_not_cancelled(
    owner: Client, api: Client, catalog: None
) -> None:
    with clock.frozen_at(NOW):
        # 01:30 in Athens today, though still yesterday in UTC: today's.
        place(api, placed_at=at(dt.datetime(2026, 6, 9, 22, 30, tzinfo=dt.UTC)))
        # 23:30 in Athens yesterday: not today's.
        place(api, placed_at=at(dt.datetime(2026, 6, 9, 20, 30, tzinfo=dt.UTC)))
        place(api, placed_at=at(NOW - dt.timedelta(hours=1)))
        cancelled = place(api, placed_at=at(NOW - dt.timedelta(hours=2)))
        cancel_order(order=order(cancelled), reason="Customer asked", actor=Actor.system())
        place(api, placed_at=at(NOW - dt.timedelta(hours=3)), currency="PLN", total="43.30")

        recent = dashboard.recent_orders(today=dt.date(2026, 6, 10), time_zone=shop.time_zone())
        body = owner.get("/").content.decode()

    assert [(sales.currency, sales.orders, sales.revenue) for sales in recent.today] == [
        ("EUR", 3, sum_of("43.30", "43.30")),
        ("PLN", 1, sum_of("43.30")),
    ]
    assert recent.today_orders == 4
    assert [day.orders for day in recent.days[-2:]] == [1, 4]
    assert len(recent.days) == 30
    assert recent.days[0].day == dt.date(2026, 5, 12)
    counts = re.search(r'<ul class="counts" id="home-counts">.*?</ul>', body, re.S)
    assert counts is not None
    text = re.sub(r"\s+", " ", counts.group(0))
    assert '<strong dir="ltr">4</strong> Orders today' in text
    assert "<bdi>€86.60</bdi></strong> Sales today in EUR" in text
    pln = re.sub(r"\s+", " ", formats.money(sum_of("43.30"), "PLN", language="en"))  # 'PLN43.30' or 'PLN 43.30'
    assert f"<bdi>{pln}</bdi></strong> Sales today in PLN" in text


def sum_of(*amounts: str) -> Any:
    from decimal import Decimal

    return sum((Decimal(amount) for amount in amounts), Decimal(0))


@pytest.mark.parametrize(
    ("role", "sees_money"),
    [("owner", True), ("support", True), ("warehouse", False)],
    ids=["owner", "support", "packer"],
)
def test_sales_are_shown_to_the_roles_that_handle_money(
    make_staff: Any, api: Client, catalog: None, role: str, sees_money: bool
) -> None:
    place(api)
    body = make_staff(role).get("/").content.decode()
    assert ("Sales today in EUR" in body) is sees_money
    assert "€43.30" in body if sees_money else "€43.30" not in body
    assert "Orders today" in body


def test_sales_in_greek_are_written_the_greek_way(owner: Client, api: Client, catalog: None) -> None:
    place(api, lines=[{"sku": "MUG-1", "quantity": 100, "unit_price": "19.90"}], total="1993.50")
    stock_ok = owner.get("/", headers={"Accept-Language": "el"}).content.decode()
    assert "1.993,50\xa0€" in stock_ok


def test_waiting_and_overdue_count_only_work_that_can_be_done_now(owner: Client, api: Client, catalog: None) -> None:
    from emporos.orders.services import flag_overdue_orders

    long_ago = at(clock.now() - dt.timedelta(days=10))
    place(api, placed_at=long_ago)  # overdue, can be packed now
    place(api, placed_at=long_ago, lines=[{"sku": "BOOK-1", "quantity": 1, "unit_price": "25.00"}], total="28.50")
    place(api)  # fresh
    flag_overdue_orders()
    body = re.sub(r"\s+", " ", owner.get("/").content.decode())
    assert '<strong dir="ltr">2</strong> To work on now' in body
    assert 'id="home-overdue" class="count--alert"><strong dir="ltr">1</strong> Overdue' in body
    assert '<a href="/queue/#waiting"><strong dir="ltr">1</strong> Waiting for stock or a date' in body


def test_low_stock_lists_skus_at_or_below_their_threshold_with_links(owner: Client, catalog: None) -> None:
    body = owner.get("/").content.decode()
    low = re.search(r'<section class="panel panel--flush home-low".*?</section>', body, re.S)
    assert low is not None
    assert re.findall(r'data-sku="([^"]+)"', low.group(0)) == ["MUG-1", "TEA-250"]  # the emptiest first
    assert 'href="/inventory/MUG-1/"' in low.group(0)


def test_the_chart_has_a_bar_per_day_a_summary_and_a_table(owner: Client, api: Client, catalog: None) -> None:
    with clock.frozen_at(NOW):
        for days_ago in (0, 0, 3, 29, 30):
            place(api, placed_at=at(NOW - dt.timedelta(days=days_ago, minutes=5)))
        body = owner.get("/").content.decode()
    svg = re.search(r'<svg class="day-chart".*?</svg>', body, re.S)
    assert svg is not None
    assert svg.group(0).count('<rect class="day-chart__bar') == 30
    assert "<title>10 Jun: 2</title>" in svg.group(0)
    assert "<title>12 May: 1</title>" in svg.group(0)  # 29 days ago; 30 days ago is out
    summary = (
        "Orders per day over the last 30 days: 4 in all. The busiest day, 10 Jun, had 2 orders. Today so far: 2 orders."
    )
    assert f'<title id="chart-svg-title">{summary}</title>' in svg.group(0)
    assert 'aria-labelledby="chart-svg-title"' in svg.group(0)
    table = re.search(r'<details class="chart-data">.*?</details>', body, re.S)
    assert table is not None
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td>', table.group(0))
    assert rows[0] == ("10 Jun 2026", "2")
    assert rows[-1] == ("12 May 2026", "1")
    assert len(rows) == 30


def test_the_chart_in_hebrew_runs_right_to_left_with_today_at_the_left() -> None:
    days = [(dt.date(2026, 6, 1) + dt.timedelta(days=index), index) for index in range(30)]
    ltr = charts.day_chart(days, language="en", right_to_left=False)
    rtl = charts.day_chart(days, language="he", right_to_left=True)
    assert ltr.bars[-1].x > ltr.bars[0].x  # today on the right
    assert rtl.bars[-1].x < rtl.bars[0].x  # today on the left
    assert [tick.anchor for tick in ltr.count_ticks] == ["end"] * 5
    assert [tick.anchor for tick in rtl.count_ticks] == ["start"] * 5
    assert all(tick.x > rtl.plot_end for tick in rtl.count_ticks)  # the counts stand right of the plot
    assert [tick.direction for tick in rtl.day_ticks] == ["rtl"] * 4
    assert [tick.label for tick in ltr.day_ticks] == ["9 Jun", "16 Jun", "23 Jun", "30 Jun"]
    assert [tick.label for tick in ltr.count_ticks] == ["0", "10", "20", "30", "40"]
    # Day labels are a week apart, so they never meet; the one at the edge stays inside the chart.
    xs = sorted(tick.x for tick in ltr.day_ticks)
    assert min(b - a for a, b in itertools.pairwise(xs)) > 100
    assert ltr.day_ticks[-1].x <= ltr.plot_end
    assert rtl.day_ticks[-1].x >= rtl.plot_start
    assert rtl.day_ticks[-1].label == "30 ביוני"


def test_the_chart_without_orders_says_so(owner: Client) -> None:
    body = owner.get("/").content.decode()
    assert "Orders per day over the last 30 days: 0 in all. Today so far: 0 orders." in body


@pytest.mark.parametrize("language", ["en", "el", "pl", "he"])
def test_home_reads_in_every_language(owner: Client, api: Client, catalog: None, language: str) -> None:
    place(api)
    response = owner.get("/", headers={"Accept-Language": language})
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


def test_home_takes_the_same_queries_for_few_or_many_orders(
    owner: Client, api: Client, catalog: None, django_assert_num_queries: Any
) -> None:
    place(api)
    shop.current()  # the settings come from the per-process cache, as in a warm server
    # session, user, staff role, orders per day and currency, the queue's counts, low stock
    with django_assert_num_queries(6):
        assert owner.get("/").status_code == 200
    mugs = [{"sku": "MUG-1", "quantity": 2, "unit_price": "12.00"}]
    for days_ago in range(12):
        place(
            api,
            placed_at=at(clock.now() - dt.timedelta(days=days_ago)),
            currency="PLN" if days_ago % 2 else "EUR",
            lines=mugs,
            total="27.50",
        )
    shop.current()
    with django_assert_num_queries(6):
        assert owner.get("/").status_code == 200


def test_a_day_of_25_hours_counts_its_orders_once(api: Client, catalog: None) -> None:
    # Athens leaves summer time on 25 October 2026 at 04:00 (01:00 UTC): that day has 25 hours.
    with clock.frozen_at(dt.datetime(2026, 10, 26, 10, 0, tzinfo=dt.UTC)):
        for moment in [
            dt.datetime(2026, 10, 24, 20, 30, tzinfo=dt.UTC),  # 23:30 on the 24th (UTC+3)
            dt.datetime(2026, 10, 24, 21, 30, tzinfo=dt.UTC),  # 00:30 on the 25th (UTC+3)
            dt.datetime(2026, 10, 25, 21, 30, tzinfo=dt.UTC),  # 23:30 on the 25th (UTC+2)
            dt.datetime(2026, 10, 25, 22, 30, tzinfo=dt.UTC),  # 00:30 on the 26th (UTC+2)
        ]:
            place(
                api,
                placed_at=at(moment),
                lines=[{"sku": "EBOOK-1", "quantity": 1, "unit_price": "9.99"}],
                total="13.49",
            )
        recent = dashboard.recent_orders(today=dt.date(2026, 10, 26), time_zone=shop.time_zone())
    assert [(day.day.day, day.orders) for day in recent.days[-3:]] == [(24, 1), (25, 2), (26, 1)]
    assert [(sales.currency, sales.orders, sales.revenue) for sales in recent.today] == [("EUR", 1, sum_of("13.49"))]
