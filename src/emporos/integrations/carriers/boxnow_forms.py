"""What Emporos sends BOX NOW: the delivery request for one parcel, and the customer return
request for one return, built from a LabelRequest.

Shapes from BOX NOW's Partner API, OpenAPI 1.65 (`DeliveryRequest`, the body of
`/api/v1/delivery-requests:customerReturns`, and the error codes P402, P405,
P406, P408 it answers when a field is wrong); compartment sizes from BOX NOW's own WordPress plugin.
"""

from __future__ import annotations

from typing import Any

from emporos.fulfillment.carriers import CarrierError, LabelRequest
from emporos.integrations.carriers import common

NAME = "BOX NOW"
SERVICES = ("locker", "")  # lockers are BOX NOW's one service, so a method may leave it unnamed
CASH_ON_DELIVERY_LIMIT = 5000  # P408: amountToBeCollected lies in (0, 5000]
# Compartment codes and their inner sizes in millimetres.
COMPARTMENTS = (("1", (600, 450, 80)), ("2", (600, 450, 170)), ("3", (600, 450, 360)))


def delivery_request(request: LabelRequest, *, origin_id: str) -> dict[str, Any]:
    """DeliveryRequest for one parcel, after everything BOX NOW would refuse has been checked."""
    common.refuse_unsupported(request, carrier_name=NAME)
    recipient, sender = request.recipient, request.sender
    if request.service not in SERVICES:
        raise CarrierError(f'BOX NOW delivers to lockers only (service "locker"); {request.service!r} was asked for.')
    if not request.pickup_point:
        raise CarrierError("Choose the customer's BOX NOW locker: a locker parcel needs its locker id.")
    if not recipient.phone or not recipient.email:
        raise CarrierError("BOX NOW sends the locker code by SMS and e-mail: give the recipient's phone and e-mail.")
    amounts = [request.cash_on_delivery, request.declared_value]
    if any(amount is not None for amount in amounts) and request.currency != "EUR":
        raise CarrierError(f"BOX NOW takes amounts in euros; this parcel's are in {request.currency}.")
    cash = request.cash_on_delivery
    if cash is not None and cash > CASH_ON_DELIVERY_LIMIT:
        raise CarrierError(f"BOX NOW collects at most {CASH_ON_DELIVERY_LIMIT} EUR on delivery; {cash} was asked.")
    item: dict[str, Any] = {
        "id": request.idempotency_key,
        "name": request.description or request.reference,
        "value": str(common.money(request.declared_value or request.cash_on_delivery)),
        "weight": common.kilograms(request.parcel),
    }
    if common.has_dimensions(request.parcel):
        size = common.smallest_fitting(request.parcel, COMPARTMENTS)
        if size is None:
            raise CarrierError(
                f"A {common.describe_size(request.parcel)} parcel does not fit a BOX NOW locker "
                "(at most 60 x 45 x 36 cm)."
            )
        item["compartmentSize"] = int(size)
    return {
        "orderNumber": request.reference,
        "invoiceValue": str(common.money(request.declared_value or cash)),
        "paymentMode": "cod" if cash is not None else "prepaid",
        "amountToBeCollected": str(common.money(cash)),
        "origin": {
            "locationId": origin_id,
            "contactName": sender.company or sender.name,
            **({"contactNumber": sender.phone} if sender.phone else {}),
            **({"contactEmail": sender.email} if sender.email else {}),
        },
        "destination": {
            "locationId": request.pickup_point,
            "contactName": recipient.name,
            "contactNumber": recipient.phone,
            "contactEmail": recipient.email,
        },
        "items": [item],
    }


def customer_return_request(request: LabelRequest, *, destination_id: str) -> dict[str, Any]:
    """The body of `POST /api/v1/delivery-requests:customerReturns`: the customer (the sender) with
    the phone and e-mail BOX NOW sends the drop-off code to, the shop's return destination, and
    the parcel (its reference, contents, value and weight; BOX NOW picks the compartment)."""
    sender = request.sender
    if not sender.phone or not sender.email:
        raise CarrierError("BOX NOW sends the customer the drop-off code by SMS and e-mail: give both.")
    if request.declared_value is not None and request.currency != "EUR":
        raise CarrierError(f"BOX NOW takes amounts in euros; this return's are in {request.currency}.")
    return {
        "sender": {
            "contactPhoneNumber": sender.phone,
            "contactEmail": sender.email,
            "contactName": sender.name,
        },
        "destination": {"locationId": destination_id},
        "parcels": [
            {
                "id": request.idempotency_key,
                "name": request.description or request.reference,
                "value": str(common.money(request.declared_value)),
                "weight": common.kilograms(request.parcel),
            }
        ],
    }
