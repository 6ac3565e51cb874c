"""Reactions of the fulfillment domain: every fact that moves an order's plan replans it."""

from __future__ import annotations

from emporos.core.actor import Actor
from emporos.fulfillment import planning
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
