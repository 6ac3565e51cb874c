"""Reactions of the fulfillment domain: every fact that moves an order's plan replans it; a
hand-over to a 3PL is sent through its location's adapter."""

from __future__ import annotations

from typing import Any

from emporos.core.actor import Actor
from emporos.fulfillment import events, planning
from emporos.fulfillment.third_party import services as third_party
from emporos.orders import events as order_events
from emporos.orders.models import Order
from emporos.outbox.events import DomainEvent
from emporos.outbox.registry import handles


def replan(event: Any) -> None:  # each of the events below has an order_id
    """Plan the event's order again from the facts (idempotent; a removed order is nothing to plan)."""
    order = Order.objects.filter(pk=event.order_id).first()
    if order is not None:
        planning.plan(order=order, actor=Actor.system())


# Each fact that can move a plan, with its handler's stable name (names key deliveries).
_FACTS_THAT_MOVE_A_PLAN: tuple[tuple[type[DomainEvent], str], ...] = (
    (order_events.OrderConfirmed, "fulfillment.plan_confirmed"),
    (order_events.PaymentRecorded, "fulfillment.plan_paid"),
    (order_events.OrderHeld, "fulfillment.plan_held"),
    (order_events.OrderReleased, "fulfillment.plan_released"),
    (order_events.OrderCancelled, "fulfillment.plan_cancelled"),
    (order_events.LineAllocated, "fulfillment.plan_allocated"),
    (order_events.PreorderReleased, "fulfillment.plan_preorder_released"),
    (order_events.LineMade, "fulfillment.plan_made"),
)
for _event_class, _name in _FACTS_THAT_MOVE_A_PLAN:
    handles(_event_class, name=_name)(replan)


@handles(events.HandoverRequested, name="fulfillment.send_handover")
def send_handover(event: events.HandoverRequested) -> None:
    """Sending again replaces the same request at the 3PL, so a retried delivery is harmless."""
    third_party.send_request(fulfillment_order_id=event.fulfillment_order_id)
