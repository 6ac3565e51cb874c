"""Shipments: a parcel's lines handed to a carrier with a label, in one transaction with the
order's counts, the stock ledger, the fulfillment orders, the timeline and the event.

The carrier is asked for the label inside the transaction, after every check: a refusal rolls
everything back, and a label bought for a transaction that then fails is cancelled again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import ErrorCollector
from emporos.core.text import check_text
from emporos.fulfillment import carriers, events, planning
from emporos.fulfillment.carriers import LabelRequest, Parcel, PostalAddress
from emporos.fulfillment.errors import ShipmentIdempotencyKeyReused
from emporos.fulfillment.models import (
    FulfillmentOrder,
    FulfillmentOrderLine,
    Packaging,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    Status,
    Wave,
)
from emporos.orders import errors as orders_errors
from emporos.orders import services as orders
from emporos.orders.models import Order, OrderLine
from emporos.orders.services import about_order
from emporos.orders.services import stock as orders_stock
from emporos.orders.states import PaymentMethod
from emporos.shipping.models import DeliveryPromise, Method
from emporos.shop import selectors as shop
from emporos.timeline import services as timeline
from emporos.timeline.models import SubjectKind
from emporos.timeline.services import About

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShipmentDraft:
    """What to ship. No lines: every unshipped unit that can leave now."""

    lines: list[tuple[str, int]] = field(default_factory=list)  # (SKU, quantity)
    carrier: str = ""  # "": the order's shipping method's carrier (else manual)
    tracking_number: str = ""
    carrier_name: str = ""  # manual carrier: who carries it, as the sender names it ("ELTA Courier")
    packaging: str = ""  # a packaging code
    weight_grams: int | None = None  # None: the lines' weight plus the packaging's
    signature_required: bool | None = None  # None: as the shipping method says
    presence_required: bool | None = None

    def fingerprint(self) -> str:
        """What the request asked for, hashed: the same idempotency key with another request is
        refused (a desk form sent twice is one parcel; another parcel under its key is not)."""
        canonical = json.dumps(dataclasses.astuple(self), separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def create_shipment(
    *,
    order: Order,
    draft: ShipmentDraft,
    actor: Actor,
    idempotency_key: str | None = None,
    fingerprint: str = "",
    wave: Wave | None = None,
) -> tuple[Shipment, bool]:
    """Ship `draft`'s lines of `order`. Returns (shipment, created); the same idempotency key
    with the same request returns the first shipment, with another request raises."""
    if idempotency_key:
        existing = _existing(order, idempotency_key, fingerprint)
        if existing is not None:
            return existing, False
    method = _method(order)
    carrier_code, packaging = _check(draft, method)
    adapter = carriers.carrier(carrier_code)
    label = None
    try:
        with transaction.atomic():
            planning.plan(order=order, actor=actor)
            # The promised day comes along (an outer join, so only the order and its customer are locked).
            order = (
                Order.objects.select_for_update(of=("self", "customer"))
                .select_related("customer", "delivery_promise")
                .get(pk=order.pk)
            )
            lines = list(OrderLine.objects.filter(order=order).select_related("variant").order_by("sku", "id"))
            quantities = _quantities(order, lines, draft)
            sequence = Shipment.objects.filter(order=order).count() + 1
            handed = orders.ship_lines(
                order=order, quantities=quantities, reference=f"{order.display_number}/{sequence}", actor=actor
            )
            by_id = {line.pk: line for line in lines}
            weight = draft.weight_grams
            if weight is None:
                weight = sum(by_id[pk].variant.weight_grams * qty for pk, qty in quantities.items()) + (
                    packaging.weight_grams if packaging else 0
                )
            cod = cash_on_delivery_due(order)
            signature = (
                method.signature_required
                if draft.signature_required is None and method
                else bool(draft.signature_required)
            )
            presence = (
                method.presence_required
                if draft.presence_required is None and method
                else bool(draft.presence_required)
            )
            address = order.shipping_address or {}
            shipment = Shipment(
                order=order,
                wave=wave,
                sequence=sequence,
                carrier=carrier_code,
                carrier_name=draft.carrier_name.strip() if carrier_code == "manual" else "",
                carrier_service=method.carrier_service if method else "",
                method_code=order.shipping_method,
                packaging=packaging,
                weight_grams=weight,
                signature_required=signature,
                presence_required=presence,
                cod_amount=cod,
                cod_currency=order.currency if cod is not None else "",
                pickup_point=address.get("pickup_point", ""),
                expected_on=_promised_on(order),
                idempotency_key=idempotency_key or None,
                request_fingerprint=fingerprint,
                created_at=clock.now(),
                created_by=str(actor)[:150],
            )
            # What the parcel holds is worth what the customer paid for those units (insurance, customs).
            value = sum((by_id[pk].unit_price * qty for pk, qty in quantities.items()), Decimal(0))
            label = adapter.create_label(_label_request(order, shipment, draft, packaging, value=value))
            shipment.tracking_number = label.tracking_number
            shipment.carrier_reference = label.carrier_reference
            shipment.tracking_url = label.tracking_url or adapter.tracking_url(label.tracking_number)
            shipment.label_zpl = label.zpl or ""
            if label.pdf:
                shipment.label.save(f"{shipment.public_id}.pdf", ContentFile(label.pdf), save=False)
            shipment.fulfillment_order = _count_in_fulfillment_orders(order, quantities)
            shipment.save()
            ShipmentLine.objects.bulk_create(
                [
                    ShipmentLine(shipment=shipment, order_line_id=pk, sku=by_id[pk].sku, quantity=qty)
                    for pk, qty in sorted(quantities.items())
                ]
            )
            timeline.record(
                event=events.ShipmentCreated(
                    order_id=order.pk,
                    shipment_id=shipment.pk,
                    carrier=carrier_code,
                    fulfillment_status=handed.fulfillment_status,
                ),
                about=[*about_order(order), About(SubjectKind.SHIPMENT, shipment.pk)],
                actor=actor,
                facts={
                    "number": order.display_number,
                    "carrier_name": shipment.carrier_name or adapter.name,
                    "tracking_number": shipment.tracking_number,
                    "units": sum(quantities.values()),
                    "sequence": sequence,
                },
            )
    except IntegrityError:
        if label is not None:
            _cancel_quietly(adapter, label)
        if idempotency_key:
            existing = _existing(order, idempotency_key, fingerprint)
            if existing is not None:
                return existing, False
        raise
    except Exception:
        if label is not None:
            _cancel_quietly(adapter, label)
        raise
    return shipment, True


def _existing(order: Order, key: str, fingerprint: str) -> Shipment | None:
    shipment = Shipment.objects.filter(idempotency_key=key).first()
    if shipment is None:
        return None
    if shipment.order_id != order.pk or (fingerprint and shipment.request_fingerprint != fingerprint):
        raise ShipmentIdempotencyKeyReused(
            "This Idempotency-Key was used for another shipment request; use a new key for a new shipment."
        )
    return shipment


def carrier_for(order: Order) -> str:
    """The carrier a parcel of `order` goes with unless staff choose another: its shipping
    method's carrier, or "manual" when the order names no method."""
    method = _method(order)
    return method.carrier if method else "manual"


def _method(order: Order) -> Method | None:
    if not order.shipping_method:
        return None
    country = (order.shipping_address or {}).get("country", "")
    methods = Method.objects.filter(code=order.shipping_method, currency=order.currency)
    return methods.filter(zone__areas__country=country).first() or methods.first()


def _check(draft: ShipmentDraft, method: Method | None) -> tuple[str, Packaging | None]:
    """The carrier's code and the packaging, or ValidationFailed naming every bad field."""
    errors = ErrorCollector()
    carrier_code = draft.carrier or (method.carrier if method else "manual")
    if carrier_code not in carriers.known():
        errors.add("carrier", "unknown_carrier", f"Use one of {', '.join(carriers.known())}.")
    check_text(errors, "tracking_number", draft.tracking_number, max_length=100)
    check_text(errors, "carrier_name", draft.carrier_name, max_length=100)
    if carrier_code == "manual" and not draft.tracking_number.strip():
        errors.add("tracking_number", "required", "The manual carrier needs the tracking number the carrier gave you.")
    seen: set[str] = set()
    for index, (sku, quantity) in enumerate(draft.lines):
        check_text(errors, f"lines.{index}.sku", sku, max_length=64, required=True)
        if sku in seen:
            errors.add(f"lines.{index}.sku", "duplicate", f"SKU {sku} is listed twice; give it once with the total.")
        seen.add(sku)
        if quantity < 1:
            errors.add(f"lines.{index}.quantity", "too_small", "Ship at least 1 unit.")
    packaging = Packaging.objects.filter(code=draft.packaging, is_active=True).first() if draft.packaging else None
    if draft.packaging and packaging is None:
        codes = ", ".join(Packaging.objects.filter(is_active=True).values_list("code", flat=True)) or "none yet"
        errors.add("packaging", "unknown_packaging", f"Unknown packaging {draft.packaging}; use one of {codes}.")
    if draft.weight_grams is not None and not 1 <= draft.weight_grams <= 1_000_000:
        errors.add("weight_grams", "out_of_range", "Give the parcel's weight in grams, from 1 to 1000000.")
    errors.raise_if_any()
    return carrier_code, packaging


def _quantities(order: Order, lines: list[OrderLine], draft: ShipmentDraft) -> dict[int, int]:
    if not draft.lines:
        ready = {line.pk: line.quantity_unshipped for line in lines if line.quantity_unshipped and _can_leave(line)}
        if not ready:
            raise orders_errors.CannotShip(
                f"Order {order.display_number} has nothing ready to ship; its lines are shipped or still waiting.",
                sku=None,
            )
        return ready
    by_sku = {line.sku: line for line in lines}
    errors = ErrorCollector()
    for index, (sku, _quantity) in enumerate(draft.lines):
        if sku not in by_sku:
            errors.add(
                f"lines.{index}.sku", "not_in_order", f"Order {order.display_number} has no line with SKU {sku}."
            )
    errors.raise_if_any()
    return {by_sku[sku].pk: quantity for sku, quantity in draft.lines}


def _can_leave(line: OrderLine) -> bool:
    return line.stock_state in orders_stock.SHIPPABLE_STATES


def cash_on_delivery_due(order: Order) -> Decimal | None:
    """The first parcel of a cash-on-delivery order collects what is still owed."""
    if order.payment_method != PaymentMethod.CASH_ON_DELIVERY or order.outstanding <= 0:
        return None
    if Shipment.objects.filter(order=order, cod_amount__isnull=False).exclude(status=ShipmentStatus.CANCELLED).exists():
        return None
    return order.outstanding


def sender_address() -> PostalAddress:
    settings = shop.current()
    return PostalAddress(
        name=settings.name,
        line1=settings.address_line,
        postal_code=settings.postal_code,
        city=settings.city,
        country=settings.country,
        email=settings.email,
    )


def recipient_address(order: Order) -> PostalAddress:
    address = order.shipping_address or {}
    return PostalAddress(
        name=address.get("name", order.customer.name),
        company=address.get("company", ""),
        line1=address.get("line1", ""),
        line2=address.get("line2", ""),
        postal_code=address.get("postal_code", ""),
        city=address.get("city", ""),
        country=address.get("country", ""),
        phone=address.get("phone", "") or order.customer.phone,
        email=order.customer.email,
    )


def _label_request(
    order: Order, shipment: Shipment, draft: ShipmentDraft, packaging: Packaging | None, *, value: Decimal
) -> LabelRequest:
    return LabelRequest(
        reference=f"{order.display_number}/{shipment.sequence}",
        idempotency_key=str(shipment.public_id),
        service=shipment.carrier_service,
        sender=sender_address(),
        recipient=recipient_address(order),
        parcel=Parcel(
            weight_grams=shipment.weight_grams,
            length_mm=packaging.length_mm if packaging else 0,
            width_mm=packaging.width_mm if packaging else 0,
            height_mm=packaging.height_mm if packaging else 0,
        ),
        pickup_point=shipment.pickup_point,
        cash_on_delivery=shipment.cod_amount,
        currency=order.currency,
        signature_required=shipment.signature_required,
        presence_required=shipment.presence_required,
        tracking_number=draft.tracking_number.strip(),
        description=order.display_number,
        declared_value=value,
    )


def _promised_on(order: Order) -> dt.date | None:
    try:
        return order.delivery_promise.latest
    except DeliveryPromise.DoesNotExist:
        return None


def _count_in_fulfillment_orders(order: Order, quantities: dict[int, int]) -> FulfillmentOrder | None:
    """Count the shipped units on the fulfillment orders that held them; close those now done.
    Returns the one fulfillment order the parcel came from, if it came from one."""
    fo_lines = list(
        FulfillmentOrderLine.objects.select_related("fulfillment_order")
        .filter(fulfillment_order__order=order)
        .exclude(fulfillment_order__status__in=[Status.CLOSED, Status.CANCELLED])
        .order_by("id")
    )
    touched: dict[int, FulfillmentOrder] = {}
    counted = []
    left = dict(quantities)
    for fo_line in fo_lines:
        take = min(left.get(fo_line.order_line_id, 0), fo_line.quantity - fo_line.quantity_shipped)
        if take <= 0:
            continue
        left[fo_line.order_line_id] -= take
        fo_line.quantity_shipped += take
        counted.append(fo_line)
        touched[fo_line.fulfillment_order_id] = fo_line.fulfillment_order
    FulfillmentOrderLine.objects.bulk_update(counted, ["quantity_shipped"])
    now = clock.now()
    for fo in touched.values():
        done = all(fl.quantity_shipped >= fl.quantity for fl in fo_lines if fl.fulfillment_order_id == fo.pk)
        FulfillmentOrder.objects.filter(pk=fo.pk).update(
            status=Status.CLOSED if done else Status.IN_PROGRESS, updated_at=now
        )
    return next(iter(touched.values())) if len(touched) == 1 else None


def _cancel_quietly(adapter: carriers.Carrier, label: carriers.Label) -> None:
    try:
        adapter.cancel_label(tracking_number=label.tracking_number, carrier_reference=label.carrier_reference)
    except Exception:  # the label stays bought; staff see it in the carrier's portal
        log.exception("Could not cancel label %s after a failed shipment", label.tracking_number)
