"""The home page: orders waiting for the shop, the most urgent first, refreshing by itself."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from emporos.access.roles import Permission
from emporos.core import clock, cursor
from emporos.desk.auth import is_htmx, staff_required
from emporos.orders import selectors

PAGE_SIZE = 50
POLL_SECONDS = 20


@vary_on_headers("HX-Request")
@staff_required(Permission.VIEW_ORDERS)
def queue_page(request: HttpRequest) -> HttpResponse:
    after = request.GET.get("after") or None
    try:
        page = selectors.queue(after=after, limit=PAGE_SIZE)
    except cursor.BadCursor:
        # A cursor from an old bookmark: start again at the top rather than fail.
        after, page = None, selectors.queue(limit=PAGE_SIZE)
    now = clock.now()
    for order in page.orders:
        order.is_overdue_now = order.due_by < now  # type: ignore[attr-defined]
    context = {
        "section": "queue",
        "page": page,
        "after": after,
        "counts": selectors.queue_counts(),
        "now": now,
        "poll_seconds": POLL_SECONDS,
    }
    template = "desk/queue_region.html" if is_htmx(request) else "desk/queue.html"
    return render(request, template, context)
