"""Words for the values of an order's axes, in the reader's language (pages, timeline, messages)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, dict[str, Promise]] = {
    # Channels a storefront may name; any other channel is shown as the storefront sent it.
    "channel": {
        "web": _("Web shop"),
        "marketplace": _("Marketplace"),
        "phone": _("Phone"),
        "pos": _("Shop counter"),
        "email": _("E-mail"),
        "exchange": _("Exchange for a return"),
    },
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
        "partially_delivered": _("Partly delivered"),
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
    "refund_reason": {
        "returned_goods": _("Goods returned"),
        "cancelled": _("Order cancelled"),
        "goodwill": _("Goodwill gesture"),
        "duplicate_payment": _("Paid twice"),
        "other": _("Other"),
    },
    "outcome": {
        "confirmed": _("Customer confirmed the details"),
        "corrected": _("Details corrected with the customer"),
        "no_answer": _("No answer"),
        "wrong_number": _("Wrong or unreachable number"),
        "customer_cancelled": _("Customer wants to cancel"),
    },
}


def label(kind: str, value: str) -> str:
    """The word for `value` of `kind` ("status", "payment_method"...); the value itself if unknown."""
    found = LABELS.get(kind, {}).get(value)
    if found is not None:
        return str(found)
    return value if kind == "channel" else value.replace("_", " ")
