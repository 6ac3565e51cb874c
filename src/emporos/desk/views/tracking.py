"""Tracking on the desk: a parcel's page with its carrier events, the delay cases (open first,
closed by staff with a POST) and the on-time delivery report as a chart drawn on the server."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from emporos.access.roles import Permission
from emporos.core import clock
from emporos.core.errors import Conflict, NotFound
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.responses import post_only
from emporos.desk.views.shipments import _no_shipment
from emporos.fulfillment import delays, selectors
from emporos.fulfillment.selectors import OnTimeRow
from emporos.shop import selectors as shop

REPORT_WEEKS = 12
BAR_HEIGHT = 22  # px per bar in the chart


@staff_required(Permission.VIEW_ORDERS)
@require_GET
def shipment_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        shipment = selectors.shipment(public_id)
    except NotFound:
        return _no_shipment(request)
    context = {
        "section": "shipments",
        "shipment": shipment,
        "events": selectors.tracking_history(shipment),
        "case": selectors.open_delay_case(shipment),
        "cases": list(shipment.delay_cases.order_by("-opened_at")),
    }
    return render(request, "desk/shipments/shipment.html", context)


@staff_required(Permission.FULFIL_ORDERS)
@require_GET
def delay_cases_page(request: HttpRequest) -> HttpResponse:
    cases = selectors.delay_cases()
    context = {
        "section": "fulfillment",
        "tab": "delays",
        "cases": cases,
        "open_count": sum(1 for case in cases if case.status == "open"),
        "now": clock.now(),
    }
    return render(request, "desk/fulfillment/delays.html", context)


@staff_required(Permission.FULFIL_ORDERS)
@post_only(lambda request, public_id: reverse("desk:shipment", args=[public_id]))
def close_delay_case(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Close the parcel's open case (the parcel's id, not the case's: one open case per parcel)."""
    try:
        shipment = selectors.shipment(public_id)
    except NotFound:
        return _no_shipment(request)
    try:
        delays.close_by_staff(shipment=shipment, actor=actor_for(request))
    except Conflict as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Delay case of parcel %(parcel)s closed.") % {"parcel": shipment.reference})
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else "desk:delay_cases")


@dataclass(frozen=True)
class Bar:
    row: OnTimeRow
    label: str
    y: int
    width_percent: Decimal  # the on-time share, 0..100

    @property
    def start_rtl(self) -> Decimal:
        """Where the bar starts when it grows from the right (Hebrew)."""
        return Decimal(100) - self.width_percent


def _bars(rows: list[OnTimeRow], label: dict[str, str] | None = None) -> list[Bar]:
    return [
        Bar(
            row=row,
            label=(label or {}).get(row.key, row.key),
            y=index * BAR_HEIGHT,
            width_percent=row.share or Decimal(0),
        )
        for index, row in enumerate(rows)
    ]


@staff_required(Permission.FULFIL_ORDERS)
@require_GET
def on_time_page(request: HttpRequest) -> HttpResponse:
    today = clock.now().astimezone(shop.time_zone()).date()
    since = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=REPORT_WEEKS - 1)
    breakdown = selectors.on_time_breakdown(since=since, until=today)
    charts = [
        ("weeks", _("By week of delivery"), _bars(breakdown.weeks)),
        ("carriers", _("By carrier"), _bars(breakdown.carriers)),
        ("methods", _("By shipping method"), _bars(breakdown.methods)),
    ]
    context = {
        "section": "fulfillment",
        "tab": "on_time",
        "since": since,
        "until": today,
        "report": selectors.on_time_report(since=since, until=today),
        "charts": [
            {"id": key, "title": title, "bars": bars, "height": max(len(bars), 1) * BAR_HEIGHT}
            for key, title, bars in charts
        ],
        "bar_height": BAR_HEIGHT - 6,
    }
    return render(request, "desk/fulfillment/on_time.html", context)
