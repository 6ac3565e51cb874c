"""Settings → Returns (the owner): the shop's policy on top of the law, and the SKUs exempt from
withdrawal. The forms only parse types; `returns.settings` decides what is valid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from emporos.access.roles import Permission
from emporos.core.errors import DomainError, ValidationFailed
from emporos.desk.auth import actor_for, staff_required
from emporos.desk.forms import DeskForm, LocalizedDecimalField, LocalizedIntegerField, plain_text, show_error
from emporos.desk.labels import choices, label
from emporos.desk.views.shipments import carrier_choices
from emporos.returns import settings as return_settings
from emporos.returns.models import Reason, ReturnKind, SkuExemption
from emporos.returns.policy import current_policy


def _reason_choices() -> list[tuple[str, str]]:
    return [(code, label("return_reason", code)) for code in Reason.values if code != Reason.WITHDRAWAL]


class PolicyForm(DeskForm):
    """Field names are `save_policy`'s, so each of its errors lands next to its field."""

    voluntary_days = LocalizedIntegerField(
        label=gettext_lazy("Days the shop's own return policy gives"),
        help_text=gettext_lazy(
            "Counted from delivery, on top of the law's periods (e.g. 30). 0: the law's periods only."
        ),
    )
    reasons = forms.MultipleChoiceField(
        label=gettext_lazy("Reasons customers may choose"),
        choices=_reason_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    auto_refund = forms.ChoiceField(
        label=gettext_lazy("Refund automatically"), choices=lambda: choices("auto_refund"), widget=forms.RadioSelect
    )
    auto_refund_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("For these kinds of return (none ticked: all)"),
        choices=lambda: choices("return_kind"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    return_shipping_paid_by = forms.ChoiceField(
        label=gettext_lazy("Who pays for the way back"),
        choices=lambda: choices("shipping_paid_by"),
        widget=forms.RadioSelect,
        help_text=gettext_lazy("The shop always pays it for faulty goods."),
    )
    return_shipping_fee = LocalizedDecimalField(
        label=gettext_lazy("Return shipping fee"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("Taken off the refund when the customer pays the way back, e.g. 4.50."),
    )
    return_carrier = forms.ChoiceField(label=gettext_lazy("Carrier for return labels"), choices=carrier_choices)
    customers_informed = forms.BooleanField(
        label=gettext_lazy("Customers are informed of their right of withdrawal"),
        required=False,
        help_text=gettext_lazy(
            "In the terms and the order confirmation. Without it, the withdrawal period lasts 12 months longer."
        ),
    )


class ExemptionForm(DeskForm):
    sku = forms.CharField(label=gettext_lazy("SKU"), max_length=64, validators=[plain_text])
    exemption = forms.ChoiceField(
        label=gettext_lazy("Why it cannot be withdrawn from"), choices=lambda: choices("exemption")
    )


def _initial() -> dict[str, Any]:
    policy = current_policy()
    return {
        "voluntary_days": policy.voluntary_days,
        "reasons": list(policy.reasons),
        "auto_refund": policy.auto_refund,
        "auto_refund_kinds": list(policy.auto_refund_kinds),
        "return_shipping_paid_by": policy.return_shipping_paid_by,
        "return_shipping_fee": policy.return_shipping_fee,
        "return_carrier": policy.return_carrier,
        "customers_informed": policy.customers_informed,
    }


def _here() -> str:
    return reverse("desk:returns_settings")


@staff_required(Permission.CHANGE_SETTINGS)
@require_http_methods(["GET", "POST"])
def returns_settings_page(request: HttpRequest) -> HttpResponse:
    policy_form = PolicyForm(initial=_initial(), prefix="policy")
    exemption_form = ExemptionForm(prefix="exemption")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "policy":
            policy_form = PolicyForm(request.POST, prefix="policy")
            if (done := _save_policy(request, policy_form)) is not None:
                return done
        elif action == "exemption":
            exemption_form = ExemptionForm(request.POST, prefix="exemption")
            if (done := _add_exemption(request, exemption_form)) is not None:
                return done
        elif action == "remove-exemption":
            try:
                return_settings.remove_exemption(sku=request.POST.get("sku", ""), actor=actor_for(request))
            except DomainError:
                messages.error(request, _("That SKU had no exemption; the list shows them as they are now."))
            else:
                messages.success(request, _("Exemption removed."))
            return HttpResponseRedirect(_here() + "#exemptions", status=303)
        status = 400
    else:
        status = 200
    policy = current_policy()
    context = {
        "section": "settings",
        "policy_form": policy_form,
        "exemption_form": exemption_form,
        "exemptions": list(SkuExemption.objects.order_by("sku")),
        "updated_at": policy.updated_at,
        "updated_by": policy.updated_by,
        "kinds": ReturnKind.values,
    }
    return render(request, "desk/settings/returns.html", context, status=status)


def _save_policy(request: HttpRequest, form: PolicyForm) -> HttpResponse | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return_settings.save_policy(
            voluntary_days=data["voluntary_days"],
            reasons=data["reasons"],
            auto_refund=data["auto_refund"],
            auto_refund_kinds=data["auto_refund_kinds"],
            return_shipping_paid_by=data["return_shipping_paid_by"],
            return_shipping_fee=data["return_shipping_fee"] or Decimal(0),
            return_carrier=data["return_carrier"],
            customers_informed=data["customers_informed"],
            actor=actor_for(request),
        )
    except ValidationFailed as error:
        show_error(form, error)
        return None
    messages.success(request, _("Return settings saved."))
    return HttpResponseRedirect(_here(), status=303)


def _add_exemption(request: HttpRequest, form: ExemptionForm) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        row = return_settings.set_exemption(
            sku=form.cleaned_data["sku"], exemption=form.cleaned_data["exemption"], actor=actor_for(request)
        )
    except ValidationFailed as error:
        show_error(form, error)
        return None
    messages.success(request, _("SKU %(sku)s cannot be withdrawn from now.") % {"sku": row.sku})
    return HttpResponseRedirect(_here() + "#exemptions", status=303)
