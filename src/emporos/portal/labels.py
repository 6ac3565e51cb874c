"""Words the customer reads for the order's states and milestones (not the desk's staff words)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The order as a whole, one sentence at the top of the page (fulfillment.status_page.overall_state).
STATE: dict[str, Promise] = {
    "received": _("We have received your order."),
    "packing": _("Your order is being packed."),
    "shipped": _("Your order is on its way."),
    "partly_shipped": _("Part of your order is on its way; the rest follows."),
    "out_for_delivery": _("Your parcel is out for delivery today."),
    "available_for_pickup": _("Your parcel is ready for pickup."),
    "partly_delivered": _("Part of your order has been delivered."),
    "delivered": _("Your order has been delivered."),
    "problem": _("There is a problem with a delivery."),
    "cancelled": _("This order was cancelled."),
    "completed": _("Your order is complete."),
}

# One step of the timeline.
MILESTONE: dict[str, Promise] = {
    "received": pgettext_lazy("order milestone", "Order received"),
    "packing": pgettext_lazy("order milestone", "Being packed"),
    "shipped": pgettext_lazy("order milestone", "Shipped"),
    "label_created": pgettext_lazy("order milestone", "Parcel registered with the carrier"),
    "picked_up": pgettext_lazy("order milestone", "Handed to the carrier"),
    "in_transit": pgettext_lazy("order milestone", "On the way"),
    "out_for_delivery": pgettext_lazy("order milestone", "Out for delivery"),
    "delivery_attempted": pgettext_lazy("order milestone", "Delivery attempted, nobody was there"),
    "available_for_pickup": pgettext_lazy("order milestone", "Ready for pickup"),
    "delivered": pgettext_lazy("order milestone", "Delivered"),
    "exception": pgettext_lazy("order milestone", "A problem with the delivery"),
    "returned_to_sender": pgettext_lazy("order milestone", "Returning to the shop"),
    "cancelled": pgettext_lazy("order milestone", "Parcel cancelled"),
}

# Why units are not in a parcel yet.
WAITING: dict[str, Promise] = {
    "backordered": _("Waiting for stock"),
    "preorder": _("Pre-order"),
    "made_to_order": _("Being made for you"),
    "preparing": _("Being prepared"),
}


def state_words(code: str) -> str:
    return str(STATE.get(code, code))


def milestone_words(code: str) -> str:
    return str(MILESTONE.get(code, code))


def waiting_words(code: str) -> str:
    return str(WAITING.get(code, code))
