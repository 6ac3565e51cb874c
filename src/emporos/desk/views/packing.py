"""The packing table: scan an order's slip, confirm each unit, choose the box, close the package.

A keyboard-wedge scanner types a code and Enter into the scan box. The page keeps the count of
confirmed units (packing.js; without JavaScript the counts are typed), and closing the package
posts them: the server checks them against what can leave now and `create_shipment` decides.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from emporos.access.roles import Permission
from emporos.core.errors import DomainError, NotFound, ValidationFailed
from emporos.desk import shipment_keys
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.forms import DeskForm, LocalizedIntegerField, plain_text
from emporos.desk.labels import label
from emporos.desk.shipping_errors import show_shipping_error
from emporos.fulfillment import carriers, selectors
from emporos.fulfillment.models import Packaging
from emporos.fulfillment.packing import PackingPlan, packing_plan
from emporos.fulfillment.shipments import ShipmentDraft, create_shipment
from emporos.orders import selectors as order_selectors
from emporos.orders.models import Order
from emporos.orders.numbers import parse_number

MAX_UNITS = 10_000


class ScanForm(DeskForm):
    order = forms.CharField(
        label=gettext_lazy("Scan the packing slip or type the order number"),
        max_length=100,
        validators=[plain_text],
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false", "enterkeyhint": "go"}
        ),
    )


class PackForm(DeskForm):
    """One count per line that may go into the parcel, the packaging, and the tracking number
    when the carrier is manual. `key` makes pressing "Close package" twice close it once."""

    key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, plan: PackingPlan, packagings: list[Packaging], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        for line in plan.lines:
            self.fields[f"line-{line.line_id}"] = LocalizedIntegerField(
                label=line.sku, min_value=0, max_value=MAX_UNITS, initial=0, required=False
            )
        if packagings:
            self.fields["packaging"] = forms.ChoiceField(
                label=_("Packaging"),
                choices=[(packaging.code, packaging.name) for packaging in packagings],
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose the box or envelope the parcel goes in.")},
            )
        if plan.carrier == "manual":
            self.fields["tracking_number"] = forms.CharField(
                label=_("Tracking number"),
                max_length=100,
                validators=[plain_text],
                help_text=_("The number on the carrier's own label."),
                error_messages={"required": _("Type the tracking number from the carrier's label.")},
            )

    def counts(self) -> list[tuple[str, int]]:
        """(SKU, units) of the lines with at least one unit, after is_valid()."""
        data = self.cleaned_data
        return [
            (line.sku, data.get(f"line-{line.line_id}") or 0)
            for line in self.plan.lines
            if data.get(f"line-{line.line_id}")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        for line in self.plan.lines:
            count = data.get(f"line-{line.line_id}") or 0
            if count > line.quantity:
                self.add_error(
                    f"line-{line.line_id}",
                    ngettext(
                        "Only %(count)s unit of %(sku)s goes into this parcel.",
                        "Only %(count)s units of %(sku)s go into this parcel.",
                        line.quantity,
                    )
                    % {"count": line.quantity, "sku": line.sku},
                )
        if not self.errors and not self.counts():
            raise forms.ValidationError(_("Scan or tap at least one unit before closing the package."))
        return data

    def draft(self) -> ShipmentDraft:
        data = self.cleaned_data
        return ShipmentDraft(
            lines=self.counts(),
            packaging=data.get("packaging", ""),
            tracking_number=data.get("tracking_number", ""),
        )

    def line_field(self, sku: str) -> str | None:
        return next((f"line-{line.line_id}" for line in self.plan.lines if line.sku == sku), None)


@staff_required(Permission.FULFIL_ORDERS)
@require_GET
def packing_page(request: HttpRequest) -> HttpResponse:
    """The scan box; a scanned order opens its packing page."""
    if "order" not in request.GET:
        return _scan_page(request, ScanForm())
    form = ScanForm(request.GET)
    if not form.is_valid():
        return _scan_page(request, form, status=400)
    scanned = form.cleaned_data["order"]
    number = parse_number(scanned)
    order = Order.objects.filter(number=number).first() if number is not None else None
    if order is None:
        form.add_error(
            "order", _("There is no order %(number)s. Scan the slip again or type its number.") % {"number": scanned}
        )
        return _scan_page(request, form, status=404)
    return HttpResponseRedirect(reverse("desk:pack", args=[order.display_number]))


def _scan_page(request: HttpRequest, form: ScanForm, *, status: int = 200) -> HttpResponse:
    return render(request, "desk/packing/scan.html", {"section": "packing", "scan": form}, status=status)


@staff_required(Permission.FULFIL_ORDERS)
@require_http_methods(["GET", "POST"])
def pack_page(request: HttpRequest, number: str) -> HttpResponse:
    try:
        order = order_selectors.order_for_update(number)
    except NotFound:
        scan = ScanForm({"order": number})
        scan.is_valid()
        scan.add_error(
            "order", _("There is no order %(number)s. Scan the slip again or type its number.") % {"number": number}
        )
        return _scan_page(request, scan, status=404)
    plan = packing_plan(order)
    packagings = selectors.packagings(active_only=True)
    if request.method != "POST":
        form = PackForm(plan=plan, packagings=packagings, initial={"key": uuid.uuid4()})
        return _pack_page(request, plan, packagings, form)
    done = shipment_keys.shipped_already(order, "desk-pack", request.POST.get("key", ""))
    if done is not None:  # "Close package" pressed twice, or the page sent again: the first parcel
        return HttpResponseRedirect(reverse("desk:packed", args=[done.public_id]), status=303)
    form = PackForm(request.POST, plan=plan, packagings=packagings)
    if not form.is_valid():
        return _pack_page(request, plan, packagings, form, status=400)
    draft = form.draft()
    try:
        shipment, _created = create_shipment(
            order=order,
            draft=draft,
            actor=actor_for(request),
            idempotency_key=shipment_keys.idempotency_key("desk-pack", form.cleaned_data["key"]),
            fingerprint=draft.fingerprint(),
            wave=plan.wave,
        )
    except DomainError as error:
        show_shipping_error(form, error, plan=plan, line_field=form.line_field, draft=draft)
        status = 400 if isinstance(error, ValidationFailed) else 409
        return _pack_page(request, packing_plan(order), packagings, form, status=status)
    return HttpResponseRedirect(reverse("desk:packed", args=[shipment.public_id]), status=303)


def _pack_page(
    request: HttpRequest, plan: PackingPlan, packagings: list[Packaging], form: PackForm, *, status: int = 200
) -> HttpResponse:
    counts = {line.line_id: _count(form, f"line-{line.line_id}") for line in plan.lines}
    chosen = str(form.data.get("packaging", "")) if form.is_bound else ""
    box = next((packaging for packaging in packagings if packaging.code == chosen), None)
    weight = sum(counts[line.line_id] * line.unit_weight_grams for line in plan.lines) + (
        box.weight_grams if box else 0
    )
    context = {
        "section": "packing",
        "scan": ScanForm(),
        "plan": plan,
        "order": plan.order,
        "form": form,
        "rows": [(line, form[f"line-{line.line_id}"], counts[line.line_id]) for line in plan.lines],
        "packagings": packagings,
        "chosen": chosen,
        "weight": weight,
        "carrier_name": carriers.carrier(plan.carrier).name if plan.carrier in carriers.known() else plan.carrier,
        "status_word": label("status", plan.order.status),
        "parcels": selectors.of_order(plan.order) if plan.parcels else [],
        "js_messages": _js_messages(),
    }
    return render(request, "desk/packing/order.html", context, status=status)


def _js_messages() -> dict[str, str]:
    """What packing.js says, in the page's language; %(name)s is filled in by the script."""
    return {
        "wrong": _("%(code)s is not in this order."),
        "full": _("Every unit of %(sku)s is packed already."),
        "follows": _("%(sku)s does not go into this parcel: it follows separately."),
        "held": _("%(sku)s is on hold: do not pack it now."),
        "counted": _("%(sku)s: %(count)s of %(required)s packed."),
        "complete": _("Every unit is packed. Choose the packaging and close the package."),
        "partial": _(
            "Not every unit is packed. Close the package with only the packed units? The rest stays to ship later."
        ),
        "empty": _("Scan or tap at least one unit before closing the package."),
        "leave": _("Leave this order? The units confirmed so far are not saved."),
        "weight": _("%(weight)s kg"),
        "heavy": _("Heavier than this packaging takes (at most %(weight)s)."),
    }


def _count(form: PackForm, name: str) -> int:
    """The count a failed post sent back (so the packer need not scan again), else 0."""
    if not form.is_bound:
        return 0
    value = str(form.data.get(name, "0"))
    return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else 0


@staff_required(Permission.FULFIL_ORDERS)
@require_GET
def packed_page(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The closed package: its label to print, and the scan box for the next order."""
    try:
        shipment = selectors.shipment(public_id)
    except NotFound:
        return HttpResponseRedirect(reverse("desk:packing"))
    context = {
        "section": "packing",
        "scan": ScanForm(),
        "shipment": shipment,
        "carrier_name": carriers.carrier(shipment.carrier).name if shipment.carrier in carriers.known() else "",
        "label_url": reverse("desk:shipment_label", args=[shipment.public_id]),
        "lines": list(shipment.lines.all()),
    }
    return render(request, "desk/packing/packed.html", context)
