"""Returns over the API: a storefront or a returns app asks for one; the warehouse receives it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Header, Router, Schema
from pydantic import Field, StringConstraints

from emporos.access.models import Scope
from emporos.api import schemas
from emporos.api.auth import ApiKeyAuth, actor_of
from emporos.api.idempotency import key_problem, request_fingerprint
from emporos.api.schemas import In, PlainText, one_of
from emporos.orders import selectors as order_selectors
from emporos.returns import links, services
from emporos.returns.errors import ReturnNotFound
from emporos.returns.models import Condition, Reason, Resolution, Return

router = Router(tags=["returns"])
read = ApiKeyAuth(Scope.ORDERS_READ)
write = ApiKeyAuth(Scope.ORDERS_WRITE)


class ReturnLineIn(In):
    sku: schemas.Sku
    quantity: schemas.Count = Field(ge=1, le=100_000)
    reason: Annotated[schemas.Word, one_of(Reason.values)]
    condition: Annotated[schemas.Word, one_of(Condition.values)]
    exchange_sku: Annotated[str, StringConstraints(max_length=64), PlainText()] = Field(
        default="", description="For an exchange: the SKU wanted instead (another size, another colour)."
    )


class ReturnIn(In):
    lines: list[ReturnLineIn] = Field(max_length=200, json_schema_extra={"minItems": 1})
    resolution: Annotated[schemas.Word, one_of(Resolution.values)] = "refund"
    note: schemas.LongNote = ""
    iban: Annotated[str, StringConstraints(max_length=50), PlainText()] = Field(
        default="", description="Where a cash-on-delivery or bank-transfer payment goes back (checked)."
    )
    account_holder: Annotated[str, StringConstraints(max_length=70), PlainText()] = ""


class ReceivedLineIn(In):
    sku: schemas.Sku
    quantity: schemas.Count = Field(ge=0, le=100_000)
    condition: Annotated[schemas.Word, one_of(Condition.values)]
    restock: bool = Field(strict=True)


class ReceiveIn(In):
    lines: list[ReceivedLineIn] = Field(max_length=200, json_schema_extra={"minItems": 1})


class ReturnLineOut(Schema):
    sku: str
    quantity: int
    reason: str
    condition: str
    exchange_sku: str
    unit_refund: schemas.MoneyOut
    received_quantity: int
    received_condition: str
    restocked_quantity: int


class ReturnRefundOut(Schema):
    id: str
    amount: schemas.MoneyOut
    currency: str
    status: str = Field(description="issued, or failed when the provider refused it.")
    provider: str
    provider_status: str
    provider_reference: str


class ReturnOut(Schema):
    id: str = Field(description="The return's id (a UUID).")
    number: str = Field(description="The order's number and the return's place, e.g. EM-10042-R1.")
    order: str
    kind: str = Field(description="withdrawal, conformity (a defect or damage claim) or policy.")
    status: str = Field(description="approved, in_transit, received, rejected or cancelled.")
    resolution: str
    deadline: dt.date = Field(description="The last day the refund is due (14 days after the request).")
    window_ends: dt.date | None = Field(description="The last day of the right used; empty: not delivered in full yet.")
    label_url: str = Field(description="The prepaid return label (PDF), by a signed link.")
    carrier: str
    tracking_number: str
    fee: schemas.MoneyOut = Field(description="The cancellation fee kept (Israel: 5% or 100 NIS at most).")
    shipping_refund: schemas.MoneyOut = Field(description="Outbound shipping given back (a full withdrawal).")
    return_shipping_fee: schemas.MoneyOut
    currency: str
    created_at: dt.datetime
    first_scan_at: dt.datetime | None
    received_at: dt.datetime | None
    lines: list[ReturnLineOut]
    refund: ReturnRefundOut | None


def return_out(ret: Return) -> dict[str, Any]:
    currency = ret.order.currency
    refund = ret.refund
    return {
        "id": str(ret.public_id),
        "number": ret.display_number,
        "order": ret.order.display_number,
        "kind": ret.kind,
        "status": ret.status,
        "resolution": ret.resolution,
        "deadline": ret.refund_due,
        "window_ends": ret.window_ends,
        "label_url": links.label_url(ret),
        "carrier": ret.carrier,
        "tracking_number": ret.tracking_number,
        "fee": f"{ret.fee:.2f}",
        "shipping_refund": f"{ret.shipping_refund:.2f}",
        "return_shipping_fee": f"{ret.return_shipping_fee:.2f}",
        "currency": currency,
        "created_at": ret.created_at,
        "first_scan_at": ret.first_scan_at,
        "received_at": ret.received_at,
        "lines": [
            {
                "sku": line.sku,
                "quantity": line.quantity,
                "reason": line.reason,
                "condition": line.condition,
                "exchange_sku": line.exchange_sku,
                "unit_refund": f"{line.unit_refund:.2f}",
                "received_quantity": line.received_quantity,
                "received_condition": line.received_condition,
                "restocked_quantity": line.restocked_quantity,
            }
            for line in ret.lines.order_by("id")
        ],
        "refund": None
        if refund is None
        else {
            "id": str(refund.public_id),
            "amount": f"{refund.amount:.2f}",
            "currency": refund.currency,
            "status": refund.status,
            "provider": refund.provider,
            "provider_status": refund.provider_status,
            "provider_reference": refund.provider_reference,
        },
    }


def _return(return_id: str) -> Return:
    try:
        public_id = uuid.UUID(return_id)
    except ValueError:
        public_id = None
    ret = (
        Return.objects.filter(public_id=public_id).select_related("order__customer", "refund").first()
        if public_id
        else None
    )
    if ret is None:
        raise ReturnNotFound(f"There is no return {return_id}.")
    return ret


_RESPONSES = {400: schemas.Problem, 404: schemas.Problem, 409: schemas.Problem, 422: schemas.Problem}


@router.post(
    "/orders/{number}/returns",
    auth=write,
    response={201: ReturnOut, 200: ReturnOut, **_RESPONSES},
    summary="Ask for a return (idempotent with Idempotency-Key)",
)
def create_return(
    request: HttpRequest,
    number: schemas.OrderNumber,
    payload: ReturnIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> Any:
    """Lines sent back, with a reason and a condition each. The kind follows from the reasons and
    the dates in the law of the customer's country: `conformity` for a defect, damage or a wrong
    item (two years), else `withdrawal` while the statutory period runs, else `policy` (the shop's
    own days). A line not delivered, more than delivered less what other returns send back, an
    exempt SKU, or a return past every period is a 422 naming the line and the rule; nothing is
    written. The same Idempotency-Key with the same body returns the first return (200)."""
    if (missing := key_problem(idempotency_key, what="return")) is not None:
        return missing
    result = services.request_return(
        order=order_selectors.order_for_update(number),
        lines=[services.LineRequest(**line.model_dump()) for line in payload.lines],
        resolution=payload.resolution,
        note=payload.note,
        iban=payload.iban,
        account_holder=payload.account_holder,
        channel="api",
        actor=actor_of(request),
        idempotency_key=idempotency_key,
        fingerprint=request_fingerprint(payload),
    )
    return (201 if result.created else 200), return_out(_return(str(result.ret.public_id)))


@router.get("/returns/{return_id}", auth=read, response={200: ReturnOut, 404: schemas.Problem}, summary="One return")
def get_return(request: HttpRequest, return_id: schemas.PublicId) -> Any:
    return return_out(_return(return_id))


@router.get(
    "/orders/{number}/returns",
    auth=read,
    response={200: list[ReturnOut], 404: schemas.Problem},
    summary="An order's returns",
)
def order_returns(request: HttpRequest, number: schemas.OrderNumber) -> Any:
    order = order_selectors.order_for_update(number)
    rows = Return.objects.filter(order=order).select_related("order__customer", "refund").order_by("sequence")
    return [return_out(ret) for ret in rows]


@router.post(
    "/returns/{return_id}/receive",
    auth=write,
    response={200: ReturnOut, **_RESPONSES},
    summary="Receive a return at the warehouse (safe to repeat)",
)
def receive_return(request: HttpRequest, return_id: schemas.PublicId, payload: ReceiveIn) -> Any:
    """Each line as inspected: the quantity that came back, its condition, and whether it goes
    back on the shelf (restocked through the inventory ledger, reason "returned") or is written
    off. The refund is issued at once when the shop's rule says so. Sending the same receipt again
    answers with the first; a different one for a received return is a 409."""
    result = services.receive_return(
        ret=_return(return_id),
        lines=[services.ReceivedLine(**line.model_dump()) for line in payload.lines],
        actor=actor_of(request),
    )
    return 200, return_out(_return(str(result.ret.public_id)))
