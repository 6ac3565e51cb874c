"""Reactions of the fulfillment domain: every fact that moves an order's plan replans it; a
hand-over to a 3PL is sent through its location's adapter."""

from __future__ import annotations

from emporos.core.actor import Actor
from emporos.fulfillment import events, planning
from emporos.fulfillment.third_party import services as third_party
from emporos.orders import events as order_events
from emporos.orders.models import Order
from emporos.outbox.registry import handles


def _replan(order_id: int) -> None:
    order = Order.objects.filter(pk=order_id).first()
    if order is not None:
        planning.plan(order=order, actor=Actor.system())


@handles(order_events.OrderConfirmed, name="fulfillment.plan_confirmed")
def plan_confirmed(event: order_events.OrderConfirmed) -> None:
    _replan(event.order_id)


@handles(order_events.PaymentRecorded, name="fulfillment.plan_paid")
def plan_paid(event: order_events.PaymentRecorded) -> None:
    _replan(event.order_id)


@handles(order_events.OrderHeld, name="fulfillment.plan_held")
def plan_held(event: order_events.OrderHeld) -> None:
    _replan(event.order_id)


@handles(order_events.OrderReleased, name="fulfillment.plan_released")
def plan_released(event: order_events.OrderReleased) -> None:
    _replan(event.order_id)


@handles(order_events.OrderCancelled, name="fulfillment.plan_cancelled")
def plan_cancelled(event: order_events.OrderCancelled) -> None:
    _replan(event.order_id)


@handles(order_events.LineAllocated, name="fulfillment.plan_allocated")
def plan_allocated(event: order_events.LineAllocated) -> None:
    _replan(event.order_id)


@handles(order_events.PreorderReleased, name="fulfillment.plan_preorder_released")
def plan_preorder_released(event: order_events.PreorderReleased) -> None:
    _replan(event.order_id)


@handles(order_events.LineMade, name="fulfillment.plan_made")
def plan_made(event: order_events.LineMade) -> None:
    _replan(event.order_id)


@handles(events.HandoverRequested, name="fulfillment.send_handover")
def send_handover(event: events.HandoverRequested) -> None:
    """Sending again replaces the same request at the 3PL, so a retried delivery is harmless."""
    third_party.send_request(fulfillment_order_id=event.fulfillment_order_id)
