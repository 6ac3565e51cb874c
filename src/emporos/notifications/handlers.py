"""Reactions to other domains' events: each asks for the message the customer should get at that
milestone (T1, T2, L2, L5), and the queued messages are sent by the last handler here."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from emporos.core import clock
from emporos.core.config import setting
from emporos.customers.models import GiftCard
from emporos.fulfillment.events import DelayCaseOpened, DigitalDelivered, ShipmentCreated, ShipmentTracked, WaveFormed
from emporos.fulfillment.models import DelayCase, Download, FulfillmentOrder, Shipment, ShipmentStatus
from emporos.notifications import facts, services
from emporos.notifications.events import MessageQueued
from emporos.notifications.models import Channel, Kind
from emporos.orders.events import OrderPlaced
from emporos.orders.models import Order
from emporos.outbox.events import DomainEvent, EventMeta
from emporos.outbox.registry import handles
from emporos.returns.events import ReturnLabelCreated, ReturnRefunded, ReturnRequested, StoreCreditIssued
from emporos.returns.models import Return

# A milestone told more than a day after it happened ("we received your order" for history
# imported from a storefront, "out for delivery" typed in days later, a worker that was down for
# days) would only confuse: the message is recorded as skipped ("late"), never sent.
RECEIVED_MESSAGE_WITHIN = dt.timedelta(hours=24)


def _is_late(happened_at: dt.datetime) -> bool:
    """Whether the milestone happened more than a day ago."""
    return clock.now() - happened_at > RECEIVED_MESSAGE_WITHIN


# A parcel's statuses that the customer hears about; scans in between update the status page only.
TRACKED_KINDS = {
    ShipmentStatus.OUT_FOR_DELIVERY: Kind.OUT_FOR_DELIVERY,
    ShipmentStatus.AVAILABLE_FOR_PICKUP: Kind.READY_FOR_PICKUP,
    ShipmentStatus.DELIVERED: Kind.DELIVERED,
}


def _meta(event: DomainEvent) -> EventMeta:
    if event.meta is None:
        raise ValueError(f"{type(event).__name__} handlers take stored events only (event.meta is set by the relay).")
    return event.meta


def channels_for(kind: str) -> list[str]:
    return [Channel.EMAIL, Channel.SMS] if kind in setting("SMS_KINDS") else [Channel.EMAIL]


@handles(OrderPlaced, name="notifications.order_received")
def request_order_received(event: OrderPlaced) -> None:
    """ "We received your order" (L2), once per order and channel; skipped when a day late."""
    meta = _meta(event)
    order = Order.objects.get(pk=event.order_id)
    services.queue_messages(
        event_uuid=meta.uuid,
        order=order,
        kind=Kind.ORDER_RECEIVED,
        channels=list(setting("ORDER_RECEIVED_CHANNELS")),
        is_late=clock.now() - order.placed_at > RECEIVED_MESSAGE_WITHIN,
    )


@handles(WaveFormed, name="notifications.being_packed")
def tell_being_packed(event: WaveFormed) -> None:
    """ "Your order is being packed", to each order of the wave, once per order."""
    meta = _meta(event)
    order_ids = sorted(set(FulfillmentOrder.objects.filter(wave_id=event.wave_id).values_list("order_id", flat=True)))
    for order in Order.objects.filter(pk__in=order_ids).order_by("pk"):
        services.queue_messages(
            # One key per order of the wave: two orders of one customer are two messages.
            event_uuid=uuid.uuid5(meta.uuid, f"order:{order.pk}"),
            order=order,
            kind=Kind.BEING_PACKED,
            channels=channels_for(Kind.BEING_PACKED),
            is_late=_is_late(meta.created_at),
        )


@handles(ShipmentCreated, name="notifications.shipped")
def tell_shipped(event: ShipmentCreated) -> None:
    """ "On its way": carrier, tracking number and link, expected day (L5), by e-mail and SMS."""
    meta = _meta(event)
    shipment = Shipment.objects.select_related("order__customer").get(pk=event.shipment_id)
    language = shipment.order.customer.language
    services.queue_messages(
        event_uuid=meta.uuid,
        order=shipment.order,
        kind=Kind.SHIPPED,
        channels=channels_for(Kind.SHIPPED),
        values=facts.of_shipment(shipment, language=language),
        is_late=_is_late(meta.created_at),
    )


@handles(ShipmentTracked, name="notifications.tracked")
def tell_tracked(event: ShipmentTracked) -> None:
    """Out for delivery, ready for pickup (code and last day), delivered; nothing for other scans."""
    kind = TRACKED_KINDS.get(ShipmentStatus(event.status)) if event.status in ShipmentStatus.values else None
    if kind is None:
        return
    meta = _meta(event)
    shipment = Shipment.objects.select_related("order__customer").get(pk=event.shipment_id)
    services.queue_messages(
        event_uuid=meta.uuid,
        order=shipment.order,
        kind=kind,
        channels=channels_for(kind),
        values=facts.of_shipment(shipment, language=shipment.order.customer.language),
        # The carrier's time counts: a delivery scan that reaches Emporos days later is old news.
        is_late=_is_late(min(meta.created_at, dt.datetime.fromisoformat(event.occurred_at))),
    )


@handles(DelayCaseOpened, name="notifications.problem")
def tell_problem(event: DelayCaseOpened) -> None:
    """The shop speaks first: what went wrong and the ways out it allows; one message per case."""
    case = DelayCase.objects.select_related("shipment", "order__customer").get(pk=event.case_id)
    language = case.order.customer.language
    services.queue_messages(
        # Keyed by the case, not the event: one problem, one message, however often it is told.
        event_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"emporos:delay-case:{case.pk}"),
        order=case.order,
        kind=Kind.PROBLEM,
        channels=channels_for(Kind.PROBLEM),
        values={
            **facts.of_shipment(case.shipment, language=language),
            **facts.of_case(case, language=language),
        },
        is_urgent=True,
        is_late=_is_late(case.opened_at),
    )


@handles(DigitalDelivered, name="notifications.downloads")
def tell_downloads(event: DigitalDelivered) -> None:
    """The download links of the order's digital lines."""
    meta = _meta(event)
    order = Order.objects.select_related("customer").get(pk=event.order_id)
    downloads = list(Download.objects.filter(order_line__order=order).order_by("pk"))
    if not downloads:
        return
    services.queue_messages(
        event_uuid=meta.uuid,
        order=order,
        kind=Kind.DOWNLOADS,
        channels=channels_for(Kind.DOWNLOADS),
        values=facts.of_downloads(downloads, language=order.customer.language),
        is_late=_is_late(meta.created_at),
    )


@handles(ReturnRequested, name="notifications.return_requested")
def acknowledge_withdrawal(event: ReturnRequested) -> None:
    """For the EU withdrawal button, the acknowledgement on a durable medium at once: the order,
    the items, the date and time. Transactional: always sent, never late (a statement must be
    acknowledged whenever it came). Other returns hear from us with their label."""
    if not event.withdrawal_statement:
        return
    meta = _meta(event)
    ret = Return.objects.select_related("order__customer").get(pk=event.return_id)
    services.queue_messages(
        event_uuid=meta.uuid,
        order=ret.order,
        kind=Kind.WITHDRAWAL_ACKNOWLEDGED,
        channels=[Channel.EMAIL],
        values=facts.of_return(ret, language=ret.order.customer.language),
        # The acknowledgement is owed at once: no quiet hours, no budget.
        is_urgent=True,
    )


@handles(ReturnLabelCreated, name="notifications.return_label")
def send_return_label(event: ReturnLabelCreated) -> None:
    """The prepaid label and the return's page by e-mail as soon as the label exists (the
    carrier's, bought a moment after the request, or Emporos's own at once)."""
    meta = _meta(event)
    ret = Return.objects.select_related("order__customer").get(pk=event.return_id)
    services.queue_messages(
        event_uuid=meta.uuid,
        order=ret.order,
        kind=Kind.RETURN_REQUESTED,
        channels=[Channel.EMAIL],
        values=facts.of_return(ret, language=ret.order.customer.language),
        # The customer just asked for it: no quiet hours or budget hold the label back.
        is_urgent=True,
    )


@handles(ReturnRefunded, name="notifications.refund_issued")
def tell_refund_issued(event: ReturnRefunded) -> None:
    """The customer hears that the money is on its way back, once per return."""
    meta = _meta(event)
    ret = Return.objects.select_related("order__customer").get(pk=event.return_id)
    services.queue_messages(
        event_uuid=meta.uuid,
        order=ret.order,
        kind=Kind.REFUND_ISSUED,
        channels=[Channel.EMAIL],
        values=facts.of_money_back(ret, amount=Decimal(event.amount), language=ret.order.customer.language),
        is_urgent=True,  # money: no quiet hours or budget keep it back
    )


@handles(StoreCreditIssued, name="notifications.store_credit")
def tell_store_credit(event: StoreCreditIssued) -> None:
    """The customer gets the gift card's code: without it the credit cannot be used."""
    meta = _meta(event)
    ret = Return.objects.select_related("order__customer").get(pk=event.return_id)
    card = GiftCard.objects.get(pk=event.gift_card_id)
    services.queue_messages(
        event_uuid=meta.uuid,
        order=ret.order,
        kind=Kind.STORE_CREDIT,
        channels=[Channel.EMAIL],
        values=facts.of_money_back(
            ret, amount=card.initial, language=ret.order.customer.language, gift_card_code=card.code
        ),
        is_urgent=True,
    )


@handles(MessageQueued, name="notifications.send_message")
def send_queued(event: MessageQueued) -> None:
    """Send the message (a message already sent is never sent again)."""
    services.send_message(message_id=event.message_id)
