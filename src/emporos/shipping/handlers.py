"""Reactions of the shipping domain to other domains' events."""

from __future__ import annotations

from emporos.orders.events import OrderPlaced
from emporos.orders.models import Order
from emporos.outbox.registry import handles
from emporos.shipping.services import promise_delivery


@handles(OrderPlaced, name="shipping.promise_delivery")
def promise_on_placing(event: OrderPlaced) -> None:
    """Every shipped order keeps the delivery window its method promised when it was placed."""
    promise_delivery(order=Order.objects.get(pk=event.order_id))
