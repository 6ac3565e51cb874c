"""Words for the codes of a return, in the reader's language (pages, timeline, messages)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, dict[str, Promise]] = {
    "kind": {
        "withdrawal": _("Withdrawal"),
        "conformity": _("Faulty goods claim"),
        "policy": _("Return under the shop's policy"),
    },
    "status": {
        "approved": _("Approved"),
        "in_transit": _("On its way back"),
        "received": _("Received"),
        "rejected": _("Rejected"),
        "cancelled": _("Cancelled"),
    },
    "resolution": {
        "refund": _("Refund"),
        "exchange": _("Exchange"),
        "store_credit": _("Store credit"),
    },
    "reason": {
        "wrong_size": _("Wrong size"),
        "not_as_described": _("Not as described"),
        "defective": _("Defective"),
        "arrived_damaged": _("Arrived damaged"),
        "wrong_item": _("Wrong item sent"),
        "changed_my_mind": _("Changed my mind"),
        "better_price": _("Found a better price"),
        "other": _("Other reason"),
        "withdrawal": _("Withdrawal, no reason needed"),
    },
    "condition": {
        "unopened": _("Unopened"),
        "opened": _("Opened"),
        "used": _("Used"),
        "damaged": _("Damaged"),
    },
    "exemption": {
        "custom_made": _("Made to the customer's specification"),
        "hygiene_sealed": _("Hygiene-sealed: returnable unopened only"),
        "perishable": _("Perishable"),
        "digital": _("Digital content: not once downloaded"),
    },
    "auto_refund": {
        "on_receipt": _("When the parcel is received"),
        "on_first_scan": _("At the return parcel's first carrier scan"),
        "never": _("Never: a person issues every refund"),
    },
}


def label(axis: str, code: str) -> str:
    """The words for `code` on `axis`; the code itself when it has none."""
    words = LABELS.get(axis, {}).get(code)
    return str(words) if words is not None else code
