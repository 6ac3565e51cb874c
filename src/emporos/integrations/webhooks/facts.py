"""What a request's `data` holds: the event's payload and the public facts a storefront needs
(the order's number and statuses, the parcel's carrier, tracking number and tracking link),
read when the request is built. Never a customer's name, address, e-mail or phone, nor a locker's
pickup code."""

from __future__ import annotations

from typing import Any

from emporos.core.config import setting
from emporos.fulfillment.models import Shipment
from emporos.orders.links import status_path
from emporos.orders.models import Order
from emporos.outbox.events import DomainEvent


def data_for(event: DomainEvent) -> dict[str, Any]:
    data = event.payload()
    order_id, shipment_id = data.get("order_id"), data.get("shipment_id")
    if isinstance(order_id, int):
        order = Order.objects.filter(pk=order_id).first()
        if order is not None:
            data["order"] = order_facts(order)
    if isinstance(shipment_id, int):
        shipment = Shipment.objects.filter(pk=shipment_id).first()
        if shipment is not None:
            data["shipment"] = shipment_facts(shipment)
    return data


def order_facts(order: Order) -> dict[str, Any]:
    return {
        "number": order.display_number,
        "external_reference": order.external_reference,
        "channel": order.channel,
        "status": order.status,
        "payment_status": order.payment_status,
        "fulfillment_status": order.fulfillment_status,
        "status_path": status_path(order),
        "status_url": f"{setting('PUBLIC_URL').rstrip('/')}{status_path(order)}",
    }


def shipment_facts(shipment: Shipment) -> dict[str, Any]:
    return {
        "id": str(shipment.public_id),
        "sequence": shipment.sequence,
        "carrier": shipment.carrier,
        "carrier_name": shipment.carrier_name,
        "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_url,
        "status": shipment.status,
        "pickup_point": shipment.pickup_point,
        "expected_on": shipment.expected_on.isoformat() if shipment.expected_on else None,
        "delivered_at": _iso(shipment.delivered_at),
        "pickup_until": shipment.pickup_until.isoformat() if shipment.pickup_until else None,
    }


def _iso(moment: Any) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None
