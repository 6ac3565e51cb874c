"""The orders list: filters that live in the URL (bookmark and share a view), paging, bulk actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy, ngettext, ngettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from emporos.access.roles import Permission, can
from emporos.core import clock, cursor, formats
from emporos.core.actor import Actor
from emporos.core.errors import DomainError, ValidationFailed
from emporos.core.text import text_problem
from emporos.desk.auth import actor_for, refuse, staff_required, staff_role
from emporos.desk.forms import DeskForm, plain_text, show_error, use_shop_words
from emporos.desk.labels import choices, label
from emporos.desk.responses import post_only
from emporos.orders import errors, selectors, services
from emporos.orders.filters import (
    NEWEST_FIRST,
    ORDER_FILTERS,
    FilterKind,
    OrderFilter,
    OrderFilters,
    OrderSort,
    parse_filters,
)
from emporos.orders.models import Order, SavedOrderView
from emporos.shipping import selectors as shipping
from emporos.shop import selectors as shop

PAGE_SIZE = 50  # the page size when the URL names none
PAGE_SIZES = (25, 50, 100, 200)
# More than this at once is refused: each order is its own transaction, and the request must end.
BULK_LIMIT = 200
_DATE_FORMAT = "%Y-%m-%d"


def _any_of(kind: str) -> Callable[[], list[tuple[str, str]]]:
    """A select's choices, read when rendered so they follow the UI's language."""
    return lambda: [("", _("Any")), *choices(kind)]


def _date_field(text: str) -> forms.DateField:
    widget = forms.DateInput(attrs={"type": "date"}, format=_DATE_FORMAT)
    return forms.DateField(label=text, required=False, input_formats=[_DATE_FORMAT], widget=widget)


def _yes_no(yes: Promise, no: Promise) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [("", _("Any")), ("yes", str(yes)), ("no", str(no))]


_EARLIEST_DAY, _LATEST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


# The desk's words for each declared filter (orders.filters.ORDER_FILTERS) the form shows as is;
# "from" and "to" stand for placed_from and placed_to, "overdue" and "express" are yes or no.
_FILTER_LABELS = {
    "q": gettext_lazy("Search"),
    "status": gettext_lazy("Status"),
    "payment_status": gettext_lazy("Payment"),
    "fulfillment_status": gettext_lazy("Fulfilment"),
    "payment_method": gettext_lazy("Payment method"),
    "channel": gettext_lazy("Channel"),
    "shipping_method": gettext_lazy("Shipping method"),
    "sku": gettext_lazy("SKU"),
}
_FILTER_SPECS = {spec.name: spec for spec in ORDER_FILTERS}


class _SeenChoiceField(forms.ChoiceField):
    """A select of the values the shop uses (channels, shipping methods). A value from an older
    link that is no longer among them is kept as a choice, once it passes the text rules."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length

    def validate(self, value: Any) -> None:
        plain_text(value)
        if len(value) > self.max_length:
            raise forms.ValidationError(_("Use at most %(limit)s characters.") % {"limit": self.max_length})
        super().validate(value)


def _declared_field(spec: OrderFilter) -> forms.Field:
    """The form field of a declared choice or text filter, with its choices or length limit."""
    text = _FILTER_LABELS[spec.name]
    if spec.name in {"channel", "shipping_method"}:
        return _SeenChoiceField(label=text, required=False, max_length=spec.max_length)
    if spec.kind == FilterKind.CHOICE:
        return forms.ChoiceField(label=text, required=False, choices=_any_of(spec.name))
    if spec.name == "q":
        placeholder = gettext_lazy("Number, e-mail, name or phone")
        widget = forms.TextInput(attrs={"type": "search", "placeholder": placeholder})
        return forms.CharField(label=text, required=False, max_length=spec.max_length, widget=widget)
    widget = forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"} if spec.name == "sku" else {})
    return forms.CharField(label=text, required=False, max_length=spec.max_length, widget=widget)


@dataclass(frozen=True)
class SortChoice:
    """One way to sort the list: its value in the URL, the selector's sort and its words."""

    value: str
    sort: OrderSort
    text: Promise


SORT_CHOICES = {
    choice.value: choice
    for choice in [
        SortChoice("newest", NEWEST_FIRST, gettext_lazy("Newest first")),
        SortChoice("oldest", OrderSort("placed", descending=False), gettext_lazy("Oldest first")),
        SortChoice("-number", OrderSort("number"), gettext_lazy("Order number, highest first")),
        SortChoice("number", OrderSort("number", descending=False), gettext_lazy("Order number, lowest first")),
        SortChoice("customer", OrderSort("customer", descending=False), gettext_lazy("Customer, A to Z")),
        SortChoice("-customer", OrderSort("customer"), gettext_lazy("Customer, Z to A")),
        SortChoice("-total", OrderSort("total"), gettext_lazy("Total, highest first")),
        SortChoice("total", OrderSort("total", descending=False), gettext_lazy("Total, lowest first")),
        SortChoice("status", OrderSort("status", descending=False), gettext_lazy("Status, new orders first")),
        SortChoice("-status", OrderSort("status"), gettext_lazy("Status, finished orders first")),
        SortChoice("due", OrderSort("due", descending=False), gettext_lazy("Due soonest first")),
        SortChoice("-due", OrderSort("due"), gettext_lazy("Due latest first")),
    ]
}
_SORT_VALUES = {choice.sort: value for value, choice in SORT_CHOICES.items()}

# Days relative to today, for views that stay current ("Express today"); From and To win over it.
_PERIODS = {
    "today": gettext_lazy("Today"),
    "yesterday": gettext_lazy("Yesterday"),
    "last_7_days": gettext_lazy("Last 7 days"),
    "last_30_days": gettext_lazy("Last 30 days"),
    "this_month": gettext_lazy("This month"),
}


def _period_days(period: str, today: dt.date) -> tuple[dt.date, dt.date]:
    day = dt.timedelta(days=1)
    return {
        "today": (today, today),
        "yesterday": (today - day, today - day),
        "last_7_days": (today - 6 * day, today),
        "last_30_days": (today - 29 * day, today),
        "this_month": (today.replace(day=1), today),
    }[period]


# What the list shows when its URL names no sort or page size; left out of URLs and saved views.
_DEFAULTS = {"sort": "newest", "per_page": "50"}


class OrderFilterForm(DeskForm):
    """Every filter of orders.filters.ORDER_FILTERS, the sort and the page size, under the names
    the URL shows, in the order a normalized query (a saved view) lists them."""

    def __init__(
        self,
        *args: Any,
        channels: tuple[str, ...] | list[str] = (),
        shipping_methods: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.defaulted: set[str] = set()
        if self.is_bound:  # the selects show the defaults the list uses when the URL names none
            data = QueryDict(mutable=True)
            data.update(self.data)
            self.defaulted = {name for name in _DEFAULTS if not data.get(name)}
            for name in self.defaulted:
                data[name] = _DEFAULTS[name]
            self.data = data
        self.fields = {name: _declared_field(_FILTER_SPECS[name]) for name in _FILTER_LABELS}
        self.fields["period"] = forms.ChoiceField(
            label=_("When placed"), required=False, choices=[("", _("Any day")), *_PERIODS.items()]
        )
        # "from" and "to" are the URL's words and Python keywords, so they are added here.
        self.fields["from"] = _date_field(_("From"))
        self.fields["to"] = _date_field(_("To"))
        self.fields["overdue"] = forms.ChoiceField(
            label=_("Overdue"), required=False, choices=_yes_no(gettext_lazy("Overdue"), gettext_lazy("Not overdue"))
        )
        self.fields["express"] = forms.ChoiceField(
            label=_("Express"), required=False, choices=_yes_no(gettext_lazy("Express"), gettext_lazy("Not express"))
        )
        self.fields["sort"] = forms.ChoiceField(
            label=_("Order by"),
            required=False,
            choices=[(value, c.text) for value, c in SORT_CHOICES.items()],
            widget=forms.Select(attrs={"data-default": _DEFAULTS["sort"]}),
        )
        self.fields["per_page"] = forms.TypedChoiceField(
            label=_("Per page"),
            required=False,
            coerce=int,
            empty_value=None,
            choices=[(str(size), str(size)) for size in PAGE_SIZES],
            widget=forms.Select(attrs={"data-default": _DEFAULTS["per_page"]}),
        )
        self._offer("channel", {name: label("channel", name) for name in channels})
        self._offer("shipping_method", shipping_methods or {})
        for field in self.fields.values():  # made here, after DeskForm gave its own fields its words
            use_shop_words(field)

    def _offer(self, name: str, values: dict[str, str]) -> None:
        """A select's choices: Any, the values in use, and the URL's value when it is another."""
        current = str(self.data.get(name, "")).strip()
        offered = dict(values)
        if current and current not in offered:
            offered[current] = current
        cast(forms.ChoiceField, self.fields[name]).choices = [("", _("Any")), *offered.items()]

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
    def sort(self) -> OrderSort:
        return SORT_CHOICES[self.cleaned_data.get("sort") or "newest"].sort

    @property
    def page_size(self) -> int:
        if "per_page" in self.defaulted:
            return PAGE_SIZE
        return self.cleaned_data.get("per_page") or PAGE_SIZE

    def order_filters(self, time_zone: ZoneInfo, today: dt.date) -> OrderFilters:
        """The selector's filters; the dates become the shop's midnights, `to` inclusive; a
        period stands for the days it names unless From or To are given."""
        data = self.cleaned_data
        start, end = data.get("from"), data.get("to")
        if data.get("period") and not (start or end):
            start, end = _period_days(data["period"], today)
        flags = {"yes": True, "no": False}
        return parse_filters(
            {name: data.get(name) for name in _FILTER_LABELS}
            | {
                "placed_from": _midnight(start, time_zone) if start else None,
                "placed_to": _midnight(end + dt.timedelta(days=1), time_zone) if end else None,
                "overdue": flags.get(data.get("overdue") or ""),
                "express": flags.get(data.get("express") or ""),
            }
        )

    def normalized_query(self) -> str:
        """The valid form's query in the form's field order, without empty values: how a saved
        view stores it, and how a view is recognised as the one shown."""
        kept = QueryDict(mutable=True)
        for name in self.fields:
            value = str(self.data.get(name, "")).strip()
            if value and value != _DEFAULTS.get(name):
                kept[name] = value
        return kept.urlencode()


def normalized_query(query: QueryDict) -> str | None:
    """`query` as a saved view stores it, or None when some filter in it is not valid."""
    form = OrderFilterForm(query, channels=[], shipping_methods={})
    return form.normalized_query() if form.is_valid() else None


def staff_id(request: HttpRequest) -> int:
    """The signed-in staff member's id (the views that call this are behind staff_required)."""
    return cast(int, request.user.pk)


def _midnight(day: dt.date, time_zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=time_zone)


def _without_empty(query: QueryDict) -> QueryDict:
    kept = QueryDict(mutable=True)
    for name, values in query.lists():
        if any(value for value in values):
            kept.setlist(name, [value for value in values if value])
    return kept


def _list_url(query: QueryDict, **changes: str | None) -> str:
    """This list's URL with the same filters, `changes` applied (None drops one); never a cursor
    unless given, and without empty values, so shared links stay short."""
    params = query.copy()
    params.pop("after", None)
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    encoded = _without_empty(params).urlencode()
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
    picks = []
    for period, text in _PERIODS.items():
        start, end = _period_days(period, today)
        first, last = start.isoformat(), end.isoformat()
        is_active = (query.get("from") == first and query.get("to") == last) or (
            query.get("period") == period and not query.get("from") and not query.get("to")
        )
        url = _list_url(query, period=None, **{"from": first, "to": last})
        picks.append(QuickPick(str(text), url, is_active))
    return picks


@dataclass(frozen=True)
class Row:
    order: Order
    is_overdue: bool


@dataclass(frozen=True)
class SortHeader:
    """A column heading that sorts the list by its column; pressed again, the other way round."""

    text: str
    url: str
    direction: str  # "ascending", "descending" or "" when the list is not sorted by this column
    is_numeric: bool = False


# Each sortable column and the way it sorts first: the most useful end on top.
_SORTABLE = {
    "number": (gettext_lazy("Order"), True),
    "placed": (gettext_lazy("Placed on"), True),
    "customer": (gettext_lazy("Customer"), False),
    "status": (gettext_lazy("Status"), False),
    "total": (gettext_lazy("Total"), True),
    "due": (gettext_lazy("Due"), False),
}


def _sort_headers(query: QueryDict, current: OrderSort) -> dict[str, SortHeader]:
    headers = {}
    for key, (text, descending_first) in _SORTABLE.items():
        is_current = current.key == key
        descending = not current.descending if is_current else descending_first
        value = _SORT_VALUES[OrderSort(key, descending=descending)]
        direction = ("descending" if current.descending else "ascending") if is_current else ""
        url = _list_url(query, sort=None if value == "newest" else value)
        headers[key] = SortHeader(str(text), url, direction, is_numeric=key == "total")
    return headers


@dataclass(frozen=True)
class SavedViewLink:
    view: SavedOrderView
    url: str
    is_active: bool


def _view_links(views: list[SavedOrderView], *, current_query: str | None) -> list[SavedViewLink]:
    base = reverse("desk:orders")
    return [
        SavedViewLink(view, f"{base}?{view.query}" if view.query else base, view.query == current_query)
        for view in views
    ]


def _result_count(found: selectors.OrderCount) -> str:
    """ "1 order", "1,234 orders", "10,000+ orders", with the number as the page's language writes it."""
    shown = formats.number(found.count, language=get_language())
    if found.is_more:
        shown += "+"
    return ngettext("%(n)s order", "%(n)s orders", found.count) % {"n": shown}


def _dirty_query_redirect(request: HttpRequest) -> HttpResponse | None:
    """A URL with empty parameters (a form sent without JavaScript) goes to the same list without them."""
    if not any("" in values for _name, values in request.GET.lists()):
        return None
    encoded = _without_empty(request.GET).urlencode()
    return redirect(reverse("desk:orders") + (f"?{encoded}" if encoded else ""))


@staff_required(Permission.VIEW_ORDERS)
@require_GET
def orders_page(request: HttpRequest) -> HttpResponse:
    if (clean := _dirty_query_redirect(request)) is not None:
        return clean
    time_zone = shop.time_zone()
    today = clock.now().astimezone(time_zone).date()
    form = OrderFilterForm(request.GET, channels=selectors.channels_in_use(), shipping_methods=shipping.method_names())
    views = selectors.saved_order_views(staff_id(request))
    context: dict[str, Any] = {
        "section": "orders",
        "form": form,
        "time_zone": time_zone,
        "quick_picks": _quick_picks(request.GET, today),
        "is_filtered": any(value for name, value in request.GET.items() if name not in ("sort", "after", "per_page")),
        "saved_views": _view_links(views, current_query=None),
    }
    if not form.is_valid():
        return render(request, "desk/orders/list.html", context, status=400)
    try:
        filters, sort = form.order_filters(time_zone, today), form.sort
    except ValidationFailed as error:
        show_error(form, error)
        return render(request, "desk/orders/list.html", context, status=400)
    after, size = request.GET.get("after") or None, form.page_size
    try:
        page = selectors.list_orders(filters, after=after, limit=size, sort=sort)
    except cursor.BadCursor:
        # A cursor from an old bookmark or another sort order: start again at the first page.
        after, page = None, selectors.list_orders(filters, limit=size, sort=sort)
    role, query = staff_role(request), form.normalized_query()
    context |= {
        "rows": [Row(order, selectors.is_overdue(order)) for order in page.orders],
        "result_count": _result_count(selectors.count_orders(filters)),
        "sort_headers": _sort_headers(request.GET, sort),
        "sort_text": SORT_CHOICES[_SORT_VALUES[sort]].text,
        "query": query,
        "saved_views": _view_links(views, current_query=query),
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
@post_only(lambda request: reverse("desk:orders"))
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
