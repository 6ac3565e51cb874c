"""The rows the complaints report is computed from, read in a few aggregate queries: the tickets
opened in the period, the customers' messages on them, the agents' work per ticket, the orders
placed from the period's start until 60 days after its end (for lapsing), and what the tickets'
orders cost afterwards (refunds, replacement orders, second parcels)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from emporos.fulfillment.models import Shipment, ShipmentStatus
from emporos.orders.models import Order, Refund, RefundStatus
from emporos.returns.models import Return
from emporos.shop import selectors as shop
from emporos.support.models import Channel, Direction, Message, Ticket

# The window after a ticket (or an order) in which a customer who orders again has not lapsed.
LAPSE_DAYS = 60


@dataclass(frozen=True)
class TicketRow:
    pk: int
    customer_id: int
    order_id: int | None
    topic: str
    channel: str
    created_at: dt.datetime
    first_responded_at: dt.datetime | None
    solved_at: dt.datetime | None
    reply_by: dt.datetime | None
    promise_kept: bool | None
    satisfaction: int | None
    effort: int | None

    @property
    def problem(self) -> tuple[int, str, str]:
        """One customer's problem: their order, or the topic when no order is named."""
        if self.order_id is not None:
            return (self.customer_id, "order", str(self.order_id))
        return (self.customer_id, "topic", self.topic)


@dataclass(frozen=True)
class ContactRow:
    """A message from the customer (any channel: e-mail, form, chat, a call they made)."""

    ticket_id: int
    channel: str
    sent_at: dt.datetime


@dataclass(frozen=True)
class OrderRow:
    customer_id: int
    placed_at: dt.datetime


@dataclass(frozen=True)
class CostRow:
    """Money or goods a ticket's order cost after the ticket: a refund (`amount`), or a
    reshipment (a replacement order for an exchange, or a second parcel of the order)."""

    order_id: int
    created_at: dt.datetime
    kind: str  # "refund" or "reshipment"
    amount: Decimal = Decimal("0.00")


@dataclass(frozen=True)
class PeriodData:
    since: dt.datetime
    until: dt.datetime
    now: dt.datetime
    currency: str
    tickets: list[TicketRow]  # every ticket opened in the period, the oldest first
    contacts: list[ContactRow]  # the oldest first
    agent_minutes: dict[int, int]  # ticket -> minutes recorded on its messages
    asked_for_known: dict[int, frozenset[str]]  # ticket -> what answers asked for that the shop had
    orders: list[OrderRow]  # placed from `since` until LAPSE_DAYS after `until`
    costs: list[CostRow]


def load(*, since: dt.datetime, until: dt.datetime, now: dt.datetime) -> PeriodData:
    period = Q(created_at__gte=since, created_at__lt=until)
    in_period = Q(ticket__created_at__gte=since, ticket__created_at__lt=until)
    tickets = [
        TicketRow(**row)
        for row in Ticket.objects.filter(period).order_by("created_at", "pk").values(*TicketRow.__dataclass_fields__)
    ]
    contacts = [
        ContactRow(**row)
        for row in Message.objects.filter(in_period, direction=Direction.IN)
        .order_by("sent_at", "pk")
        .values("ticket_id", "channel", "sent_at")
    ]
    work = Message.objects.filter(in_period).values("ticket_id").annotate(minutes=Sum("minutes_spent")).order_by()
    asked: dict[int, set[str]] = {}
    for ticket_id, code in (
        Message.objects.filter(in_period, direction=Direction.OUT)
        .exclude(asked_for_known="")
        .values_list("ticket_id", "asked_for_known")
        .distinct()
    ):
        asked.setdefault(ticket_id, set()).add(code)
    work_rows = list(work)
    currency = shop.current().currency
    return PeriodData(
        since=since,
        until=until,
        now=now,
        currency=currency,
        tickets=tickets,
        contacts=contacts,
        agent_minutes={row["ticket_id"]: int(row["minutes"] or 0) for row in work_rows},
        asked_for_known={ticket_id: frozenset(codes) for ticket_id, codes in asked.items()},
        orders=[
            OrderRow(**row)
            for row in Order.objects.filter(
                placed_at__gte=since, placed_at__lt=until + dt.timedelta(days=LAPSE_DAYS)
            ).values("customer_id", "placed_at")
        ],
        costs=_costs(Ticket.objects.filter(period, order__isnull=False).exclude(channel=Channel.PROACTIVE), currency),
    )


def _costs(tickets: QuerySet[Ticket], currency: str) -> list[CostRow]:
    """Refunds issued in the shop's currency, replacement orders and second parcels of the
    tickets' orders, whenever they happened (the report attributes them to tickets)."""
    order_ids = tickets.values("order_id")
    refunds = [
        CostRow(order_id=row["order_id"], created_at=row["created_at"], kind="refund", amount=row["amount"])
        for row in Refund.objects.filter(order_id__in=order_ids, status=RefundStatus.ISSUED, currency=currency).values(
            "order_id", "created_at", "amount"
        )
    ]
    replacements = [
        CostRow(order_id=row["order_id"], created_at=row["created_at"], kind="reshipment")
        for row in Return.objects.filter(order_id__in=order_ids, replacement_order__isnull=False).values(
            "order_id", "created_at"
        )
    ]
    parcels = [
        CostRow(order_id=row["order_id"], created_at=row["created_at"], kind="reshipment")
        for row in Shipment.objects.filter(order_id__in=order_ids, sequence__gte=2)
        .exclude(status=ShipmentStatus.CANCELLED)
        .values("order_id", "created_at")
    ]
    return sorted([*refunds, *replacements, *parcels], key=lambda cost: (cost.created_at, cost.order_id, cost.kind))
