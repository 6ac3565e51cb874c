"""Reactions of the returns domain to its own events: the return label, made as soon as the
return is approved.

The policy's return carrier sells a prepaid return label when its adapter can
(`carriers.supports_returns`: BOX NOW's customer returns); otherwise, or when the carrier refuses
for good, the label is Emporos's own 4x6 label (`returns.label`), addressed to the shop. Either
way `ReturnLabelCreated` goes on the return's timeline, and the e-mail that carries the label
reacts to it (its facts hold the label's signed link).
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.core.files.base import ContentFile

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.fulfillment import carriers
from emporos.fulfillment.carriers import CarrierError, CarrierNotConfigured, Label, LabelRequest, Parcel, PostalAddress
from emporos.fulfillment.shipments import sender_address
from emporos.outbox.errors import RecordedFailure
from emporos.outbox.registry import handles
from emporos.returns import events, links
from emporos.returns.models import OPEN_STATUSES, Return
from emporos.returns.subjects import about_return
from emporos.timeline import services as timeline

log = logging.getLogger(__name__)
MANUAL = "manual"


@handles(events.ReturnRequested, name="returns.make_return_label")
def make_return_label(event: events.ReturnRequested) -> None:
    """Buy the return's label from its carrier (keyed by the return's public id) or make Emporos's
    own, store it on the return and record `ReturnLabelCreated`, in the handler's transaction.

    A carrier that is down or silent is asked again later (RecordedFailure: the outbox retries
    with backoff); a refusal that no retry can change (a missing phone, a carrier not set up)
    falls back to Emporos's own label, with the carrier's words on the timeline for staff.
    """
    ret = Return.objects.select_for_update().select_related("order__customer").get(pk=event.return_id)
    if ret.label_created_at is not None or ret.status not in OPEN_STATUSES:
        return  # made already (a replay), or the return ended before its label was due
    code = ret.carrier or MANUAL
    label, refusal = None, ""
    try:
        adapter = carriers.carrier(code)
        if carriers.supports_returns(adapter):
            label = adapter.create_return_label(return_label_request(ret))  # type: ignore[attr-defined]
    except CarrierError as error:
        if error.retryable:
            raise RecordedFailure(str(error), record=lambda: None) from error
        refusal = error.message
    except CarrierNotConfigured as error:
        refusal = error.message
    if refusal:
        log.warning("Return %s: %s refused the return label; Emporos's own label is used: %s", ret, code, refusal)
    _store(ret, label, carrier=code if label is not None else MANUAL, adapter_url=label.tracking_url if label else "")
    timeline.record(
        event=events.ReturnLabelCreated(return_id=ret.pk, order_id=ret.order_id, carrier=ret.carrier),
        about=about_return(ret),
        actor=Actor.system(ret.carrier),
        facts={
            "number": ret.order.display_number,
            "sequence": ret.sequence,
            "tracking_number": ret.tracking_number,
            "label_url": links.label_url(ret),
            "page_url": links.page_url(ret),
            **({"carrier_refusal": refusal[:500], "refused_by": code} if refusal else {}),
        },
    )


def _store(ret: Return, label: Label | None, *, carrier: str, adapter_url: str) -> None:
    """The carrier's label (PDF, tracking number, its id, its tracking page) or, for Emporos's own
    label, only the time: that label is drawn when asked for, from the return's facts."""
    ret.carrier = carrier
    ret.label_created_at = clock.now()
    ret.updated_at = ret.label_created_at
    fields = ["carrier", "label_created_at", "updated_at"]
    if label is None and not ret.tracking_number:
        # Emporos's own label carries the return's number as its barcode: scans name it.
        ret.tracking_number = ret.display_number
        fields.append("tracking_number")
    if label is not None:
        ret.tracking_number = label.tracking_number[:100]
        ret.carrier_reference = label.carrier_reference[:100]
        ret.tracking_url = adapter_url[:500]
        fields += ["tracking_number", "carrier_reference", "tracking_url"]
        if label.pdf:
            ret.label.save(f"{ret.public_id}.pdf", ContentFile(label.pdf), save=False)
            fields.append("label")
    ret.save(update_fields=fields)


def return_label_request(ret: Return) -> LabelRequest:
    """From the customer (the order's delivery address, phone and e-mail) to the shop; the parcel
    weighs what its lines weigh, and is worth what the customer paid for them."""
    order = ret.order
    address = order.shipping_address or order.billing_address or {}
    lines = list(ret.lines.select_related("order_line__variant"))
    weight = 0
    for line in lines:
        weight += line.order_line.variant.weight_grams * line.quantity if line.order_line.variant_id else 0
    value = sum((line.unit_refund * line.quantity for line in lines), start=Decimal(0))
    return LabelRequest(
        reference=ret.display_number,
        idempotency_key=str(ret.public_id),
        service="locker",
        sender=PostalAddress(
            name=address.get("name", order.customer.name),
            company=address.get("company", ""),
            line1=address.get("line1", ""),
            line2=address.get("line2", ""),
            postal_code=address.get("postal_code", ""),
            city=address.get("city", ""),
            country=address.get("country", ""),
            phone=address.get("phone", "") or order.customer.phone,
            email=order.customer.email,
        ),
        recipient=sender_address(),
        parcel=Parcel(weight_grams=weight),
        currency=order.currency,
        description=ret.display_number,
        declared_value=value or None,
    )
