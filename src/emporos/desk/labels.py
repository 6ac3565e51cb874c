"""Words for the values staff see: statuses, methods, stock states, outcomes, in the UI's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import get_language_info

from emporos.access import labels as access
from emporos.inventory import labels as inventory
from emporos.orders import labels as orders

LABELS: dict[str, dict[str, Promise]] = {**orders.LABELS, **inventory.LABELS, **access.LABELS}


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
