"""The queue: orders waiting for the shop, the most urgent first, refreshing by itself.

Work that can be done now comes first; orders with a line waiting for stock, a release date or to
be made are listed apart with the reason, so "overdue" at the top is something a person can act on.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from emporos.access.roles import Permission
from emporos.core import clock, cursor
from emporos.desk.auth import is_htmx, staff_required
from emporos.orders import selectors

PAGE_SIZE = 50
WAITING_PAGE_SIZE = 25
POLL_SECONDS = 20


def _page(after: str | None, *, actionable: bool, limit: int) -> tuple[str | None, selectors.Page]:
    try:
        return after, selectors.queue(after=after, limit=limit, actionable=actionable)
    except cursor.BadCursor:
        # A cursor from an old bookmark: start again at the top rather than fail.
        return None, selectors.queue(limit=limit, actionable=actionable)


@vary_on_headers("HX-Request")
@staff_required(Permission.VIEW_ORDERS)
def queue_page(request: HttpRequest) -> HttpResponse:
    after, page = _page(request.GET.get("after") or None, actionable=True, limit=PAGE_SIZE)
    waiting_after, waiting = _page(request.GET.get("waiting_after") or None, actionable=False, limit=WAITING_PAGE_SIZE)
    now = clock.now()
    reasons = selectors.wait_reasons(waiting.orders)
    for order in [*page.orders, *waiting.orders]:
        order.is_overdue_now = order.due_by < now  # type: ignore[attr-defined]
        order.wait_reasons = reasons.get(order.pk)  # type: ignore[attr-defined]
    context = {
        "section": "queue",
        "page": page,
        "after": after,
        "waiting": waiting,
        "waiting_after": waiting_after,
        "counts": selectors.queue_counts(),
        "now": now,
        "poll_seconds": POLL_SECONDS,
    }
    template = "desk/queue_region.html" if is_htmx(request) else "desk/queue.html"
    return render(request, template, context)
