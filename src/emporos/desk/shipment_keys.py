"""The idempotency key a desk form carries when it ships a parcel (the ship form, the packing
station): sent twice, the form finds the parcel it already made instead of making another."""

from __future__ import annotations

import uuid

from emporos.fulfillment import selectors
from emporos.fulfillment.models import Shipment
from emporos.orders.models import Order


def idempotency_key(form: str, key: uuid.UUID) -> str:
    """The stored key: the form's name ("desk-ship", "desk-pack") and the form's random key."""
    return f"{form}-{key}"


def shipped_already(order: Order, form: str, key: str) -> Shipment | None:
    """The parcel this form's key already made for `order`, if any (a key that is not a UUID: none)."""
    try:
        parsed = uuid.UUID(key)
    except ValueError:
        return None
    return selectors.by_idempotency_key(order, idempotency_key(form, parsed))
