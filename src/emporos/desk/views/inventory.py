"""Stock per SKU and location, a SKU's ledger, and stock adjustments (counts, goods in, losses)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from emporos.access.roles import Permission, can
from emporos.catalog.models import Variant
from emporos.core.errors import DomainError, NotFound, ValidationFailed
from emporos.core.text import text_problem
from emporos.desk.auth import actor_for, refuse, staff_required, staff_role
from emporos.desk.forms import DeskForm, LocalizedIntegerField, multiline_text, plain_text, show_error
from emporos.desk.labels import label
from emporos.desk.responses import not_found
from emporos.inventory import selectors
from emporos.inventory.models import ADJUSTMENT_REASONS, Location, MovementReason, StockMovement
from emporos.inventory.services import AdjustmentDraft, AdjustmentResult, set_bin
from emporos.orders.models import NUMBER_PREFIX
from emporos.orders.services import receive_stock

SKUS_PER_PAGE = 100
PAGE_SIZES = (25, 50, 100, 200)
MOVEMENTS_PER_PAGE = 50


class StockFilterForm(DeskForm):
    q = forms.CharField(label=gettext_lazy("SKU or name"), required=False, max_length=100, validators=[plain_text])
    # Submits `yes`, so the URL reads `low=yes`.
    low = forms.BooleanField(
        label=gettext_lazy("Only low stock"), required=False, widget=forms.CheckboxInput(attrs={"value": "yes"})
    )
    location = forms.ChoiceField(label=gettext_lazy("Location"), required=False)
    size = forms.TypedChoiceField(
        label=gettext_lazy("SKUs per page"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": gettext_lazy("Pick how many SKUs a page shows from the list.")},
    )

    def __init__(self, *args: Any, locations: list[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["size"]).choices = [(str(size), str(size)) for size in PAGE_SIZES]
        self.fields["q"].widget.input_type = "search"
        cast(forms.ChoiceField, self.fields["location"]).choices = [("", _("All locations"))] + [
            (loc.code, loc.name) for loc in locations if loc.is_active
        ]

    def filters(self) -> selectors.StockFilters:
        """The valid filters, after is_valid(); a bad one is left out (its error shows next to it)."""
        data = self.cleaned_data
        return selectors.StockFilters(
            search=data.get("q") or "", only_low=bool(data.get("low")), location=data.get("location") or ""
        )

    def page_size(self) -> int:
        """The chosen page size after is_valid(); the default when none (or a bad one) was given."""
        return int(self.cleaned_data.get("size") or SKUS_PER_PAGE)


@staff_required(Permission.VIEW_INVENTORY)
def inventory_page(request: HttpRequest) -> HttpResponse:
    locations = selectors.all_locations()
    form = StockFilterForm(request.GET, locations=locations)
    is_valid = form.is_valid()
    filters = form.filters()
    # The last SKU of the previous page; one that no SKU could be (a control character) starts over.
    after = request.GET.get("after") or None
    if after is not None and text_problem(after) is not None:
        after = None
    page = selectors.stock_page(filters, locations=locations, after=after, limit=form.page_size())
    context = {
        "section": "inventory",
        "form": form,
        "page": page,
        "per_page": form.page_size(),
        "after": after,
        "is_filtered": bool(filters.search or filters.only_low or filters.location),
        "next_query": _query_with(request, after=page.next_after) if page.next_after else "",
        "first_query": _query_with(request, after=None),
    }
    return render(request, "desk/inventory/list.html", context, status=200 if is_valid else 400)


def _query_with(request: HttpRequest, **changes: str | None) -> str:
    """This page's query string with some parameters changed (None: left out)."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


class AdjustmentForm(DeskForm):
    location = forms.ChoiceField(label=gettext_lazy("Location"))
    mode = forms.ChoiceField(
        label=gettext_lazy("What to record"),
        widget=forms.RadioSelect,
        choices=[
            ("on_hand", gettext_lazy("Set the counted quantity")),
            ("delta", gettext_lazy("Add or remove")),
        ],
        initial="on_hand",
    )
    # Bounds keep the number inside the database's integer column; the service judges the rest.
    quantity = LocalizedIntegerField(
        label=gettext_lazy("Quantity"),
        min_value=-1_000_000_000,
        max_value=1_000_000_000,
        help_text=gettext_lazy("The number counted on the shelf, or the change: 5 adds five, -2 removes two."),
    )
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), initial=MovementReason.COUNT)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500, validators=[multiline_text])

    def __init__(self, *args: Any, locations: list[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every active location, so stock can be counted where the SKU has never been yet.
        cast(forms.ChoiceField, self.fields["location"]).choices = [
            (loc.code, loc.name) for loc in locations if loc.is_active
        ]
        cast(forms.ChoiceField, self.fields["reason"]).choices = [
            (reason.value, label("reason", reason.value)) for reason in MovementReason if reason in ADJUSTMENT_REASONS
        ]

    def draft(self, sku: str) -> AdjustmentDraft:
        data = self.cleaned_data
        amount = {data["mode"]: data["quantity"]}
        return AdjustmentDraft(sku=sku, location=data["location"], reason=data["reason"], note=data["note"], **amount)


class BinForm(DeskForm):
    """Where a SKU lies on one location's shelves; posted from that location's row."""

    location = forms.CharField(widget=forms.HiddenInput, max_length=50, validators=[plain_text])
    bin = forms.CharField(label=gettext_lazy("Bin"), required=False, max_length=50, validators=[plain_text])


# The service names an adjustment's fields by their path in its list; the form has one quantity.
_SERVICE_FIELDS = {"adjustments.0.on_hand": "quantity", "adjustments.0.delta": "quantity"}


@staff_required(Permission.VIEW_INVENTORY)
def sku_page(request: HttpRequest, sku: str) -> HttpResponse:
    try:
        variant = selectors.variant_by_sku(sku)
    except NotFound:
        return not_found(
            request,
            section="inventory",
            title=_("There is no such SKU"),
            message=_("No product variant has the SKU “%(sku)s”. Check the spelling, or search the stock list.")
            % {"sku": sku},
            search_url=reverse("desk:inventory"),
            search_label=_("SKU or name"),
            search_value=sku,
            link_url=reverse("desk:inventory"),
            link_text=_("← All SKUs"),
        )
    locations = selectors.all_locations()
    if request.method != "POST":
        form = AdjustmentForm(locations=locations)
        return render(request, "desk/inventory/sku.html", _sku_context(request, variant, locations, form))
    if not can(staff_role(request), Permission.ADJUST_STOCK):
        return refuse(request, _("Your role cannot adjust stock. Ask the shop owner if you need it."))
    if "bin-location" in request.POST:
        return _save_bin(request, variant, locations)
    form = AdjustmentForm(request.POST, locations=locations)
    status = _adjust(request, variant, form, locations)
    if status is None:
        return redirect("desk:sku", sku=variant.sku)
    return render(request, "desk/inventory/sku.html", _sku_context(request, variant, locations, form), status=status)


def _save_bin(request: HttpRequest, variant: Variant, locations: list[Location]) -> HttpResponse:
    """Set the bin of the SKU at the posted location; a refusal shows next to that row's bin."""
    bin_form = BinForm(request.POST, prefix="bin")
    if bin_form.is_valid():
        data = bin_form.cleaned_data
        try:
            set_bin(sku=variant.sku, location=data["location"], bin_code=data["bin"])
        except ValidationFailed as error:
            show_error(bin_form, error)
        else:
            text = (
                _("%(sku)s at %(location)s: bin %(bin)s.")
                if data["bin"].strip()
                else _("%(sku)s at %(location)s: no bin.")
            )
            place = _location_name(locations, data["location"])
            messages.success(request, text % {"sku": variant.sku, "location": place, "bin": data["bin"].strip()})
            return redirect(reverse("desk:sku", kwargs={"sku": variant.sku}) + "#levels")
    context = _sku_context(request, variant, locations, AdjustmentForm(locations=locations))
    context["bin_failed"] = (request.POST.get("bin-location", ""), bin_form)
    return render(request, "desk/inventory/sku.html", context, status=400)


def _adjust(request: HttpRequest, variant: Variant, form: AdjustmentForm, locations: list[Location]) -> int | None:
    """Adjust through the service: None when done, else the status to answer with the form's errors."""
    if not form.is_valid():
        return 400
    try:
        (result,) = receive_stock(drafts=[form.draft(variant.sku)], actor=actor_for(request))
    except ValidationFailed as error:
        show_error(form, error, fields=_SERVICE_FIELDS)
        return 400
    except DomainError as error:
        show_error(form, error)
        return 409
    messages.success(request, _adjusted_message(result, _location_name(locations, result.location)))
    return None


def _location_name(locations: list[Location], code: str) -> str:
    """The name people know a location by; its code only if it has none here."""
    return next((loc.name for loc in locations if loc.code == code), code)


def _adjusted_message(result: AdjustmentResult, location_name: str) -> str:
    return _("%(sku)s at %(location)s: %(on_hand)s on hand (%(delta)s).") % {
        "sku": result.sku,
        "location": location_name,
        "on_hand": result.on_hand,
        "delta": f"{result.delta:+d}",
    }


@dataclass(frozen=True)
class LedgerRow:
    movement: StockMovement
    order_number: str  # the reference when it names an order, so it can link there; else ""
    on_hand_after: int  # at the movement's location, just after it


@dataclass(frozen=True)
class LedgerRows:
    movements: list[LedgerRow]
    next_before: int | None


_ORDER_REFERENCE = re.compile(rf"{re.escape(NUMBER_PREFIX)}\d+")


def _sku_context(
    request: HttpRequest, variant: Variant, locations: list[Location], form: AdjustmentForm
) -> dict[str, Any]:
    before = _positive_int(request.GET.get("before"))
    stock = selectors.sku_overview(variant, locations=locations)
    ledger = selectors.ledger_page(variant, before=before, limit=MOVEMENTS_PER_PAGE)
    balances = selectors.on_hand_after(
        variant, ledger.movements, on_hand={row.location.pk: row.on_hand for row in stock.rows}
    )
    rows = [
        LedgerRow(movement, movement.reference if _ORDER_REFERENCE.fullmatch(movement.reference) else "", after)
        for movement, after in zip(ledger.movements, balances, strict=True)
    ]
    return {
        "section": "inventory",
        "variant": variant,
        "stock": stock,
        "ledger": LedgerRows(movements=rows, next_before=ledger.next_before),
        "before": before,
        "form": form,
    }


def _positive_int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None
