"""Reads for the desk's home page: orders and sales per day of the shop's calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum

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
    currency: one query over the indexed `placed_at` range, grouped by currency only.

    Each day is a count filtered by that day's bounds, worked out here in the shop's time zone
    (a day of 23 or 25 hours on a clock change), so the database converts no time zone per row
    and aggregates into a handful of groups instead of sorting every order of the period.
    """
    first = today - dt.timedelta(days=days - 1)
    bounds = [day_start(first + dt.timedelta(days=offset), time_zone) for offset in range(days + 1)]
    per_day = {
        f"day_{offset}": Count("id", filter=Q(placed_at__gte=bounds[offset], placed_at__lt=bounds[offset + 1]))
        for offset in range(days)
    }
    today_only = Q(placed_at__gte=bounds[-2])
    rows = list(
        Order.objects.filter(placed_at__gte=bounds[0], placed_at__lt=bounds[-1])
        .values("currency")
        .annotate(
            **per_day,
            revenue=Sum("total", filter=today_only & ~Q(status=OrderStatus.CANCELLED)),
        )
        .order_by()
    )
    series = [
        DayOrders(day=first + dt.timedelta(days=offset), orders=sum(row[f"day_{offset}"] for row in rows))
        for offset in range(days)
    ]
    sales = [
        Sales(currency=row["currency"], orders=row[f"day_{days - 1}"], revenue=row["revenue"] or Decimal(0))
        for row in rows
        if row[f"day_{days - 1}"]
    ]
    sales.sort(key=lambda item: (-item.orders, item.currency))
    return RecentOrders(days=series, today=sales)
