"""The 2×2 matrix of the seeds, per topic: how much a topic matters to the customer against how much
it costs the shop, and the action each quadrant calls for (C7).

Importance to the customer, from three rates of the topic's tickets:
- low satisfaction: the share of satisfaction answers of 1 or 2 (of 5);
- repeat contact: the share of tickets on which the customer wrote more than once, or opened at
  most 7 days after an earlier ticket about the same problem (`reports_effort`);
- lapsing: of the customers with a ticket of the topic (their first in the period), the share
  who placed no order in the 60 days after it, less the same share among customers who ordered
  in the period without any ticket (after their first order); never below 0. A customer counts
  once their 60 days have passed; the rate is unknown when either group has nobody yet.

Importance to the shop, from three totals of the topic's tickets:
- refunds issued in the shop's currency on the tickets' orders;
- reshipments: replacement orders of exchanges and second (or later) parcels of the orders;
- agent minutes recorded on the tickets' messages.
A refund or a reshipment belongs to the latest ticket about its order opened at or before it;
one from before any ticket belongs to none.

Each of the six figures is divided by its largest value among the topics (the worst topic scores
1, a figure that is 0 everywhere scores 0), and each axis is the mean of its three scores (an
unknown rate left out), from 0 to 1. An axis is high at 0.5 or more. The quadrants:
- high to the customer and to the shop: "fix the cause now";
- high to the customer only: "make it self-service" (answers and forms the customer uses alone);
- high to the shop only: "reduce the cost quietly" (improve the process behind it);
- neither: "watch" (fix it still when it is frequent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from emporos.support.models import Topic
from emporos.support.reports_data import LAPSE_DAYS, OrderRow, PeriodData, TicketRow
from emporos.support.reports_effort import contact_counts, repeat_ticket_ids, share

FIX_CAUSE = "fix_cause"
SELF_SERVICE = "self_service"
REDUCE_COST = "reduce_cost"
WATCH = "watch"
HIGH = Fraction(1, 2)
LOW_SATISFACTION = 2  # answers of 1 or 2 out of 5

ACTIONS: dict[str, Promise] = {
    FIX_CAUSE: pgettext_lazy("complaints matrix", "Fix the cause now"),
    SELF_SERVICE: pgettext_lazy("complaints matrix", "Make it self-service"),
    REDUCE_COST: pgettext_lazy("complaints matrix", "Reduce the cost quietly"),
    WATCH: pgettext_lazy("complaints matrix", "Watch"),
}


def action(quadrant: str) -> str:
    return str(ACTIONS[quadrant])


@dataclass(frozen=True)
class TopicImportance:
    topic: str
    tickets: int
    satisfaction_answers: int
    low_satisfaction: int
    repeat_tickets: int
    customers_observed: int
    customers_lapsed: int
    refunded: Decimal
    reshipments: int
    agent_minutes: int
    customer_score: Decimal  # 0 to 1, two decimals
    shop_score: Decimal
    quadrant: str

    @property
    def low_satisfaction_percent(self) -> Decimal | None:
        return share(self.low_satisfaction, self.satisfaction_answers)

    @property
    def repeat_percent(self) -> Decimal | None:
        return share(self.repeat_tickets, self.tickets)

    @property
    def lapsed_percent(self) -> Decimal | None:
        return share(self.customers_lapsed, self.customers_observed)

    @property
    def action(self) -> str:
        return action(self.quadrant)


@dataclass(frozen=True)
class Matrix:
    topics: list[TopicImportance]  # the shop's topic order, topics without tickets left out
    baseline_observed: int  # customers who ordered without a ticket, their 60 days passed
    baseline_lapsed: int
    currency: str

    @property
    def baseline_lapsed_percent(self) -> Decimal | None:
        return share(self.baseline_lapsed, self.baseline_observed)


@dataclass(frozen=True)
class _Figures:
    topic: str
    tickets: int
    answers: int
    low: int
    repeats: int
    observed: int
    lapsed: int
    refunded: Decimal
    reshipments: int
    minutes: int


def matrix_of(data: PeriodData, tickets: Sequence[TicketRow]) -> Matrix:
    """The matrix over `tickets` (the customers' tickets of `data`)."""
    figures = _figures(data, tickets)
    baseline_observed, baseline_lapsed = _baseline(data, tickets)
    baseline = Fraction(baseline_lapsed, baseline_observed) if baseline_observed else None
    customer_parts: list[list[Fraction | None]] = [
        [Fraction(item.low, item.answers) if item.answers else None for item in figures],
        [Fraction(item.repeats, item.tickets) for item in figures],
        [
            max(Fraction(0), Fraction(item.lapsed, item.observed) - baseline)
            if item.observed and baseline is not None
            else None
            for item in figures
        ],
    ]
    shop_parts: list[list[Fraction | None]] = [
        [Fraction(item.refunded) for item in figures],
        [Fraction(item.reshipments) for item in figures],
        [Fraction(item.minutes) for item in figures],
    ]
    customer_scores, shop_scores = _axis(customer_parts, len(figures)), _axis(shop_parts, len(figures))
    return Matrix(
        topics=[
            TopicImportance(
                topic=item.topic,
                tickets=item.tickets,
                satisfaction_answers=item.answers,
                low_satisfaction=item.low,
                repeat_tickets=item.repeats,
                customers_observed=item.observed,
                customers_lapsed=item.lapsed,
                refunded=item.refunded,
                reshipments=item.reshipments,
                agent_minutes=item.minutes,
                customer_score=_decimal(customer),
                shop_score=_decimal(shop_score),
                quadrant=quadrant(customer, shop_score),
            )
            for item, customer, shop_score in zip(figures, customer_scores, shop_scores, strict=True)
        ],
        baseline_observed=baseline_observed,
        baseline_lapsed=baseline_lapsed,
        currency=data.currency,
    )


def quadrant(customer: Fraction, shop: Fraction) -> str:
    if customer >= HIGH:
        return FIX_CAUSE if shop >= HIGH else SELF_SERVICE
    return REDUCE_COST if shop >= HIGH else WATCH


def _axis(parts: list[list[Fraction | None]], count: int) -> list[Fraction]:
    """Each figure divided by its largest (0 when that is 0), then the mean of the known ones."""
    scaled: list[list[Fraction | None]] = []
    for values in parts:
        largest = max((value for value in values if value is not None), default=Fraction(0))
        scaled.append([None if value is None else (value / largest if largest else Fraction(0)) for value in values])
    scores: list[Fraction] = []
    for index in range(count):
        known = [value for column in scaled if (value := column[index]) is not None]
        scores.append(sum(known, Fraction(0)) / len(known) if known else Fraction(0))
    return scores


def _decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"))


def _figures(data: PeriodData, tickets: Sequence[TicketRow]) -> list[_Figures]:
    messages = contact_counts(data, tickets)
    repeats = repeat_ticket_ids(tickets)
    costs = _attributed_costs(data, tickets)
    window = dt.timedelta(days=LAPSE_DAYS)
    orders_of = _orders_by_customer(data.orders)
    found = []
    for topic in Topic.values:
        mine = [row for row in tickets if row.topic == topic]
        if not mine:
            continue
        first_ticket: dict[int, dt.datetime] = {}
        for row in mine:
            first_ticket.setdefault(row.customer_id, row.created_at)
        observed = [(customer, at) for customer, at in first_ticket.items() if at + window <= data.now]
        answers = [row.satisfaction for row in mine if row.satisfaction is not None]
        spent = costs.get(topic, (Decimal("0.00"), 0))
        found.append(
            _Figures(
                topic=topic,
                tickets=len(mine),
                answers=len(answers),
                low=sum(1 for answer in answers if answer <= LOW_SATISFACTION),
                repeats=sum(1 for row in mine if messages[row.pk] > 1 or row.pk in repeats),
                observed=len(observed),
                lapsed=sum(1 for customer, at in observed if not _ordered_within(orders_of, customer, at, window)),
                refunded=spent[0],
                reshipments=spent[1],
                minutes=sum(data.agent_minutes.get(row.pk, 0) for row in mine),
            )
        )
    return found


def _baseline(data: PeriodData, tickets: Sequence[TicketRow]) -> tuple[int, int]:
    """Customers who ordered in the period without a ticket: (observed, lapsed)."""
    with_ticket = {row.customer_id for row in tickets}
    window = dt.timedelta(days=LAPSE_DAYS)
    orders_of = _orders_by_customer(data.orders)
    first_order = {
        customer: placed[0]
        for customer, placed in orders_of.items()
        if customer not in with_ticket and placed[0] < data.until
    }
    observed = [(customer, at) for customer, at in first_order.items() if at + window <= data.now]
    lapsed = sum(1 for customer, at in observed if not _ordered_within(orders_of, customer, at, window))
    return len(observed), lapsed


def _orders_by_customer(orders: Sequence[OrderRow]) -> dict[int, list[dt.datetime]]:
    found: dict[int, list[dt.datetime]] = {}
    for order in orders:
        found.setdefault(order.customer_id, []).append(order.placed_at)
    return {customer: sorted(placed) for customer, placed in found.items()}


def _ordered_within(
    orders_of: dict[int, list[dt.datetime]], customer: int, after: dt.datetime, window: dt.timedelta
) -> bool:
    return any(after < placed <= after + window for placed in orders_of.get(customer, []))


def _attributed_costs(data: PeriodData, tickets: Sequence[TicketRow]) -> dict[str, tuple[Decimal, int]]:
    """Per topic: refunds and reshipments, each given to the latest ticket about its order opened
    at or before it."""
    by_order: dict[int, list[TicketRow]] = {}
    for row in sorted(tickets, key=lambda row: (row.created_at, row.pk)):
        if row.order_id is not None:
            by_order.setdefault(row.order_id, []).append(row)
    totals: dict[str, tuple[Decimal, int]] = {}
    for cost in data.costs:
        earlier = [row for row in by_order.get(cost.order_id, []) if row.created_at <= cost.created_at]
        if not earlier:
            continue
        topic = earlier[-1].topic
        refunded, reshipments = totals.get(topic, (Decimal("0.00"), 0))
        if cost.kind == "refund":
            totals[topic] = (refunded + cost.amount, reshipments)
        else:
            totals[topic] = (refunded, reshipments + 1)
    return totals
