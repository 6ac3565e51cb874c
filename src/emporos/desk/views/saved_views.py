"""Saved views of the orders list: a staff member keeps the filters and sort shown under a name,
and deletes them. Each answer goes back to the list, with what happened as a message."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from emporos.access.roles import Permission
from emporos.core.errors import ValidationFailed
from emporos.desk.auth import staff_required
from emporos.desk.views.orders import normalized_query, staff_id
from emporos.orders import errors, services
from emporos.orders.services.saved_views import NAME_MAX_LENGTH, VIEWS_PER_STAFF_MEMBER


def _list(query: str = "") -> HttpResponse:
    return HttpResponseRedirect(reverse("desk:orders") + (f"?{query}" if query else ""), status=303)


def _problem(error: ValidationFailed, name: str) -> str:
    """The service's refusal in the page's language."""
    code = error.errors[0].code
    if code == "required":
        return _("Give the view a name, e.g. “Unpaid COD”.")
    if code == "too_long":
        if error.errors[0].field == "query":
            return _("These filters are too long to keep; use fewer.")
        return _("Give the view a shorter name, at most %(limit)s characters.") % {"limit": NAME_MAX_LENGTH}
    if code == "taken":
        return _("You have a view named “%(name)s” already; pick another name or delete that one first.") % {
            "name": name
        }
    if code == "limit_reached":
        return _("You can keep %(limit)s views; delete one you no longer use first.") % {
            "limit": VIEWS_PER_STAFF_MEMBER
        }
    return error.errors[0].message


@staff_required(Permission.VIEW_ORDERS)
def save_view(request: HttpRequest) -> HttpResponse:
    """Keep the list's current filters and sort (the `query` field) under `name`."""
    if request.method != "POST":
        return _list()
    raw_query = request.POST.get("query", "")
    query = normalized_query(QueryDict(raw_query))
    name = request.POST.get("name", "").strip()
    if query is None:
        messages.error(request, _("Some filters cannot be used; fix them before saving the view."))
        return _list()
    try:
        view = services.save_order_view(owner_id=staff_id(request), name=name, query=query)
    except ValidationFailed as error:
        messages.error(request, _problem(error, name))
        return _list(query)
    messages.success(request, _("Saved the view “%(name)s”.") % {"name": view.name})
    return _list(view.query)


@staff_required(Permission.VIEW_ORDERS)
def delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    """Delete one of the staff member's own views (another's is not found)."""
    if request.method != "POST":
        return _list()
    try:
        services.delete_order_view(owner_id=staff_id(request), view_id=view_id)
    except errors.SavedViewNotFound:
        messages.error(request, _("This view was deleted already."))
        return _list()
    messages.success(request, _("Deleted the view."))
    return _list(normalized_query(QueryDict(request.POST.get("back", ""))) or "")
