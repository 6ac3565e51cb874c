"""One customer: how to reach them, their orders, their timeline and what they have spent."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from emporos.access.roles import Permission
from emporos.core.errors import NotFound
from emporos.customers import identity
from emporos.desk.auth import staff_required
from emporos.desk.labels import language_name
from emporos.desk.responses import not_found
from emporos.orders import selectors

ORDERS_SHOWN = 50
TIMELINE_SHOWN = 100


@staff_required(Permission.VIEW_CUSTOMERS)
def customer_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        customer = selectors.customer_by_public_id(public_id)
    except NotFound:
        return not_found(
            request,
            section="orders",
            title=_("There is no such customer"),
            message=_(
                "The link may be old or mistyped. Search the orders by the customer's e-mail, phone or name instead."
            ),
            search_url=reverse("desk:orders"),
            search_label=_("Search orders"),
            link_url=reverse("desk:queue"),
            link_text=_("Back to the queue"),
        )
    spending = selectors.customer_spending(customer)
    orders = selectors.customer_orders(customer, limit=ORDERS_SHOWN)
    context = {
        "section": "orders",
        "customer": customer,
        "language": language_name(customer.language),
        "orders": orders,
        "order_count": sum(row.orders for row in spending),
        "spending": spending,
        "contact_points": identity.contact_points(customer),
        "timeline": selectors.customer_timeline(customer, language=get_language(), limit=TIMELINE_SHOWN),
    }
    return render(request, "desk/customers/customer.html", context)
