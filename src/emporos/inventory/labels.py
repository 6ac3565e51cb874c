"""Words for the reasons of stock movements, in the reader's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LABELS: dict[str, dict[str, Promise]] = {
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
