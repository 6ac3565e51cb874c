"""Words for the values staff see: statuses, methods, stock states, outcomes, in the UI's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from emporos.access import labels as access
from emporos.fulfillment import labels as fulfillment
from emporos.inventory import labels as inventory
from emporos.orders import labels as orders
from emporos.returns import labels as returns

# The fulfillment domain's kinds under names of their own: its "status" is not an order's.
_FULFILLMENT: dict[str, dict[str, Promise]] = {
    "fulfillment_order_status": fulfillment.LABELS["status"],
    "hold_reason": fulfillment.LABELS["hold_reason"],
    "fulfillment_mode": fulfillment.LABELS["mode"],
    "shipment_status": fulfillment.LABELS["shipment_status"],
    "packaging_kind": fulfillment.LABELS["packaging_kind"],
    "delay_reason": fulfillment.LABELS["delay_reason"],
    "delay_outcome": fulfillment.LABELS["delay_outcome"],
    "delay_case_status": fulfillment.LABELS["delay_case_status"],
    # Where a wave's order stands at the packing table (desk.views.fulfillment).
    "wave_progress": {
        "to_pack": _("To pack"),
        "partly_packed": _("Partly packed"),
        "packed": _("Packed"),
        "shipped": _("Shipped"),
        "on_hold": _("On hold"),
        "cancelled": _("Cancelled"),
    },
}

# The returns domain's kinds, under names that say they are a return's.
_RETURNS: dict[str, dict[str, Promise]] = {
    "return_kind": returns.LABELS["kind"],
    "return_status": returns.LABELS["status"],
    "resolution": returns.LABELS["resolution"],
    "return_reason": returns.LABELS["reason"],
    "condition": returns.LABELS["condition"],
    "exemption": returns.LABELS["exemption"],
    "auto_refund": returns.LABELS["auto_refund"],
    "shipping_paid_by": {"shop": _("The shop"), "customer": _("The customer")},
    # Where a refund's money is at the provider (orders.Refund.provider_status).
    "provider_status": {
        "pending": _("Sent to the provider"),
        "succeeded": _("Paid back"),
        "failed": _("Refused by the provider"),
        "due": _("To be paid by bank transfer"),
    },
    "refund_provider": {
        "manual": _("Recorded by hand"),
        "bank_transfer": _("Bank transfer"),
        "stripe": _("Stripe"),
    },
}

LABELS: dict[str, dict[str, Promise]] = {
    **orders.LABELS,
    **inventory.LABELS,
    **access.LABELS,
    **_FULFILLMENT,
    **_RETURNS,
}


def label(kind: str, value: str) -> str:
    """The UI word for `value` of `kind` ("status", "payment_method"...); the value itself if unknown."""
    if kind in orders.LABELS:
        return orders.label(kind, value)
    found = LABELS.get(kind, {}).get(value)
    return str(found) if found is not None else value.replace("_", " ")


def choices(kind: str) -> list[tuple[str, str]]:
    return [(value, str(text)) for value, text in LABELS[kind].items()]


def language_name(code: str) -> str:
    """The language's own name ("Ελληνικά" for el); the code itself when Django does not know it."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return code
