"""The owner's fulfilment settings: the packaging packers choose from (add, change, take out of
use), and a read-only summary of the cut-offs, shipping zones and methods, and carriers.

Zones and methods are reference data edited in the admin; the summary links there. The form only
parses types; `fulfillment.packaging` decides what is valid and its words land next to the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from emporos.access.roles import Permission
from emporos.core.errors import DomainError, NotFound
from emporos.desk.auth import staff_required
from emporos.desk.forms import DeskForm, LocalizedIntegerField, show_error
from emporos.desk.labels import choices
from emporos.desk.responses import post_only
from emporos.fulfillment import carriers, selectors
from emporos.fulfillment.models import Packaging
from emporos.fulfillment.packaging import PackagingDraft, add_packaging, change_packaging, set_packaging_active
from emporos.shipping import selectors as shipping

# Wide enough for any value a person types, narrow enough for the database's integer column;
# the service says what is sensible.
_BIG = 1_000_000_000


def _whole(label: Any, *, required: bool = True, help_text: Any = "") -> forms.IntegerField:
    return LocalizedIntegerField(label=label, required=required, min_value=-_BIG, max_value=_BIG, help_text=help_text)


class PackagingForm(DeskForm):
    """Field names are PackagingDraft's, so each error of the service lands next to its field."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=200,
        help_text=gettext_lazy("Letters, digits, '-', '_' and '.', e.g. BOX-S."),
        required=False,
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=400, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=lambda: choices("packaging_kind"))
    length_mm = _whole(gettext_lazy("Length (mm)"))
    width_mm = _whole(gettext_lazy("Width (mm)"))
    height_mm = _whole(gettext_lazy("Height (mm)"))
    weight_grams = _whole(gettext_lazy("Weight empty (g)"), help_text=gettext_lazy("Counted in the parcel's weight."))
    max_weight_grams = _whole(
        gettext_lazy("Most a packed parcel may weigh (g)"),
        required=False,
        help_text=gettext_lazy("Optional. Packers are warned when a parcel is heavier."),
    )
    position = _whole(gettext_lazy("Position"), help_text=gettext_lazy("Lower comes first at the packing table."))

    def draft(self) -> PackagingDraft:
        data = self.cleaned_data
        return PackagingDraft(**{name: data[name] for name in self.fields})


def initial_from(packaging: Packaging) -> dict[str, Any]:
    return {name: getattr(packaging, name) for name in PackagingForm.base_fields}


@dataclass(frozen=True)
class CarrierSetup:
    code: str
    name: str
    needs_setup: bool  # False: Emporos answers for it itself (manual, demo)
    missing: list[str]  # the EMPOROS_* variables still empty


def carrier_setups() -> list[CarrierSetup]:
    """Each known carrier and whether its EMPOROS_<CARRIER>_* settings are all filled in."""
    rows = []
    for code in carriers.known():
        block = settings.EMPOROS.get(code.upper())
        missing = (
            [f"EMPOROS_{code.upper()}_{key}" for key, value in block.items() if not value]
            if isinstance(block, dict)
            else []
        )
        rows.append(CarrierSetup(code, carriers.carrier(code).name, isinstance(block, dict), missing))
    return rows


@staff_required(Permission.CHANGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def fulfillment_settings_page(request: HttpRequest) -> HttpResponse:
    """The packaging list with a form to add one, and the summary."""
    if request.method != "POST":
        return _render(request, PackagingForm(initial={"kind": "box", "position": 10}))
    form = PackagingForm(request.POST)
    if form.is_valid():
        try:
            packaging = add_packaging(draft=form.draft())
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Packaging %(name)s added.") % {"name": packaging.name})
            return HttpResponseRedirect(reverse("desk:fulfillment_settings") + "#packaging", status=303)
    return _render(request, form, status=400)


def _render(request: HttpRequest, form: PackagingForm, *, status: int = 200) -> HttpResponse:
    dispatch = shipping.dispatch()
    context = {
        "section": "settings",
        "form": form,
        "packagings": selectors.packagings(),
        "cutoffs": dispatch.cutoffs,
        "time_zone": str(dispatch.time_zone),
        "zones": shipping.zones(),
        "carriers": carrier_setups(),
    }
    return render(request, "desk/settings/fulfillment.html", context, status=status)


@staff_required(Permission.CHANGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def packaging_page(request: HttpRequest, code: str) -> HttpResponse:
    packaging = selectors.packaging(code)
    if packaging is None:
        messages.error(request, _("There is no packaging %(code)s; here is the list.") % {"code": code})
        return HttpResponseRedirect(reverse("desk:fulfillment_settings") + "#packaging", status=303)
    if request.method != "POST":
        return _render_edit(request, packaging, PackagingForm(initial=initial_from(packaging)))
    form = PackagingForm(request.POST)
    if form.is_valid():
        try:
            changed = change_packaging(code=packaging.code, draft=form.draft())
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Packaging %(name)s saved.") % {"name": changed.name})
            return HttpResponseRedirect(reverse("desk:fulfillment_settings") + "#packaging", status=303)
    return _render_edit(request, packaging, form, status=400)


def _render_edit(request: HttpRequest, packaging: Packaging, form: PackagingForm, *, status: int = 200) -> HttpResponse:
    context = {"section": "settings", "packaging": packaging, "form": form}
    return render(request, "desk/settings/packaging.html", context, status=status)


@staff_required(Permission.CHANGE_SETTINGS)
@post_only(lambda request, code: reverse("desk:packaging", args=[code]))
def packaging_active(request: HttpRequest, code: str) -> HttpResponse:
    """Take a packaging out of use, or back into use (`is_active` is "yes" or "no")."""
    is_active = request.POST.get("is_active") == "yes"
    try:
        packaging = set_packaging_active(code=code, is_active=is_active)
    except NotFound:
        messages.error(request, _("There is no packaging %(code)s; here is the list.") % {"code": code})
    else:
        text = _("%(name)s is in use again.") if is_active else _("%(name)s is out of use; packers no longer see it.")
        messages.success(request, text % {"name": packaging.name})
    return HttpResponseRedirect(reverse("desk:fulfillment_settings") + "#packaging", status=303)
