"""The words for support's codes (status, channel, priority, topic, call outcome), in the reader's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

_LABELS: dict[str, dict[str, Promise]] = {
    "status": {
        "open": pgettext_lazy("ticket status", "Open"),
        "pending": pgettext_lazy("ticket status", "Waiting for the customer"),
        "solved": pgettext_lazy("ticket status", "Solved"),
    },
    "channel": {
        "email": pgettext_lazy("ticket channel", "E-mail"),
        "web": pgettext_lazy("ticket channel", "Contact form"),
        "chat": pgettext_lazy("ticket channel", "Chat"),
        "phone": pgettext_lazy("ticket channel", "Phone"),
        "survey": pgettext_lazy("ticket channel", "Satisfaction check"),
        "proactive": pgettext_lazy("ticket channel", "Raised by the shop"),
    },
    "priority": {
        "low": pgettext_lazy("ticket priority", "Low"),
        "normal": pgettext_lazy("ticket priority", "Normal"),
        "high": pgettext_lazy("ticket priority", "High"),
        "urgent": pgettext_lazy("ticket priority", "Urgent"),
    },
    "topic": {
        "delivery": pgettext_lazy("ticket topic", "Delivery"),
        "product": pgettext_lazy("ticket topic", "Product"),
        "payment": pgettext_lazy("ticket topic", "Payment"),
        "return": pgettext_lazy("ticket topic", "Return"),
        "site": pgettext_lazy("ticket topic", "Website"),
        "other": pgettext_lazy("ticket topic", "Other"),
    },
    "call_outcome": {
        "solved": pgettext_lazy("call outcome", "Solved on the call"),
        "follow_up": pgettext_lazy("call outcome", "Needs a follow-up"),
        "no_answer": pgettext_lazy("call outcome", "No answer"),
        "voicemail": pgettext_lazy("call outcome", "Left a voicemail"),
    },
    "due_kind": {
        "first_response": pgettext_lazy("ticket deadline", "First answer"),
        "next_response": pgettext_lazy("ticket deadline", "Next answer"),
        "resolution": pgettext_lazy("ticket deadline", "Solved"),
    },
    "asked_for": {
        "order_number": pgettext_lazy("asked the customer for", "Order number"),
        "address": pgettext_lazy("asked the customer for", "Address"),
        "email": pgettext_lazy("asked the customer for", "E-mail address"),
        "phone": pgettext_lazy("asked the customer for", "Phone number"),
    },
}


def label(axis: str, code: str) -> str:
    """The label of `code` on `axis`, or the code itself when it has none."""
    found = _LABELS.get(axis, {}).get(code)
    return str(found) if found is not None else code


def choices(axis: str) -> list[tuple[str, str]]:
    return [(code, str(text)) for code, text in _LABELS[axis].items()]
