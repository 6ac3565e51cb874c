"""Writes of the shipping domain: the delivery window promised to an order."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.orders.models import Order
from emporos.orders.services import about_order
from emporos.shipping import selectors
from emporos.shipping.events import DeliveryPromised
from emporos.shipping.models import DeliveryPromise
from emporos.timeline import services as timeline


def promise_delivery(*, order: Order) -> DeliveryPromise | None:
    """Record, once, the window the order's shipping method promises from the moment it was
    placed (the same window the quote showed at checkout). None for an order without a shipping
    method Emporos knows for its destination and currency (a storefront's own method)."""
    address = order.shipping_address or {}
    if not order.shipping_method or not address.get("country"):
        return None
    promise = selectors.promise_for(
        method_code=order.shipping_method,
        currency=order.currency,
        country=address["country"],
        postal_code=address.get("postal_code", ""),
        placed_at=order.placed_at,
    )
    if promise is None:
        return None
    window = promise.window
    try:
        with transaction.atomic():
            made = DeliveryPromise.objects.create(
                order=order,
                method_code=promise.method.code,
                earliest=window.earliest,
                latest=window.latest,
                promised_at=clock.now(),
            )
            timeline.record(
                event=DeliveryPromised(
                    order_id=order.pk,
                    method_code=promise.method.code,
                    earliest=window.earliest.isoformat(),
                    latest=window.latest.isoformat(),
                ),
                about=about_order(order),
                actor=Actor.system(),
                facts={"number": order.display_number, "method_name": promise.method.name},
            )
    except IntegrityError:  # promised already (a delivery run twice): the first promise stands
        return DeliveryPromise.objects.get(order=order)
    return made
