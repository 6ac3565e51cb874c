"""Shipments: every parcel, newest first, filtered by carrier, status, order or tracking number;
and each parcel's label."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from emporos.access.roles import Permission
from emporos.core import cursor
from emporos.core.errors import NotFound
from emporos.desk.auth import staff_required
from emporos.desk.forms import DeskForm, plain_text
from emporos.desk.labels import choices
from emporos.desk.responses import not_found
from emporos.desk.views.fulfillment import pdf
from emporos.fulfillment import carriers, printing, selectors

PAGE_SIZE = 50


def carrier_choices() -> list[tuple[str, str]]:
    """The carriers Emporos knows, by the name each writes itself."""
    return [(code, carriers.carrier(code).name) for code in carriers.known()]


class ShipmentFilterForm(DeskForm):
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        validators=[plain_text],
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": gettext_lazy("Order number or tracking number")}
        ),
    )
    carrier = forms.ChoiceField(label=gettext_lazy("Carrier"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carrier"].choices = [("", _("Any")), *carrier_choices()]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("Any")), *choices("shipment_status")]  # type: ignore[attr-defined]


def _list_url(query: QueryDict, **changes: str | None) -> str:
    """This list's URL with the same filters and `changes` (None drops one), without empty values."""
    params = QueryDict(mutable=True)
    for name, values in query.lists():
        if name != "after":
            params.setlist(name, [value for value in values if value])
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    encoded = params.urlencode()
    return reverse("desk:shipments") + (f"?{encoded}" if encoded else "")


@staff_required(Permission.VIEW_ORDERS)
@require_GET
def shipments_page(request: HttpRequest) -> HttpResponse:
    form = ShipmentFilterForm(request.GET)
    context: dict[str, Any] = {
        "section": "shipments",
        "form": form,
        "is_filtered": any(value for name, value in request.GET.items() if name != "after"),
    }
    if not form.is_valid():
        return render(request, "desk/shipments/list.html", context, status=400)
    data = form.cleaned_data
    filters = {"carrier": data["carrier"], "status": data["status"], "search": data["q"]}
    after = request.GET.get("after") or None
    try:
        page = selectors.shipments_page(**filters, after=after, limit=PAGE_SIZE)
    except cursor.BadCursor:
        after, page = None, selectors.shipments_page(**filters, limit=PAGE_SIZE)
    context |= {
        "shipments": page.shipments,
        "after": after,
        "first_page_url": _list_url(request.GET),
        "next_page_url": _list_url(request.GET, after=page.next_cursor) if page.next_cursor else None,
    }
    return render(request, "desk/shipments/list.html", context)


def _no_shipment(request: HttpRequest) -> HttpResponse:
    return not_found(
        request,
        section="shipments",
        title=_("There is no such parcel"),
        message=_("The link may be old or mistyped. Search the shipments by order or tracking number."),
        search_url=reverse("desk:shipments"),
        search_label=_("Search shipments"),
        link_url=reverse("desk:shipments"),
        link_text=_("All shipments"),
    )


@xframe_options_sameorigin  # the packing table shows it in a frame, to print from there
@staff_required(Permission.VIEW_ORDERS)
@require_GET
def shipment_label(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        shipment = selectors.shipment(public_id)
    except NotFound:
        return _no_shipment(request)
    return pdf(printing.label_pdf(shipment), f"label-{shipment.order.display_number}-{shipment.sequence}.pdf")


@staff_required(Permission.VIEW_ORDERS)
@require_GET
def shipment_label_zpl(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        shipment = selectors.shipment(public_id)
    except NotFound:
        return _no_shipment(request)
    response = HttpResponse(printing.label_zpl(shipment), content_type="application/zpl; charset=utf-8")
    filename = f"label-{shipment.order.display_number}-{shipment.sequence}.zpl"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
