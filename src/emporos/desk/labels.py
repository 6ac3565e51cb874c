"""Words for the values staff see: statuses, methods, stock states, outcomes, in the UI's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, dict[str, Promise]] = {
    "status": {
        "placed": _("Placed"),
        "confirmed": _("Confirmed"),
        "processing": _("Processing"),
        "completed": _("Completed"),
        "cancelled": _("Cancelled"),
        "on_hold": _("On hold"),
    },
    "payment_status": {
        "pending": _("Payment pending"),
        "authorized": _("Authorised"),
        "paid": _("Paid"),
        "partially_refunded": _("Partly refunded"),
        "refunded": _("Refunded"),
        "voided": _("Voided"),
    },
    "fulfillment_status": {
        "unfulfilled": _("Not shipped"),
        "partially_shipped": _("Partly shipped"),
        "shipped": _("Shipped"),
        "delivered": _("Delivered"),
        "partially_returned": _("Partly returned"),
        "returned": _("Returned"),
    },
    "payment_method": {
        "card": _("Card"),
        "cash_on_delivery": _("Cash on delivery"),
        "bank_transfer": _("Bank transfer"),
        "paypal": _("PayPal"),
        "blik": _("BLIK"),
        "bit": _("Bit"),
        "gift_card": _("Gift card"),
        "other": _("Other"),
    },
    "stock_state": {
        "reserved": _("Reserved"),
        "backordered": _("Waiting for stock"),
        "preorder": _("Pre-order"),
        "made_to_order": _("Made to order"),
        "not_stocked": _("No stock needed"),
        "released": _("Released"),
        "shipped": _("Handed over"),
    },
    "outcome": {
        "confirmed": _("Customer confirmed the details"),
        "corrected": _("Details corrected with the customer"),
        "no_answer": _("No answer"),
        "wrong_number": _("Wrong or unreachable number"),
        "customer_cancelled": _("Customer wants to cancel"),
    },
    "role": {
        "owner": _("Owner"),
        "warehouse": _("Warehouse"),
        "support": _("Support"),
    },
    "reason": {
        "received": _("Goods received"),
        "count": _("Stock count"),
        "correction": _("Correction"),
        "damaged": _("Damaged or lost"),
        "returned": _("Returned to stock"),
        "reserved": _("Reserved for an order"),
        "released": _("Reservation released"),
        "shipped": _("Shipped"),
    },
}


def label(kind: str, value: str) -> str:
    """The UI word for `value` of `kind` ("status", "payment_method"...); the value itself if unknown."""
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
