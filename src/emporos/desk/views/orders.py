"""The orders list: filters that live in the URL (bookmark and share a view), paging, bulk actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy
from django.views.decorators.http import require_GET, require_POST

from emporos.access.roles import Permission, can
from emporos.core import clock, cursor
from emporos.core.actor import Actor
from emporos.core.errors import DomainError, ValidationFailed
from emporos.core.text import text_problem
from emporos.desk.auth import actor_for, refuse, staff_required, staff_role
from emporos.desk.forms import show_error
from emporos.desk.labels import choices, label
from emporos.orders import errors, selectors, services
from emporos.orders.filters import ORDER_FILTERS, FilterKind, OrderFilter, OrderFilters, parse_filters
from emporos.orders.models import Order
from emporos.shop import selectors as shop

PAGE_SIZE = 50
# More than this at once is refused: each order is its own transaction, and the request must end.
BULK_LIMIT = 200
_DATE_FORMAT = "%Y-%m-%d"


def _any_of(kind: str) -> Callable[[], list[tuple[str, str]]]:
    """A select's choices, read when rendered so they follow the UI's language."""
    return lambda: [("", _("Any")), *choices(kind)]


def _date_field(text: str) -> forms.DateField:
    widget = forms.DateInput(attrs={"type": "date"}, format=_DATE_FORMAT)
    return forms.DateField(label=text, required=False, input_formats=[_DATE_FORMAT], widget=widget)


_EARLIEST_DAY, _LATEST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


# The desk's words for each declared filter (orders.filters.ORDER_FILTERS); its date fields
# "from" and "to" stand for placed_from and placed_to.
_FILTER_LABELS = {
    "q": gettext_lazy("Search"),
    "status": gettext_lazy("Status"),
    "payment_status": gettext_lazy("Payment"),
    "fulfillment_status": gettext_lazy("Fulfilment"),
    "payment_method": gettext_lazy("Payment method"),
    "channel": gettext_lazy("Channel"),
    "shipping_method": gettext_lazy("Shipping method"),
}


def _declared_field(spec: OrderFilter) -> forms.Field:
    """The form field of a declared choice or text filter, with its choices or length limit."""
    text = _FILTER_LABELS[spec.name]
    if spec.kind == FilterKind.CHOICE:
        return forms.ChoiceField(label=text, required=False, choices=_any_of(spec.name))
    if spec.name == "q":
        placeholder = gettext_lazy("Number, e-mail, name or phone")
        widget = forms.TextInput(attrs={"type": "search", "placeholder": placeholder})
        return forms.CharField(label=text, required=False, max_length=spec.max_length, widget=widget)
    return forms.CharField(label=text, required=False, max_length=spec.max_length)


class OrderFilterForm(forms.Form):
    """Every filter of orders.filters.ORDER_FILTERS, under the names the URL shows."""

    overdue = forms.ChoiceField(
        label=gettext_lazy("Overdue"),
        required=False,
        choices=lambda: [("", _("Any")), ("yes", _("Overdue")), ("no", _("Not overdue"))],
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Order by"),
        required=False,
        choices=lambda: [("newest", _("Newest first")), ("oldest", _("Oldest first"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        declared = {spec.name: _declared_field(spec) for spec in ORDER_FILTERS if spec.name in _FILTER_LABELS}
        self.fields = {**declared, **self.fields}  # the search first, as the page shows it
        # "from" and "to" are the URL's words and Python keywords, so they are added here.
        self.fields["from"] = _date_field(_("From"))
        self.fields["to"] = _date_field(_("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("from", "to"):
            day = data.get(name)
            if day and not _EARLIEST_DAY <= day <= _LATEST_DAY:
                self.add_error(name, _("Pick a day between 2000 and 2100."))
                data.pop(name, None)
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("This day is before the “From” day; pick the same day or a later one."))
        return data

    @property
    def is_oldest_first(self) -> bool:
        return self.cleaned_data.get("sort") == "oldest"

    def order_filters(self, time_zone: ZoneInfo) -> OrderFilters:
        """The selector's filters; the dates become the shop's midnights, `to` inclusive."""
        data = self.cleaned_data
        start, end = data.get("from"), data.get("to")
        return parse_filters(
            {name: data.get(name) for name in _FILTER_LABELS}
            | {
                "placed_from": _midnight(start, time_zone) if start else None,
                "placed_to": _midnight(end + dt.timedelta(days=1), time_zone) if end else None,
                "overdue": {"yes": True, "no": False}.get(data.get("overdue") or ""),
            }
        )


def _midnight(day: dt.date, time_zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=time_zone)


def _list_url(query: QueryDict, **changes: str | None) -> str:
    """This list's URL with the same filters, `changes` applied (None drops one); never a cursor
    unless given, and without empty values, so shared links stay short."""
    params = query.copy()
    params.pop("after", None)
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    kept = QueryDict(mutable=True)
    for name, values in params.lists():
        kept.setlist(name, [value for value in values if value])
    encoded = kept.urlencode()
    return reverse("desk:orders") + (f"?{encoded}" if encoded else "")


def _export_url(query: QueryDict) -> str:
    """The CSV export (desk.views.orders_export) of the list these parameters show."""
    return reverse("desk:orders_export") + _list_url(query).removeprefix(reverse("desk:orders"))


@dataclass(frozen=True)
class QuickPick:
    label: str
    url: str
    is_active: bool


def _quick_picks(query: QueryDict, today: dt.date) -> list[QuickPick]:
    day = dt.timedelta(days=1)
    ranges = [
        (_("Today"), today, today),
        (_("Yesterday"), today - day, today - day),
        (_("Last 7 days"), today - 6 * day, today),
        (_("Last 30 days"), today - 29 * day, today),
        (_("This month"), today.replace(day=1), today),
    ]
    picks = []
    for text, start, end in ranges:
        first, last = start.isoformat(), end.isoformat()
        is_active = query.get("from") == first and query.get("to") == last
        picks.append(QuickPick(text, _list_url(query, **{"from": first, "to": last}), is_active))
    return picks


@dataclass(frozen=True)
class Row:
    order: Order
    is_overdue: bool


@staff_required(Permission.VIEW_ORDERS)
@require_GET
def orders_page(request: HttpRequest) -> HttpResponse:
    form = OrderFilterForm(request.GET)
    time_zone = shop.time_zone()
    context: dict[str, Any] = {
        "section": "orders",
        "form": form,
        "time_zone": time_zone,
        "quick_picks": _quick_picks(request.GET, clock.now().astimezone(time_zone).date()),
        "is_filtered": any(value for name, value in request.GET.items() if name not in ("sort", "after")),
    }
    if not form.is_valid():
        return render(request, "desk/orders/list.html", context, status=400)
    try:
        filters, oldest_first = form.order_filters(time_zone), form.is_oldest_first
    except ValidationFailed as error:
        show_error(form, error)
        return render(request, "desk/orders/list.html", context, status=400)
    after = request.GET.get("after") or None
    try:
        page = selectors.list_orders(filters, after=after, limit=PAGE_SIZE, oldest_first=oldest_first)
    except cursor.BadCursor:
        # A cursor from an old bookmark or the other sort order: start again at the first page.
        after, page = None, selectors.list_orders(filters, limit=PAGE_SIZE, oldest_first=oldest_first)
    role = staff_role(request)
    context |= {
        "rows": [Row(order, selectors.is_overdue(order)) for order in page.orders],
        "after": after,
        "first_page_url": _list_url(request.GET),
        "export_url": _export_url(request.GET),
        "next_page_url": _list_url(request.GET, after=page.next_cursor) if page.next_cursor else None,
        "bulk_actions": [action for action in BULK_ACTIONS.values() if can(role, action.permission)],
    }
    return render(request, "desk/orders/list.html", context)


class Skipped(Exception):
    """An order a bulk action leaves alone, with the reason shown to staff."""


def _confirm(order: Order, actor: Actor, reason: str) -> None:
    services.confirm_order(order=order, actor=actor)


def _hold(order: Order, actor: Actor, reason: str) -> None:
    services.hold_order(order=order, reason=reason, actor=actor)


def _record_payment(order: Order, actor: Actor, reason: str) -> None:
    try:
        services.record_outstanding_payment(order=order, actor=actor)
    except errors.AlreadyPaid:
        raise Skipped(_("Already paid in full.")) from None
    except errors.NotCollectedByTheShop:
        method = label("payment_method", order.payment_method)
        raise Skipped(_("Paid by %(method)s: record its payment on the order's page.") % {"method": method}) from None


@dataclass(frozen=True)
class BulkAction:
    name: str
    label: Promise
    permission: Permission
    run: Callable[[Order, Actor, str], None]
    done: Promise  # "... %(count)s orders.", plural-aware (ngettext_lazy with a "count" key)


BULK_ACTIONS = {
    action.name: action
    for action in [
        BulkAction(
            "confirm",
            gettext_lazy("Confirm"),
            Permission.CONFIRM_ORDERS,
            _confirm,
            ngettext_lazy("Confirmed %(count)s order.", "Confirmed %(count)s orders.", "count"),
        ),
        BulkAction(
            "hold",
            gettext_lazy("Put on hold (give a reason)"),
            Permission.HOLD_ORDERS,
            _hold,
            ngettext_lazy("Put %(count)s order on hold.", "Put %(count)s orders on hold.", "count"),
        ),
        BulkAction(
            "record_payment",
            gettext_lazy("Record full payment (cash on delivery, bank transfer)"),
            Permission.RECORD_PAYMENTS,
            _record_payment,
            ngettext_lazy(
                "Recorded the full payment of %(count)s order.",
                "Recorded the full payment of %(count)s orders.",
                "count",
            ),
        ),
    ]
}


def _back_to_list(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if allowed else reverse("desk:orders"))


def _selection(request: HttpRequest) -> list[str]:
    """The ticked order numbers, each once, in the order shown."""
    return list(dict.fromkeys(number.strip() for number in request.POST.getlist("orders") if number.strip()))


def _why(error: DomainError | Skipped) -> str:
    if isinstance(error, ValidationFailed):
        return " ".join(item.message for item in error.errors)
    return error.message if isinstance(error, DomainError) else str(error)


def _selection_problem(action: BulkAction, numbers: list[str], reason: str) -> str | None:
    """Why nothing can be done with this selection, or None when it may go ahead."""
    if not numbers:
        return _("Tick the orders to change first.")
    if len(numbers) > BULK_LIMIT:
        return _("Select at most %(limit)s orders at a time.") % {"limit": BULK_LIMIT}
    if action.name == "hold" and not reason:
        return _("Say why the orders go on hold, in a few words; the timeline keeps it.")
    if action.name == "hold" and (problem := text_problem(reason)) is not None:
        return problem.message
    return None


@staff_required(Permission.VIEW_ORDERS)
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    """Each selected order is changed by its own service call; one message for the changed, one for the rest."""
    action = BULK_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Choose what to do with the selected orders."))
        return _back_to_list(request)
    if not can(staff_role(request), action.permission):
        return refuse(request, _("Your role cannot do this. Ask the shop owner if you need it."))
    numbers, reason = _selection(request), request.POST.get("reason", "").strip()
    problem = _selection_problem(action, numbers, reason)
    if problem is not None:
        messages.error(request, problem)
        return _back_to_list(request)
    actor, changed, refused = actor_for(request), 0, []
    for number in numbers:
        try:
            action.run(selectors.order_for_update(number), actor, reason)
            changed += 1
        except (DomainError, Skipped) as error:
            refused.append(f"{number}: {_why(error)}")
    if changed:
        messages.success(request, action.done % {"count": changed})
    if refused:
        heading = ngettext("%(count)s order was not changed:", "%(count)s orders were not changed:", len(refused))
        messages.error(request, " ".join([heading % {"count": len(refused)}, *refused]))
    return _back_to_list(request)
