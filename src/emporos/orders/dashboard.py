"""Reads for the desk's home page: orders and sales per day of the shop's calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from emporos.orders.models import Order
from emporos.orders.states import OrderStatus

CHART_DAYS = 30


@dataclass(frozen=True)
class DayOrders:
    day: dt.date
    orders: int


@dataclass(frozen=True)
class Sales:
    """Orders placed on a day in one currency; `revenue` counts the ones not cancelled."""

    currency: str
    orders: int
    revenue: Decimal


@dataclass(frozen=True)
class RecentOrders:
    days: list[DayOrders]  # every day of the period, oldest first, days without orders included
    today: list[Sales]  # per currency, the currency with most orders first

    @property
    def today_orders(self) -> int:
        return sum(sales.orders for sales in self.today)

    @property
    def total_orders(self) -> int:
        return sum(day.orders for day in self.days)


def day_start(day: dt.date, time_zone: ZoneInfo) -> dt.datetime:
    """Midnight of `day` in the shop's time zone (23 or 25 hours apart on a clock change)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=time_zone)


def recent_orders(*, today: dt.date, time_zone: ZoneInfo, days: int = CHART_DAYS) -> RecentOrders:
    """Orders per day of the shop's calendar for `days` days up to `today`, and today's sales per
    currency: one query, grouped by day and currency over the indexed `placed_at` range."""
    first = today - dt.timedelta(days=days - 1)
    kept = ~Q(status=OrderStatus.CANCELLED)
    rows = (
        Order.objects.filter(
            placed_at__gte=day_start(first, time_zone),
            placed_at__lt=day_start(today + dt.timedelta(days=1), time_zone),
        )
        .annotate(day=TruncDate("placed_at", tzinfo=time_zone))
        .values("day", "currency")
        .annotate(orders=Count("id"), revenue=Sum("total", filter=kept))
        .order_by()
    )
    per_day: dict[dt.date, int] = {}
    sales = []
    for row in rows:
        per_day[row["day"]] = per_day.get(row["day"], 0) + row["orders"]
        if row["day"] == today:
            sales.append(Sales(currency=row["currency"], orders=row["orders"], revenue=row["revenue"] or Decimal(0)))
    sales.sort(key=lambda item: (-item.orders, item.currency))
    series = [first + dt.timedelta(days=offset) for offset in range(days)]
    return RecentOrders(days=[DayOrders(day=day, orders=per_day.get(day, 0)) for day in series], today=sales)
