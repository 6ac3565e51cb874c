"""Fulfilment actions on one order: hold or release a part of it, mark a made-to-order line as
made, and ship chosen units in a parcel (a partial shipment when not everything goes).

Each posts to its own address, calls the fulfillment service and redirects back to the order; a
refusal shows the order page (or the shipping form) again with the message where it belongs.
"""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from emporos.access.roles import Permission
from emporos.core.errors import DomainError, NotFound, ValidationFailed
from emporos.desk import shipment_keys
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.forms import DeskForm, LocalizedIntegerField, plain_text, show_error
from emporos.desk.fulfillment_panel import Failure, HoldPartForm, hold_prefix
from emporos.desk.labels import label
from emporos.desk.responses import post_only
from emporos.desk.shipping_errors import show_shipping_error
from emporos.desk.views.order import order_not_found, render_order
from emporos.desk.views.shipments import carrier_choices
from emporos.fulfillment import planning, selectors
from emporos.fulfillment.models import FulfillmentOrder, Packaging
from emporos.fulfillment.packing import PackingPlan, packing_plan
from emporos.fulfillment.shipments import ShipmentDraft, create_shipment
from emporos.orders import selectors as order_selectors
from emporos.orders.models import Order, OrderLine
from emporos.orders.services.stock import SHIPPING_STATUSES, mark_made

MAX_UNITS = 10_000


def _back(order: Order) -> HttpResponse:
    return HttpResponseRedirect(reverse("desk:order", args=[order.display_number]) + "#fulfillment", status=303)


def _to_fulfillment(request: HttpRequest, number: str, **_: Any) -> str:
    return reverse("desk:order", args=[number]) + "#fulfillment"


def _part(order: Order, part_id: UUID) -> FulfillmentOrder | None:
    return FulfillmentOrder.objects.filter(order=order, public_id=part_id).select_related("order").first()


def _no_part(request: HttpRequest, order: Order) -> HttpResponse:
    messages.error(request, _("That part of the order is gone: the plan changed. Here is the order as it is now."))
    return _back(order)


@staff_required(Permission.HOLD_ORDERS)
@post_only(_to_fulfillment)
def hold_part(request: HttpRequest, number: str, part_id: UUID) -> HttpResponse:
    try:
        order = order_selectors.order_for_update(number)
    except NotFound:
        return order_not_found(request, number)
    part = _part(order, part_id)
    if part is None:
        return _no_part(request, order)
    form = HoldPartForm(request.POST, prefix=hold_prefix(part))
    status = 400
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            planning.hold(
                fulfillment_order=part, reason=reason, note=form.cleaned_data["note"], actor=actor_for(request)
            )
        except ValidationFailed as error:
            show_error(form, error)
        except DomainError:
            form.add_error(None, _("This part is done or cancelled now, so it cannot be held."))
            status = 409
        else:
            messages.success(
                request,
                _("Part of order %(number)s is on hold: %(reason)s.")
                % {"number": order.display_number, "reason": label("hold_reason", reason)},
            )
            return _back(order)
    failure = Failure(form=form, part_id=part.pk)
    return render_order(request, order_selectors.order_by_number(number), fulfillment_failed=failure, status=status)


@staff_required(Permission.HOLD_ORDERS)
@post_only(_to_fulfillment)
def release_part(request: HttpRequest, number: str, part_id: UUID) -> HttpResponse:
    try:
        order = order_selectors.order_for_update(number)
    except NotFound:
        return order_not_found(request, number)
    part = _part(order, part_id)
    if part is None:
        return _no_part(request, order)
    try:
        planning.release(fulfillment_order=part, actor=actor_for(request))
    except DomainError:
        failure = Failure(
            part_id=part.pk, message=_("This part is not held by staff (any more), so there is nothing to release.")
        )
        return render_order(request, order_selectors.order_by_number(number), fulfillment_failed=failure, status=409)
    messages.success(request, _("Hold lifted on part of order %(number)s.") % {"number": order.display_number})
    return _back(order)


@staff_required(Permission.FULFIL_ORDERS)
@post_only(_to_fulfillment)
def line_made(request: HttpRequest, number: str, line_id: int) -> HttpResponse:
    try:
        order = order_selectors.order_for_update(number)
    except NotFound:
        return order_not_found(request, number)
    try:
        line = mark_made(order=order, line_id=line_id, actor=actor_for(request))
    except DomainError:
        failure = Failure(line_id=line_id, message=_("This line is not waiting to be made (any more)."))
        return render_order(request, order_selectors.order_by_number(number), fulfillment_failed=failure, status=409)
    messages.success(
        request,
        _("%(sku)s of order %(number)s is made: it ships with the next wave.")
        % {"sku": line.sku, "number": order.display_number},
    )
    return _back(order)


# --- Ship chosen units: a parcel, possibly a partial one ----------------------------------------


class ShipForm(DeskForm):
    """A count per line with units left (the units that can leave now, as the default), the
    carrier, its tracking number and the packaging. `key` makes a second press ship nothing more."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    carrier = forms.ChoiceField(label=gettext_lazy("Carrier"))
    tracking_number = forms.CharField(
        label=gettext_lazy("Tracking number"),
        required=False,
        max_length=100,
        validators=[plain_text],
        help_text=gettext_lazy("Needed for the manual carrier: the number on the carrier's own label."),
    )
    packaging = forms.ChoiceField(label=gettext_lazy("Packaging"), required=False)

    def __init__(self, *args: Any, lines: list[OrderLine], packagings: list[Packaging], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        line_fields: dict[str, forms.Field] = {
            f"line-{line.pk}": LocalizedIntegerField(label=line.sku, min_value=0, max_value=MAX_UNITS, required=False)
            for line in lines
        }
        self.fields = {**line_fields, **self.fields}
        self.fields["carrier"].choices = carrier_choices()  # type: ignore[attr-defined]
        self.fields["packaging"].choices = [  # type: ignore[attr-defined]
            ("", _("None")),
            *[(packaging.code, packaging.name) for packaging in packagings],
        ]

    def line_rows(self) -> list[tuple[OrderLine, forms.BoundField]]:
        return [(line, self[f"line-{line.pk}"]) for line in self.lines]

    def counts(self) -> list[tuple[str, int]]:
        data = self.cleaned_data
        return [(line.sku, data[f"line-{line.pk}"]) for line in self.lines if data.get(f"line-{line.pk}")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not self.counts():
            raise forms.ValidationError(_("Give at least one unit to ship."))
        return data

    def draft(self) -> ShipmentDraft:
        data = self.cleaned_data
        return ShipmentDraft(
            lines=self.counts(),
            carrier=data["carrier"],
            tracking_number=data["tracking_number"],
            packaging=data["packaging"],
        )

    def line_field(self, sku: str) -> str | None:
        return next((f"line-{line.pk}" for line in self.lines if line.sku == sku), None)


def _lines_left(order: Order) -> list[OrderLine]:
    return [
        line
        for line in OrderLine.objects.filter(order=order).select_related("variant__product").order_by("id")
        if line.quantity_unshipped and line.variant.product.is_shipped
    ]


@staff_required(Permission.FULFIL_ORDERS)
@require_http_methods(["GET", "POST"])
def ship_page(request: HttpRequest, number: str) -> HttpResponse:
    try:
        order = order_selectors.order_for_update(number)
    except NotFound:
        return order_not_found(request, number)
    plan, lines, packagings = packing_plan(order), _lines_left(order), selectors.packagings(active_only=True)
    if request.method != "POST":
        initial: dict[str, Any] = {"key": uuid.uuid4(), "carrier": plan.carrier}
        initial |= {f"line-{line.pk}": plan.quantity_of(line.sku) for line in lines}
        form = ShipForm(initial=initial, lines=lines, packagings=packagings)
        return _ship_page(request, plan, form)
    done = shipment_keys.shipped_already(order, "desk-ship", request.POST.get("key", ""))
    if done is not None:  # the form sent twice: the first parcel stands
        return _back(order)
    form = ShipForm(request.POST, lines=lines, packagings=packagings)
    if not form.is_valid():
        return _ship_page(request, plan, form, status=400)
    draft = form.draft()
    try:
        shipment, _created = create_shipment(
            order=order,
            draft=draft,
            actor=actor_for(request),
            idempotency_key=shipment_keys.idempotency_key("desk-ship", form.cleaned_data["key"]),
            fingerprint=draft.fingerprint(),
        )
    except DomainError as error:
        show_shipping_error(form, error, plan=plan, line_field=form.line_field, draft=draft)
        status = 400 if isinstance(error, ValidationFailed) else 409
        return _ship_page(request, packing_plan(order), form, status=status)
    messages.success(
        request,
        _("Parcel %(reference)s is on its way with %(carrier)s, tracking number %(tracking)s.")
        % {
            "reference": shipment.reference,
            "carrier": dict(carrier_choices()).get(shipment.carrier, shipment.carrier),
            "tracking": shipment.tracking_number,
        },
    )
    return _back(order)


def _ship_page(request: HttpRequest, plan: PackingPlan, form: ShipForm, *, status: int = 200) -> HttpResponse:
    staying = {line.sku: line for line in (*plan.waiting, *plan.held)}
    context = {
        "section": "orders",
        "order": plan.order,
        "plan": plan,
        "form": form,
        "rows": [(line, field, staying.get(line.sku)) for line, field in form.line_rows()],
        "is_being_handled": plan.order.status in SHIPPING_STATUSES,
        "status_word": label("status", plan.order.status),
    }
    return render(request, "desk/order/ship.html", context, status=status)
