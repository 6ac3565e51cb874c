"""The demo's returns: a few customers sending things back, in every state a return can be in."""

from __future__ import annotations

import datetime as dt
import random

from emporos.core import clock
from emporos.core.actor import Actor
from emporos.core.errors import DomainError
from emporos.fulfillment.models import Shipment
from emporos.orders.models import Order
from emporos.returns import services, settings
from emporos.returns.models import Exemption
from emporos.returns.policy import current_policy

# (reason, condition, resolution, what happens next)
STORIES = [
    ("wrong_size", "unopened", "refund", "receive"),
    ("changed_my_mind", "opened", "refund", "receive"),
    ("defective", "used", "refund", "receive"),
    ("arrived_damaged", "damaged", "refund", "wait"),
    ("not_as_described", "opened", "store_credit", "wait"),
    ("withdrawal", "unopened", "refund", "wait"),
    ("better_price", "unopened", "refund", "reject"),
    ("wrong_size", "unopened", "refund", "wait"),
]


def tell_returns(rng: random.Random) -> None:
    """The shop's 30-day policy, a hygiene exemption, and returns of recently delivered orders."""
    owner = Actor.staff("owner")
    default = current_policy()
    settings.save_policy(
        voluntary_days=30,
        reasons=default.reasons,
        auto_refund=default.auto_refund,
        auto_refund_kinds=default.auto_refund_kinds,
        return_shipping_paid_by=default.return_shipping_paid_by,
        return_shipping_fee=default.return_shipping_fee,
        return_carrier=default.return_carrier,
        customers_informed=default.customers_informed,
        actor=owner,
    )
    customer = Actor.system("demo customer")
    staff = Actor.staff("eleni")
    since = clock.now() - dt.timedelta(days=12)
    delivered = list(
        Order.objects.filter(pk__in=Shipment.objects.filter(delivered_at__gte=since).values("order_id"))
        .exclude(payment_method__in=["cash_on_delivery", "bank_transfer"])
        .order_by("id")[:40]
    )
    rng.shuffle(delivered)
    told = 0
    for order in delivered:
        if told == len(STORIES):
            break
        reason, condition, resolution, then = STORIES[told]
        line = next((line for line in order.lines.all() if line.quantity_delivered), None)
        if line is None:
            continue
        try:
            ret = services.request_return(
                order=order,
                lines=[services.LineRequest(line.sku, 1, reason, condition)],
                resolution=resolution,
                channel="portal",
                actor=customer,
                withdrawal_statement=reason == "withdrawal",
            ).ret
            if then == "receive":
                restock = condition in {"unopened", "opened"}
                services.receive_return(
                    ret=ret, lines=[services.ReceivedLine(line.sku, 1, condition, restock)], actor=staff
                )
            elif then == "reject":
                services.reject_return(ret=ret, reason="Το προϊόν επιστράφηκε φορεμένο.", actor=staff)
        except DomainError:
            continue  # a rule said no (a perishable, a period over): another order tells the story
        told += 1
    first = Order.objects.order_by("id").first()
    if first is not None:
        sku = first.lines.values_list("sku", flat=True).first()
        if sku:
            settings.set_exemption(sku=sku, exemption=Exemption.HYGIENE_SEALED, actor=owner)
