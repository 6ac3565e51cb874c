"""What the carrier adapters share: refusing what a carrier cannot do, amounts, sizes, webhook parts.

Every check here runs before a request leaves, so a label that cannot be right is refused with a
sentence a packer understands instead of being bought and then found wrong at the locker.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from emporos.fulfillment.carriers import (
    CarrierError,
    CarrierNotConfigured,
    LabelRequest,
    Parcel,
    TrackingStatus,
    WebhookRejected,
)

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
LABEL_FORMATS = ("pdf", "zpl")


def require_settings(carrier_name: str, missing: Sequence[str]) -> None:
    """Refuse to call out while a setting the call needs is empty, naming every one of them."""
    if missing:
        raise CarrierNotConfigured(
            f"{carrier_name} is not set up: set {', '.join(missing)} in the environment "
            "(README, section Carriers) and restart Emporos."
        )


def refuse_unsupported(request: LabelRequest, *, carrier_name: str, supports_cash_on_delivery: bool = True) -> None:
    """A flag the carrier cannot honour stops the label: dropping it silently would ship the parcel
    without what the customer or the shop was promised."""
    if request.signature_required:
        raise CarrierError(f"{carrier_name} cannot collect a signature on delivery; choose another method.")
    if request.presence_required:
        raise CarrierError(f"{carrier_name} cannot promise hand delivery to the addressee; choose another method.")
    if request.cash_on_delivery is not None:
        if not supports_cash_on_delivery:
            raise CarrierError(f"{carrier_name} does not collect cash on delivery for this service.")
        if request.cash_on_delivery <= 0:
            raise CarrierError(f"A cash-on-delivery amount must be above zero; {request.cash_on_delivery} was given.")
    if request.declared_value is not None and request.declared_value < 0:
        raise CarrierError(f"A declared value cannot be negative; {request.declared_value} was given.")
    if request.label_format not in LABEL_FORMATS:
        raise CarrierError(f"Labels come as {' or '.join(LABEL_FORMATS)}; {request.label_format!r} was asked for.")
    if request.parcel.weight_grams <= 0:
        raise CarrierError("Weigh the parcel first: a label needs its weight.")


def zpl(body: bytes, *, carrier_name: str, parcel: str) -> str:
    """A ZPL label as text; ZPL printers are sent UTF-8 (^CI28), anything else would print wrong."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise CarrierError(f"{carrier_name} sent a ZPL label for {parcel} that is not UTF-8 text.") from None


def money(amount: Decimal | None) -> Decimal:
    """An amount in cents, rounded half up (an order total is already in cents; this only guards)."""
    return (amount or Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)


def kilograms(parcel: Parcel) -> float:
    """The weight in kilograms, as the JSON number both carriers take."""
    return float(Decimal(parcel.weight_grams) / 1000)


def has_dimensions(parcel: Parcel) -> bool:
    return min(parcel.length_mm, parcel.width_mm, parcel.height_mm) > 0


def smallest_fitting(parcel: Parcel, boxes: Iterable[tuple[str, tuple[int, int, int]]]) -> str | None:
    """The first box (smallest first) the parcel fits in, turned any way; None when none fits.

    Box sizes are in millimetres in any order; the parcel may lie on any side.
    """
    size = sorted((parcel.length_mm, parcel.width_mm, parcel.height_mm), reverse=True)
    for name, box in boxes:
        if all(side <= room for side, room in zip(size, sorted(box, reverse=True), strict=True)):
            return name
    return None


def describe_size(parcel: Parcel) -> str:
    return f"{parcel.length_mm / 10:g} x {parcel.width_mm / 10:g} x {parcel.height_mm / 10:g} cm"


def secrets_match(expected: str, given: str) -> bool:
    """Compare in constant time, as bytes (a header may carry anything, even non-ASCII)."""
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def header(headers: Mapping[str, str], name: str) -> str:
    """A request header by name, whatever its case (Django's request.headers or a plain dict)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return ""


def text(body: bytes, *, carrier_name: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookRejected(f"The {carrier_name} webhook body is not UTF-8 text.") from None


def json_object(body: bytes, *, carrier_name: str) -> dict[str, Any]:
    """A webhook body as a JSON object, or WebhookRejected saying why it is not one."""
    try:
        parsed = json.loads(text(body, carrier_name=carrier_name))
    except ValueError:
        raise WebhookRejected(f"The {carrier_name} webhook body is not JSON.") from None
    if not isinstance(parsed, dict):
        raise WebhookRejected(f"The {carrier_name} webhook body is not a JSON object.")
    return parsed


def mapped_status(
    table: Mapping[str, TrackingStatus], status: str, *, carrier_name: str, parcel: str
) -> TrackingStatus:
    """The normalised status for a carrier's word.

    A word not in the carrier's documented list (a status added after this table was written) is
    taken as in transit and logged: every end of a parcel's journey (delivered, returned, lost) is
    documented and mapped, so a new word is most likely one more scan on the way, and refusing the
    webhook would only make the carrier send it again and again. The log names the parcel, never
    the event's body (it carries the customer's name and phone).
    """
    if status in table:
        return table[status]
    logger.warning("%s sent an undocumented status %r for %s; recorded as in transit", carrier_name, status, parcel)
    return TrackingStatus.IN_TRANSIT


def aware(moment: dt.datetime) -> dt.datetime:
    """Carriers' examples all carry an offset; a time without one is taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
