"""Reactions to other domains' events: each asks for the messages the customer should get."""

from __future__ import annotations

import datetime as dt

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.config import setting
from emporos.notifications.events import MessageRequested
from emporos.notifications.models import Channel, NotificationRequest, RequestStatus
from emporos.orders.events import OrderPlaced
from emporos.orders.models import Order
from emporos.orders.services import about_order
from emporos.outbox.registry import handles
from emporos.timeline import services as timeline

# "We received your order" more than a day after the customer bought (history imported from a
# storefront, a worker that was down for days) would only confuse: it is recorded as skipped.
RECEIVED_MESSAGE_WITHIN = dt.timedelta(hours=24)


@handles(OrderPlaced, name="notifications.order_received")
def request_order_received(event: OrderPlaced) -> None:
    """Ask for the "we received your order" message (L2), once per order and channel."""
    if event.meta is None:
        raise ValueError("request_order_received handles stored events only (event.meta is set by the relay).")
    order = Order.objects.select_related("customer").get(pk=event.order_id)
    is_late = clock.now() - order.placed_at > RECEIVED_MESSAGE_WITHIN
    customer = order.customer
    channels = [
        channel
        for channel in setting("ORDER_RECEIVED_CHANNELS")
        if (channel == Channel.EMAIL and customer.email) or (channel == Channel.SMS and customer.phone)
    ]
    keys = {channel: f"{event.meta.uuid}:{channel}" for channel in channels}
    done = set(NotificationRequest.objects.filter(dedupe_key__in=keys.values()).values_list("channel", flat=True))
    missing = [channel for channel in channels if channel not in done]
    if not missing:
        return
    NotificationRequest.objects.bulk_create(
        [
            NotificationRequest(
                kind="order_received",
                channel=channel,
                customer=customer,
                order=order,
                language=customer.language,
                dedupe_key=keys[channel],
                status=RequestStatus.SKIPPED if is_late else RequestStatus.PENDING,
                created_at=clock.now(),
            )
            for channel in missing
        ]
    )
    if is_late:
        return
    timeline.record(
        event=MessageRequested(order_id=order.pk, message="order_received", channels=missing),
        about=about_order(order),
        actor=Actor.system(),
        facts={"number": order.display_number},
    )
