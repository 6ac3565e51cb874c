"""Fulfillment endpoints: ship lines of an order (a parcel with its label) and read shipments."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Header, Router

from emporos.access.models import Scope
from emporos.api import schemas
from emporos.api.auth import ApiKeyAuth, actor_of
from emporos.api.idempotency import key_problem, request_fingerprint
from emporos.api.problems import problem
from emporos.core import clock, money
from emporos.fulfillment import printing, selectors
from emporos.fulfillment.models import Shipment
from emporos.fulfillment.shipments import ShipmentDraft, create_shipment
from emporos.orders import selectors as order_selectors
from emporos.orders.errors import CannotShip
from emporos.shop import selectors as shop

router = Router(tags=["fulfillment"])
read = ApiKeyAuth(Scope.ORDERS_READ)
write = ApiKeyAuth(Scope.ORDERS_WRITE)


def shipment_out(shipment: Shipment) -> dict[str, Any]:
    base = f"/api/v1/shipments/{shipment.public_id}"
    order = shipment.order
    return {
        "id": str(shipment.public_id),
        "order": order.display_number,
        "sequence": shipment.sequence,
        "carrier": shipment.carrier,
        "carrier_service": shipment.carrier_service,
        "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_url,
        "status": shipment.status,
        "label_url": f"{base}/label.pdf",
        "label_zpl_url": f"{base}/label.zpl",
        "lines": [{"sku": line.sku, "quantity": line.quantity} for line in shipment.lines.all()],
        "weight_grams": shipment.weight_grams,
        "packaging": shipment.packaging.code if shipment.packaging else None,
        "signature_required": shipment.signature_required,
        "presence_required": shipment.presence_required,
        "cash_on_delivery": str(money.quantize(shipment.cod_amount, shipment.cod_currency))
        if shipment.cod_amount is not None
        else None,
        "pickup_point": shipment.pickup_point,
        "expected_on": shipment.expected_on,
        "on_track": selectors.is_on_track(shipment, today=clock.now().astimezone(shop.time_zone()).date()),
        "created_at": shipment.created_at,
    }


@router.post(
    "/orders/{number}/shipments",
    auth=write,
    response={
        201: schemas.ShipmentOut,
        200: schemas.ShipmentOut,
        400: schemas.Problem,
        404: schemas.Problem,
        409: schemas.Problem,
        422: schemas.Problem,
    },
    summary="Ship lines of an order: a parcel with its label (idempotent with Idempotency-Key)",
)
def ship(
    request: HttpRequest,
    number: schemas.OrderNumber,
    payload: schemas.ShipmentIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> Any:
    """Hand units over to a carrier: the lines count them as shipped, stock leaves the shelves,
    the label is bought (or printed by Emporos for the manual carrier). More than is left to
    ship, a line still waiting for stock, or an order not being handled is refused with 409
    naming the SKU, and nothing is written. The same Idempotency-Key with the same body returns
    the first shipment (200)."""
    if (missing := key_problem(idempotency_key, what="shipment")) is not None:
        return missing
    order = order_selectors.order_by_number(number)
    draft = ShipmentDraft(
        lines=[(line.sku, line.quantity) for line in payload.lines],
        carrier=payload.carrier,
        tracking_number=payload.tracking_number,
        packaging=payload.packaging,
        weight_grams=payload.weight_grams,
        signature_required=payload.signature_required,
        presence_required=payload.presence_required,
    )
    try:
        shipment, created = create_shipment(
            order=order,
            draft=draft,
            actor=actor_of(request),
            idempotency_key=idempotency_key,
            fingerprint=request_fingerprint(payload),
        )
    except CannotShip as refusal:
        return problem(409, refusal.code, "Cannot ship", refusal.message, sku=refusal.sku)
    return (201 if created else 200), shipment_out(selectors.shipment(shipment.public_id))


@router.get(
    "/shipments/{shipment_id}",
    auth=read,
    response={200: schemas.ShipmentOut, 404: schemas.Problem},
    summary="One shipment",
)
def get_shipment(request: HttpRequest, shipment_id: schemas.PublicId) -> Any:
    return shipment_out(selectors.shipment(shipment_id))


@router.get("/shipments/{shipment_id}/label.pdf", auth=read, response={404: schemas.Problem}, summary="Label (PDF)")
def label_pdf(request: HttpRequest, shipment_id: schemas.PublicId) -> Any:
    shipment = selectors.shipment(shipment_id)
    response = HttpResponse(printing.label_pdf(shipment), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="label-{shipment.order.display_number}-{shipment.sequence}.pdf"'
    )
    return response


@router.get("/shipments/{shipment_id}/label.zpl", auth=read, response={404: schemas.Problem}, summary="Label (ZPL)")
def label_zpl(request: HttpRequest, shipment_id: schemas.PublicId) -> Any:
    shipment = selectors.shipment(shipment_id)
    return HttpResponse(printing.label_zpl(shipment), content_type="application/zpl; charset=utf-8")
