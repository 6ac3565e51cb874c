"""One customer: how to reach them, their orders, their timeline and what they have spent."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language_info

from emporos.access.roles import Permission
from emporos.core.errors import NotFound
from emporos.desk.auth import staff_required
from emporos.orders import selectors

ORDERS_SHOWN = 50
TIMELINE_SHOWN = 100


@staff_required(Permission.VIEW_CUSTOMERS)
def customer_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        customer = selectors.customer_by_public_id(public_id)
    except NotFound:
        return render(request, "desk/customers/unknown_customer.html", {"section": "orders"}, status=404)
    spending = selectors.customer_spending(customer)
    orders = selectors.customer_orders(customer, limit=ORDERS_SHOWN)
    context = {
        "section": "orders",
        "customer": customer,
        "language": _language_name(customer.language),
        "orders": orders,
        "order_count": sum(row.orders for row in spending),
        "spending": spending,
        "timeline": selectors.customer_timeline(customer, limit=TIMELINE_SHOWN),
    }
    return render(request, "desk/customers/customer.html", context)


def _language_name(code: str) -> str:
    """The language's own name ("Ελληνικά" for el); the code itself when Django does not know it."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code
