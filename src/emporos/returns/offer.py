"""What a customer may still send back of an order: the portal asks here before it shows the
"Return items" and "Withdraw from the contract" ways, so neither is offered when nothing can come
back. The rules themselves are checked again by `services.request_return`; this is only the offer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from emporos.core import clock
from emporos.orders.models import Order
from emporos.returns import rules
from emporos.returns.facts import delivery_facts, local_date, terms_of
from emporos.returns.models import COUNTING_STATUSES, ReturnLine
from emporos.returns.policy import current_policy


@dataclass(frozen=True)
class ReturnableLine:
    sku: str
    name: str
    unit_price: Decimal
    returnable: int  # delivered units no other return sends back


@dataclass(frozen=True)
class Offer:
    lines: list[ReturnableLine]
    withdrawal_open: bool  # the statutory right of withdrawal still runs
    withdrawal_ends: dt.date | None  # its last day (None: the clock has not started)
    any_open: bool  # a return of some kind (withdrawal, policy or a faulty-goods claim) is possible

    @property
    def can_return(self) -> bool:
        return bool(self.lines) and self.any_open

    @property
    def can_withdraw(self) -> bool:
        return bool(self.lines) and self.withdrawal_open


def offer(order: Order) -> Offer:
    """The delivered units of `order` still free to come back, and which rights are open today."""
    already = dict(
        ReturnLine.objects.filter(ret__order=order, ret__status__in=COUNTING_STATUSES)
        .values("order_line")
        .annotate(units=Sum("quantity"))
        .values_list("order_line", "units")
    )
    order_lines = list(order.lines.order_by("id"))
    lines = [
        ReturnableLine(
            sku=line.sku,
            name=line.name,
            unit_price=line.unit_price,
            returnable=line.quantity_delivered - already.get(line.pk, 0),
        )
        for line in order_lines
        if line.quantity_delivered - already.get(line.pk, 0) > 0
    ]
    if not lines:
        return Offer(lines=[], withdrawal_open=False, withdrawal_ends=None, any_open=False)
    terms = terms_of(order, current_policy())
    found = rules.windows(terms, delivered_on=delivery_facts(order, order_lines).delivered_on)
    today = local_date(clock.now())
    withdrawal_open = found.withdrawal.is_open_on(today)
    any_open = (
        withdrawal_open
        or found.conformity.is_open_on(today)
        or (found.policy is not None and found.policy.is_open_on(today))
    )
    return Offer(
        lines=lines, withdrawal_open=withdrawal_open, withdrawal_ends=found.withdrawal.ends_on, any_open=any_open
    )
