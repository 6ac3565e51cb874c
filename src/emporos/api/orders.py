"""Orders endpoints: intake, the queue, lists with filters, one order, and its actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Header, Query, Router, Schema
from pydantic import Field, create_model

from emporos.access.models import Scope
from emporos.api import fulfillment as fulfillment_api
from emporos.api import schemas
from emporos.api.auth import ApiKeyAuth, actor_of
from emporos.api.idempotency import key_problem, request_fingerprint
from emporos.api.problems import field_problem
from emporos.core import clock, money
from emporos.core.text import SINGLE_LINE_PATTERN
from emporos.fulfillment import selectors as shipment_selectors
from emporos.orders import selectors, services
from emporos.orders.filters import ORDER_FILTERS, FilterKind, OrderFilter, parse_filters
from emporos.orders.models import Order, OrderLine, Refund
from emporos.orders.services import intake
from emporos.shipping import selectors as shipping

router = Router(tags=["orders"])
read = ApiKeyAuth(Scope.ORDERS_READ)
write = ApiKeyAuth(Scope.ORDERS_WRITE)


def _address(data: schemas.AddressIn | None) -> intake.AddressDraft | None:
    return intake.AddressDraft(**data.model_dump()) if data is not None else None


def _draft(payload: schemas.OrderIn) -> intake.OrderDraft:
    return intake.OrderDraft(
        channel=payload.channel,
        currency=payload.currency,
        customer=intake.CustomerDraft(**payload.customer.model_dump()),
        lines=[intake.LineDraft(**line.model_dump()) for line in payload.lines],
        payment_method=payload.payment.method,
        payment_status=payload.payment.status,
        total=payload.total,
        shipping_price=payload.shipping_price,
        gift_wrap_price=payload.gift_wrap_price,
        shipping_address=_address(payload.shipping_address),
        billing_address=_address(payload.billing_address),
        shipping_method=payload.shipping_method,
        express=payload.express,
        customer_note=payload.customer_note,
        gift_wrap=payload.gift_wrap,
        gift_message=payload.gift_message,
        placed_at=payload.placed_at,
        external_reference=payload.external_reference,
        coupon_code=payload.coupon_code,
        gift_card_code=payload.gift_card.code if payload.gift_card else None,
        gift_card_amount=payload.gift_card.amount if payload.gift_card else Decimal(0),
        payment_provider=payload.payment.provider or "",
        payment_reference=payload.payment.reference,
    )


def _money(amount: Decimal, currency: str) -> str:
    """As stored, with the currency's decimals: "43.30", never "43.3"."""
    return str(money.quantize(amount, currency))


def summary(order: Order) -> dict[str, Any]:
    now = clock.now()
    return {
        "number": order.display_number,
        "status": order.status,
        "payment_status": order.payment_status,
        "fulfillment_status": order.fulfillment_status,
        "payment_method": order.payment_method,
        "channel": order.channel,
        "currency": order.currency,
        "total": _money(order.total, order.currency),
        "shipping_method": order.shipping_method,
        "is_express": order.is_express,
        "customer_name": order.customer.name,
        "customer_email": order.customer.email,
        "placed_at": order.placed_at,
        "age_seconds": max(int((now - order.placed_at).total_seconds()), 0),
        "overdue": selectors.is_overdue(order),
        "has_waiting_lines": order.has_waiting_lines,
    }


def _promised(order: Order) -> dict[str, Any] | None:
    promise = shipping.promise_of(order)
    return None if promise is None else {"earliest": promise.earliest, "latest": promise.latest}


def detail(order: Order, lines: list[OrderLine], *, with_history: bool) -> dict[str, Any]:
    customer = order.customer
    codes = selectors.reserved_location_codes(lines)
    data = summary(order) | {
        "customer": {
            "email": customer.email,
            "name": customer.name,
            "phone": customer.phone,
            "language": customer.language,
        },
        "shipping_address": order.shipping_address,
        "billing_address": order.billing_address,
        "subtotal": _money(order.subtotal, order.currency),
        "shipping_price": _money(order.shipping_price, order.currency),
        "gift_wrap_price": _money(order.gift_wrap_price, order.currency),
        "tax_total": _money(order.tax_total, order.currency),
        "discount_total": _money(order.discount_total, order.currency),
        "coupon_code": order.coupon_code or None,
        "gift_card_amount": _money(order.gift_card_amount, order.currency),
        "amount_paid": _money(order.amount_paid, order.currency),
        "amount_refunded": _money(order.amount_refunded, order.currency),
        # A new order has none: placing it reads none.
        "refunds": [refund_row(refund) for refund in order.refunds.order_by("created_at", "id")]
        if with_history
        else [],
        "payment_provider": order.payment_provider,
        "gift_wrap": order.gift_wrap,
        "gift_message": order.gift_message,
        "customer_note": order.customer_note,
        "hold_reason": order.hold_reason,
        "cancel_reason": order.cancel_reason,
        "verified_at": order.verified_at,
        "due_by": order.due_by,
        # Recorded by the worker a moment after intake: read with the order, not on placing it.
        "promised_delivery": _promised(order) if with_history else None,
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": _money(line.unit_price, order.currency),
                "tax_rate": f"{line.tax_rate:.2f}",
                "line_total": _money(line.line_total, order.currency),
                "stock_state": line.stock_state,
                "location": codes.get(line.reserved_location_id) if line.reserved_location_id else None,
                "available_on": line.available_on,
                "quantity_shipped": line.quantity_shipped,
                "quantity_delivered": line.quantity_delivered,
                "quantity_returned": line.quantity_returned,
            }
            for line in lines
        ],
        # A new order has no shipments yet: placing it reads none.
        "shipments": [fulfillment_api.shipment_out(shipment) for shipment in shipment_selectors.of_order(order)]
        if with_history
        else [],
    }
    if with_history:
        data["verifications"] = [
            {"at": v.created_at, "outcome": v.outcome, "note": v.note, "actor": v.actor}
            for v in order.verifications.all()
        ]
        # Oldest first, in the language the client asks for (Accept-Language), English by default.
        entries = reversed(selectors.order_timeline(order, language=get_language()))
        data["timeline"] = [
            {
                "at": entry.occurred_at,
                "kind": entry.kind,
                "summary": f"{entry.text} {entry.note}".strip(),
                "text": entry.text,
                "note": entry.note,
                "facts": entry.facts,
                "actor": f"{entry.actor_kind}:{entry.actor_name}",
                "actor_kind": entry.actor_kind,
                "actor_name": entry.actor_name,
            }
            for entry in entries
        ]
    return data


@router.post(
    "/orders",
    auth=write,
    response={201: schemas.OrderOut, 200: schemas.OrderOut, 409: schemas.Problem, 422: schemas.Problem},
    summary="Place an order (idempotent with Idempotency-Key)",
)
def place_order(
    request: HttpRequest,
    payload: schemas.OrderIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> Any:
    """Store a storefront order once. The same Idempotency-Key with the same body returns the stored
    order (200); with another body it is refused (409). Stock is reserved at once."""
    if (missing := key_problem(idempotency_key, what="order")) is not None:
        return missing
    result = intake.place_order(
        draft=_draft(payload),
        actor=actor_of(request),
        idempotency_key=idempotency_key,
        fingerprint=request_fingerprint(payload),
    )
    order = result.order
    if not result.created:
        return 200, detail(order, list(order.lines.order_by("id")), with_history=False)
    return 201, detail(order, result.lines, with_history=False)


def _filter_field(spec: OrderFilter) -> tuple[Any, Any]:
    """A query parameter of the list, typed and documented from the filter's declaration."""
    if spec.kind == FilterKind.MOMENT:
        return dt.datetime | None, Field(default=None, description=spec.description)
    if spec.kind == FilterKind.FLAG:
        return bool | None, Field(default=None, description=spec.description)
    extra: dict[str, Any] = {"enum": list(spec.choices)} if spec.kind == FilterKind.CHOICE else {}
    if spec.kind == FilterKind.TEXT:
        extra["pattern"] = SINGLE_LINE_PATTERN  # control characters are refused (parse_filters)
    length = spec.max_length or max(len(choice) for choice in spec.choices)
    return str | None, Field(default=None, max_length=length, description=spec.description, json_schema_extra=extra)


# Paging: the cursor a page hands out, and a page's size (checked by _check_limit).
Cursor = Annotated[str, Field(max_length=500, json_schema_extra={"pattern": schemas.CURSOR_PATTERN})]
Limit = Annotated[int, Field(json_schema_extra={"minimum": 1, "maximum": 200})]

# The list's query: every declared filter (orders.filters), then paging.
OrderListQuery: type[Schema] = create_model(  # type: ignore[call-overload]
    "OrderListQuery",
    __base__=Schema,
    **{spec.name: _filter_field(spec) for spec in ORDER_FILTERS},
    cursor=(Cursor | None, Field(default=None, description="next_cursor of the previous page.")),
    limit=(Limit, Field(default=50, description="Orders per page, 1 to 200.")),
)


def _check_limit(limit: int) -> HttpResponse | None:
    if 1 <= limit <= 200:
        return None
    return field_problem(422, "out_of_range", "Bad limit", field="limit", message="limit must be from 1 to 200.")


@router.get("/orders", auth=read, response={200: schemas.OrderPageOut, 422: schemas.Problem}, summary="List orders")
def list_orders(request: HttpRequest, query: Query[OrderListQuery]) -> Any:  # type: ignore[valid-type]
    """Newest first, with any combination of filters; `q` searches number, e-mail, phone or name.
    Follow `next_cursor` for the next page."""
    params: dict[str, Any] = query.model_dump()  # type: ignore[attr-defined]
    cursor, limit = params.pop("cursor"), params.pop("limit")
    if (bad := _check_limit(limit)) is not None:
        return bad
    unknown = {name: value for name, value in request.GET.items() if name not in OrderListQuery.model_fields}
    filters = parse_filters(params | unknown)  # unknown filters and bad values: 422 naming each
    page = selectors.list_orders(filters, after=cursor, limit=limit)
    return {"orders": [summary(order) for order in page.orders], "next_cursor": page.next_cursor}


@router.get("/orders/queue", auth=read, response={200: schemas.OrderPageOut, 422: schemas.Problem}, summary="The queue")
def order_queue(request: HttpRequest, cursor: Cursor | None = None, limit: Limit = 50) -> Any:
    """Orders waiting for action: overdue first, then express, then paid (or cash on delivery),
    oldest first within each; each with its age and overdue flag."""
    if (bad := _check_limit(limit)) is not None:
        return bad
    page = selectors.queue(after=cursor, limit=limit)
    return {"orders": [summary(order) for order in page.orders], "next_cursor": page.next_cursor}


@router.get("/orders/{number}", auth=read, response={200: schemas.OrderOut, 404: schemas.Problem}, summary="One order")
def get_order(request: HttpRequest, number: schemas.OrderNumber) -> Any:
    """The order with its lines, verifications and whole timeline."""
    order = selectors.order_by_number(number)
    return detail(order, list(order.lines.all()), with_history=True)


def _after_change(number: str) -> dict[str, Any]:
    order = selectors.order_by_number(number)
    return detail(order, list(order.lines.all()), with_history=True)


_ACTION_RESPONSES = {200: schemas.OrderOut, 404: schemas.Problem, 409: schemas.Problem, 422: schemas.Problem}


@router.post("/orders/{number}/confirm", auth=write, response=_ACTION_RESPONSES, summary="Confirm")
def confirm(request: HttpRequest, number: schemas.OrderNumber) -> Any:
    services.confirm_order(order=selectors.order_for_update(number), actor=actor_of(request))
    return _after_change(number)


@router.post("/orders/{number}/verify", auth=write, response=_ACTION_RESPONSES, summary="Record a verification call")
def verify(request: HttpRequest, number: schemas.OrderNumber, payload: schemas.VerifyIn) -> Any:
    """Outcome of the call with the customer: confirmed, corrected, no_answer, wrong_number,
    customer_cancelled; with a note."""
    order = selectors.order_for_update(number)
    services.verify_order(order=order, outcome=payload.outcome, note=payload.note, actor=actor_of(request))
    return _after_change(number)


@router.post("/orders/{number}/hold", auth=write, response=_ACTION_RESPONSES, summary="Put on hold")
def hold(request: HttpRequest, number: schemas.OrderNumber, payload: schemas.ReasonIn) -> Any:
    services.hold_order(order=selectors.order_for_update(number), reason=payload.reason, actor=actor_of(request))
    return _after_change(number)


@router.post("/orders/{number}/release", auth=write, response=_ACTION_RESPONSES, summary="Release from hold")
def release(request: HttpRequest, number: schemas.OrderNumber, payload: schemas.ReleaseIn) -> Any:
    services.release_order(order=selectors.order_for_update(number), note=payload.note, actor=actor_of(request))
    return _after_change(number)


@router.post("/orders/{number}/cancel", auth=write, response=_ACTION_RESPONSES, summary="Cancel and release stock")
def cancel(request: HttpRequest, number: schemas.OrderNumber, payload: schemas.ReasonIn) -> Any:
    services.cancel_order(order=selectors.order_for_update(number), reason=payload.reason, actor=actor_of(request))
    return _after_change(number)


@router.post("/orders/{number}/payments", auth=write, response=_ACTION_RESPONSES, summary="Record a payment")
def record_payment(request: HttpRequest, number: schemas.OrderNumber, payload: schemas.PaymentRecordIn) -> Any:
    """Money received: a bank transfer, cash collected on delivery, a captured card payment."""
    order = selectors.order_for_update(number)
    services.record_payment(order=order, amount=payload.amount, reference=payload.reference, actor=actor_of(request))
    return _after_change(number)


def refund_row(refund: Refund) -> dict[str, Any]:
    return {
        "id": str(refund.public_id),
        "amount": _money(refund.amount, refund.currency),
        "currency": refund.currency,
        "reason": refund.reason,
        "status": refund.status,
        "provider": refund.provider,
        "provider_status": refund.provider_status,
        "provider_reference": refund.provider_reference,
        "reference": refund.reference,
        "created_at": refund.created_at,
    }


def refund_out(result: services.RefundResult) -> dict[str, Any]:
    refund, order = result.refund, result.order
    return refund_row(refund) | {
        "order": order.display_number,
        "note": refund.note,
        "payment_status": order.payment_status,
        "amount_paid": _money(order.amount_paid, order.currency),
        "amount_refunded": _money(order.amount_refunded, order.currency),
    }


@router.post(
    "/orders/{number}/refunds",
    auth=write,
    response={
        201: schemas.RefundOut,
        200: schemas.RefundOut,
        400: schemas.Problem,
        404: schemas.Problem,
        409: schemas.Problem,
        422: schemas.Problem,
    },
    summary="Record a refund (idempotent with Idempotency-Key)",
)
def record_refund(
    request: HttpRequest,
    number: schemas.OrderNumber,
    payload: schemas.RefundIn,
    idempotency_key: str | None = Header(default=None, alias="Idempotency-Key"),
) -> Any:
    """Money given back to the customer (a bank transfer, a card refund made at the provider, cash).
    The payment becomes partially_refunded, or refunded once every cent received went back. More
    than is left to give back is a 422 naming `amount`; an order with nothing received to give back
    (unpaid, authorised only, refunded already) is a 409 `nothing_to_refund`. The same
    Idempotency-Key with the same body returns the first refund (200); with another body, 409."""
    if (missing := key_problem(idempotency_key, what="refund")) is not None:
        return missing
    result = services.record_refund(
        order=selectors.order_for_update(number),
        amount=payload.amount,
        reason=payload.reason,
        reference=payload.reference,
        note=payload.note,
        actor=actor_of(request),
        idempotency_key=idempotency_key,
        fingerprint=request_fingerprint(payload),
    )
    return (201 if result.created else 200), refund_out(result)


@router.post("/orders/{number}/notes", auth=write, response=_ACTION_RESPONSES, summary="Add an internal note")
def add_note(request: HttpRequest, number: schemas.OrderNumber, payload: schemas.NoteIn) -> Any:
    services.add_note(order=selectors.order_for_update(number), text=payload.text, actor=actor_of(request))
    return _after_change(number)
