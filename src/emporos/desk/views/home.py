"""The desk's home page: today's orders and sales, what waits, 30 days of orders, low stock."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, get_language_bidi, ngettext

from emporos.access.roles import Permission, can
from emporos.core import clock, formats
from emporos.desk import charts
from emporos.desk.auth import staff_required, staff_role
from emporos.inventory import selectors as inventory
from emporos.orders import dashboard
from emporos.orders import selectors as orders
from emporos.shop import selectors as shop

LOW_STOCK_SHOWN = 10


@staff_required(Permission.VIEW_ORDERS)
def home_page(request: HttpRequest) -> HttpResponse:
    time_zone = shop.time_zone()
    today = clock.now().astimezone(time_zone).date()
    language = get_language()
    recent = dashboard.recent_orders(today=today, time_zone=time_zone)
    chart = charts.day_chart(
        [(day.day, day.orders) for day in recent.days], language=language, right_to_left=get_language_bidi()
    )
    context = {
        "section": "home",
        "today": today,
        "recent": recent,
        # Money is for the roles that handle it (owners and support); packers see the counts.
        "sees_money": can(staff_role(request), Permission.RECORD_PAYMENTS),
        "sales": [
            {"sales": sales, "revenue": formats.money(sales.revenue, sales.currency, language=language)}
            for sales in recent.today
        ],
        "counts": orders.queue_counts(),
        "chart": chart,
        "chart_summary": _summary(recent, chart, language=language),
        "low_stock": inventory.low_stock(limit=LOW_STOCK_SHOWN)
        if can(staff_role(request), Permission.VIEW_INVENTORY)
        else None,
    }
    return render(request, "desk/home.html", context)


def _summary(recent: dashboard.RecentOrders, chart: charts.DayChart, *, language: str) -> str:
    """The chart in one sentence, for its title and screen readers."""
    days = len(recent.days)
    total = formats.number(recent.total_orders, language=language)
    text = ngettext(
        "Orders per day over the last %(days)s days: %(total)s in all.",
        "Orders per day over the last %(days)s days: %(total)s in all.",
        days,
    ) % {"days": formats.number(days, language=language), "total": total}
    if chart.busiest is not None:
        text += " " + ngettext(
            "The busiest day, %(day)s, had %(count)s order.",
            "The busiest day, %(day)s, had %(count)s orders.",
            chart.busiest.count,
        ) % {"day": chart.busiest.day_label, "count": chart.busiest.count_label}
    today = recent.days[-1].orders if recent.days else 0
    text += " " + ngettext("Today so far: %(count)s order.", "Today so far: %(count)s orders.", today) % {
        "count": formats.number(today, language=language)
    }
    return text
