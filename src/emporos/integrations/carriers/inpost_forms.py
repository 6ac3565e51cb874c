"""What Emporos sends ShipX: the simplified-mode shipment form, built from a LabelRequest.

Shapes from InPost's ShipX documentation (https://dokumentacja-inpost.atlassian.net/wiki/spaces/PL/):
"Creating a shipment in the simplified mode" (pages/18153501), "Form validation" (pages/18153492:
receiver, sender, address, parcels, custom attributes, cod and insurance forms) and "Shipment sizes
and services" (pages/18153507: the locker templates and the insurance courier services require).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from emporos.fulfillment.carriers import CarrierError, LabelRequest, PostalAddress
from emporos.integrations.carriers import common

NAME = "InPost"
SERVICES = {"locker": "inpost_locker_standard", "courier": "inpost_courier_standard"}
LOCKER_SERVICES = frozenset({"inpost_locker_standard"})
# Locker templates and their sizes in millimetres; every one takes up to 25 kg.
TEMPLATES = (("small", (80, 380, 640)), ("medium", (190, 380, 640)), ("large", (410, 380, 640)))
LOCKER_WEIGHT_LIMIT_GRAMS = 25_000


def shipment_form(request: LabelRequest) -> dict[str, Any]:
    """The simplified-mode shipment for one parcel, after everything ShipX would refuse has been checked."""
    common.refuse_unsupported(request, carrier_name=NAME)
    service = SERVICES.get(request.service, request.service)
    if service not in SERVICES.values():
        raise CarrierError(
            f"InPost services here are {', '.join(sorted(SERVICES))}; {request.service!r} was asked for."
        )
    locker = service in LOCKER_SERVICES
    body: dict[str, Any] = {
        "service": service,
        "reference": request.reference,
        "receiver": _receiver(request, locker=locker),
        "sender": _peer(request.sender, with_address=True),
        "parcels": [_locker_parcel(request) if locker else _courier_parcel(request)],
        # A courier collects the parcels at the shop, as in ShipX's own examples.
        "custom_attributes": {"sending_method": "dispatch_order"},
    }
    if locker:
        body["custom_attributes"]["target_point"] = request.pickup_point
    if request.cash_on_delivery is not None:
        body["cod"] = {"amount": float(common.money(request.cash_on_delivery)), "currency": request.currency}
    # Insurance covers the contents and at least the cash collected for them (ShipX: from 1).
    insured = max(request.declared_value or Decimal(0), request.cash_on_delivery or Decimal(0))
    if insured:
        body["insurance"] = {"amount": float(common.money(max(insured, Decimal(1)))), "currency": request.currency}
    elif not locker:
        raise CarrierError("InPost insures every courier parcel: give the parcel's declared value.")
    return body


def _receiver(request: LabelRequest, *, locker: bool) -> dict[str, Any]:
    recipient = request.recipient
    if locker and not request.pickup_point:
        raise CarrierError("Choose the customer's Paczkomat: a locker parcel needs the locker's name, e.g. KRA010.")
    if locker and (not recipient.phone or not recipient.email):
        raise CarrierError("InPost sends the locker code by SMS and e-mail: give the recipient's phone and e-mail.")
    if not locker and not recipient.phone:
        raise CarrierError("InPost's courier calls the recipient: give the recipient's phone.")
    return _peer(recipient, with_address=not locker)


def _peer(address: PostalAddress, *, with_address: bool) -> dict[str, Any]:
    """ShipX's receiver or sender: the name split into first and last, an address when needed."""
    first, _, last = address.name.strip().rpartition(" ")
    peer: dict[str, Any] = {"first_name": first, "last_name": last} if first else {"last_name": last}
    if address.company:
        peer["company_name"] = address.company
    if address.email:
        peer["email"] = address.email
    if address.phone:
        peer["phone"] = _phone(address.phone)
    if with_address:
        peer["address"] = {
            "line1": address.line1,
            **({"line2": address.line2} if address.line2 else {}),
            "city": address.city,
            "post_code": address.postal_code,
            "country_code": address.country,
        }
    return peer


def _phone(phone: str) -> str:
    """ShipX's examples write Polish numbers as nine digits; other numbers keep their +country."""
    digits = "".join(character for character in phone if character.isdigit())
    if phone.startswith("+48") and len(digits) == 11:
        return digits[2:]
    return phone


def _locker_parcel(request: LabelRequest) -> dict[str, Any]:
    parcel = request.parcel
    if parcel.weight_grams > LOCKER_WEIGHT_LIMIT_GRAMS:
        raise CarrierError(f"An InPost locker takes parcels up to 25 kg; this one weighs {parcel.weight_grams} g.")
    if not common.has_dimensions(parcel):
        raise CarrierError("Measure the parcel: InPost's locker size (small, medium or large) follows from it.")
    template = common.smallest_fitting(parcel, TEMPLATES)
    if template is None:
        raise CarrierError(
            f"A {common.describe_size(parcel)} parcel does not fit an InPost locker (at most 41 x 38 x 64 cm)."
        )
    return {"template": template}


def _courier_parcel(request: LabelRequest) -> dict[str, Any]:
    parcel = request.parcel
    if not common.has_dimensions(parcel):
        raise CarrierError("Measure the parcel: InPost's courier needs its length, width and height.")
    return {
        "dimensions": {
            "length": parcel.length_mm,
            "width": parcel.width_mm,
            "height": parcel.height_mm,
            "unit": "mm",
        },
        "weight": {"amount": common.kilograms(parcel), "unit": "kg"},
    }
