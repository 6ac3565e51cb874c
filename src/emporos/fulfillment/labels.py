"""Words for the fulfillment domain's codes, in the reader's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LABELS: dict[str, dict[str, Promise]] = {
    "status": {
        "open": _("Ready"),
        "in_progress": _("In progress"),
        "on_hold": _("On hold"),
        "scheduled": _("Scheduled"),
        "closed": _("Done"),
        "cancelled": _("Cancelled"),
    },
    "hold_reason": {
        "awaiting_payment": _("awaiting payment"),
        "out_of_stock": _("out of stock"),
        "preorder_date": _("pre-order date"),
        "address_problem": _("address problem"),
        "awaiting_verification": _("awaiting verification"),
        "being_made": _("being made"),
        "other": _("other"),
    },
    "mode": {
        "own": _("Own location"),
        "third_party": _("Fulfilment service"),
        "digital": _("Digital"),
        "made_to_order": _("Made to order"),
    },
    "packaging_kind": {
        "box": _("Box"),
        "envelope": _("Padded envelope"),
        "bag": _("Mailer bag"),
    },
    "shipment_status": {
        "label_created": _("Label created"),
        "picked_up": _("Picked up"),
        "in_transit": _("In transit"),
        "out_for_delivery": _("Out for delivery"),
        "delivery_attempted": _("Delivery attempted"),
        "available_for_pickup": _("Ready for pickup"),
        "delivered": _("Delivered"),
        "exception": _("Problem"),
        "returned_to_sender": _("Returned to sender"),
        "cancelled": _("Label cancelled"),
    },
    "delay_reason": {
        "no_scan": _("no carrier scan for too long"),
        "exception": _("carrier reported a problem"),
        "failed_attempt": _("delivery attempt failed"),
        "late": _("promised day passed"),
    },
    "delay_outcome": {
        "moved_on": _("the parcel moved on"),
        "delivered": _("delivered"),
        "staff_closed": _("closed by staff"),
    },
    "delay_case_status": {
        "open": pgettext_lazy("delay case status", "Open"),
        "closed": pgettext_lazy("delay case status", "Closed"),
    },
}


def label(kind: str, code: str) -> str:
    return str(LABELS[kind].get(code, code))


def hold_reason(code: str) -> str:
    return label("hold_reason", code)
