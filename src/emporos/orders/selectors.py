"""Reads of orders for the API, the staff pages and the CLI."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from emporos.core import clock, cursor
from emporos.core.config import setting
from emporos.core.contact import phone_candidates
from emporos.core.text import search_form
from emporos.customers.errors import CustomerNotFound
from emporos.customers.models import Customer
from emporos.inventory.selectors import location_codes
from emporos.orders.errors import OrderNotFound
from emporos.orders.filters import NEWEST_FIRST, ORDER_FILTERS, FilterKind, OrderFilters, OrderSort
from emporos.orders.models import NUMBER_PREFIX, WAITING_LINE_STATES, LineStockState, Order, OrderLine, SavedOrderView
from emporos.orders.numbers import parse_number
from emporos.orders.states import STATUS_STEPS, WAITING_STATUSES, OrderStatus
from emporos.shop import selectors as shop
from emporos.timeline import selectors as timeline
from emporos.timeline.models import SubjectKind
from emporos.timeline.selectors import ShownEntry

_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{6,}$")


def order_by_number(number: str) -> Order:
    """The order with its customer, lines and verifications (its timeline: `order_timeline`)."""
    parsed = parse_number(number)
    order = (
        Order.objects.select_related("customer")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("reserved_location")),
            "verifications",
        )
        .filter(number=parsed)
        .first()
        if parsed is not None
        else None
    )
    if order is None:
        raise OrderNotFound(f"There is no order {number}.")
    return order


def reserved_location_codes(lines: Iterable[OrderLine]) -> dict[int, str]:
    """The code of each location the lines reserve from, by location id: from the lines when they
    carry their location (loaded with it, or as intake's reservation read it), else read in one query."""
    field = OrderLine._meta.get_field("reserved_location")
    codes: dict[int, str] = {}
    missing: set[int] = set()
    for line in lines:
        if line.reserved_location_id is None:
            continue
        if field.is_cached(line):
            codes[line.reserved_location_id] = line.reserved_location.code  # type: ignore[union-attr]
        else:
            missing.add(line.reserved_location_id)
    return codes | location_codes(missing)


def order_for_update(number: str) -> Order:
    """The order alone, as the base of a change (services compare-and-set its status)."""
    parsed = parse_number(number)
    order = Order.objects.filter(number=parsed).first() if parsed is not None else None
    if order is None:
        raise OrderNotFound(f"There is no order {number}.")
    return order


@dataclass(frozen=True)
class Page:
    orders: list[Order]
    next_cursor: str | None


# Filters that match a column of the same name exactly; `q` searches, `sku` looks at the lines,
# the moments bound a range.
_EXACT = [
    spec.name
    for spec in ORDER_FILTERS
    if spec.kind in {FilterKind.CHOICE, FilterKind.TEXT} and spec.name not in {"q", "sku"}
]


def filter_orders(filters: OrderFilters) -> QuerySet[Order]:
    orders = Order.objects.all()
    for name in _EXACT:
        value = getattr(filters, name)
        if value:
            orders = orders.filter(**{name: value})
    if filters.placed_from:
        orders = orders.filter(placed_at__gte=filters.placed_from)
    if filters.placed_to:
        orders = orders.filter(placed_at__lt=filters.placed_to)
    if filters.overdue is not None:
        overdue = Q(status__in=list(WAITING_STATUSES), due_by__lt=clock.now())
        orders = orders.filter(overdue if filters.overdue else ~overdue)
    if filters.express is not None:
        orders = orders.filter(is_express=filters.express)
    if filters.sku:
        # Exact and as stored: the (sku, order) index of the lines answers it.
        orders = orders.filter(id__in=OrderLine.objects.filter(sku=filters.sku).values("order_id"))
    if filters.q and filters.q.strip():
        orders = orders.filter(_search(filters.q.strip()))
    return orders


def _search(term: str) -> Q:
    number = parse_number(term)
    if number is not None and (term.upper().startswith("EM-") or len(term) <= 8):
        return Q(number=number)
    if "@" in term:
        return Q(customer__email=term.lower())
    if _PHONE_LIKE.match(term):
        phones = phone_candidates(term, regions=_phone_regions()) or ["+" + re.sub(r"\D", "", term)]
        return Q(customer__phone__in=phones)
    matching = Customer.objects.filter(search_name__contains=search_form(term)).values("id")[:500]
    return Q(customer_id__in=matching)


# Where a number typed without its country code may be from, after the shop's own country.
_PHONE_REGIONS = ("GR", "PL", "IL", "CY")


def _phone_regions() -> list[str]:
    own = shop.current().country or setting("SHOP_COUNTRY")
    return list(dict.fromkeys([own.upper(), *_PHONE_REGIONS]))


# Counting stops here: past it the list says "10,000+", so counting stays fast over any number of orders.
COUNT_LIMIT = 10_000


@dataclass(frozen=True)
class OrderCount:
    count: int  # exact, or COUNT_LIMIT when there are more
    is_more: bool  # more than `count` orders match


def count_orders(filters: OrderFilters, *, limit: int | None = None) -> OrderCount:
    """How many orders match, counted up to `limit` (COUNT_LIMIT by default) with a LIMIT
    subquery: one query, and bounded work however many orders there are."""
    limit = COUNT_LIMIT if limit is None else limit
    found = filter_orders(filters).order_by().values("pk")[: limit + 1].count()
    return OrderCount(count=min(found, limit), is_more=found > limit)


_OLDEST_FIRST = "oldest"


def _cursor_token(sort: OrderSort) -> str:
    """The third value of a cursor, naming its sort; "oldest" as before sorting by other columns."""
    if sort.key == "placed" and not sort.descending:
        return _OLDEST_FIRST
    return f"-{sort.key}" if sort.descending else sort.key


def _sort_value(order: Order, sort: OrderSort) -> str | int:
    if sort.key == "status":
        return STATUS_STEPS.index(OrderStatus(order.status))
    value = order.customer.name if sort.key == "customer" else getattr(order, sort.column)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value if isinstance(value, int) else str(value)


def _parse_sort_value(raw: str | int, sort: OrderSort) -> object:
    if sort.key in {"placed", "due"}:
        return dt.datetime.fromisoformat(str(raw))
    if sort.key == "total":
        return Decimal(str(raw))
    if sort.key in {"number", "status"}:
        return int(raw)
    return str(raw)


def _decode_after(after: str, sort: OrderSort) -> tuple[object, int]:
    """The sort value and id of the last row shown; BadCursor for a cursor of another sort."""
    if sort.is_default:  # two values, as the API has always handed out
        value, last_id = cursor.decode(after, size=2)
    else:
        value, last_id, token = cursor.decode(after, size=3)
        if token != _cursor_token(sort):
            raise cursor.BadCursor("The cursor belongs to another listing; start again without it.")
    try:
        return _parse_sort_value(value, sort), int(last_id)
    except (ValueError, ArithmeticError):
        raise cursor.BadCursor("The cursor is not one this server gave out; start again without it.") from None


def _after(orders: QuerySet[Order], after: str, sort: OrderSort) -> QuerySet[Order]:
    value, last_id = _decode_after(after, sort)
    column = sort.column
    if sort.descending:
        # The first condition alone lets the database start in its index; the second is exact.
        return orders.filter(**{f"{column}__lte": value}).filter(
            Q(**{f"{column}__lt": value}) | Q(**{column: value, "id__lt": last_id})
        )
    return orders.filter(**{f"{column}__gte": value}).filter(
        Q(**{f"{column}__gt": value}) | Q(**{column: value, "id__gt": last_id})
    )


def _sorted(orders: QuerySet[Order], sort: OrderSort) -> QuerySet[Order]:
    """`orders` in `sort` order, the id breaking ties in the same direction (the list's keyset)."""
    direction = "-" if sort.descending else ""
    return orders.order_by(f"{direction}{sort.column}", f"{direction}id")


def list_orders(
    filters: OrderFilters,
    *,
    after: str | None = None,
    limit: int = 50,
    oldest_first: bool = False,
    sort: OrderSort | None = None,
) -> Page:
    """`limit` orders at a time in `sort` order (newest first by default; `oldest_first` is the
    same as sorting by placed ascending); `after` is the cursor the previous page returned.

    Every sort is a keyset over (its column, id), forwards or backwards. A cursor names its sort
    (the default's two values excepted), so the cursor of one sort is refused (BadCursor) by another.
    """
    if sort is None:
        sort = OrderSort("placed", descending=False) if oldest_first else NEWEST_FIRST
    orders = _sorted(filter_orders(filters), sort)
    if after:
        orders = _after(orders, after, sort)
    # The page's ids first, from an index alone where there is one; then the rows of just those orders.
    ids = list(orders.values_list("pk", flat=True)[: limit + 1])
    by_id = Order.objects.select_related("customer").in_bulk(ids[:limit])
    rows = [by_id[pk] for pk in ids[:limit]]
    next_cursor = None
    if len(ids) > limit:
        last = rows[-1]
        values: list[str | int] = [_sort_value(last, sort), last.pk]
        next_cursor = cursor.encode(values if sort.is_default else [*values, _cursor_token(sort)])
    return Page(orders=rows, next_cursor=next_cursor)


@dataclass(frozen=True)
class ExportRow:
    """One order of an export: what a spreadsheet of the orders list shows."""

    number: str
    placed_at: dt.datetime
    status: str
    payment_status: str
    fulfillment_status: str
    customer_name: str
    email: str
    phone: str
    channel: str
    shipping_method: str
    items: int  # units over every line
    total: Decimal
    currency: str


EXPORT_CHUNK_SIZE = 2000


def export_rows(
    filters: OrderFilters, *, sort: OrderSort = NEWEST_FIRST, chunk_size: int = EXPORT_CHUNK_SIZE
) -> Iterator[ExportRow]:
    """Every order the list shows for `filters`, in its order, read `chunk_size` rows at a time
    (a server-side cursor on PostgreSQL): one statement and flat memory for any number of orders."""
    items = (
        OrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(units=Sum("quantity"))
        .values("units")
    )
    rows = (
        _sorted(filter_orders(filters), sort)
        .annotate(items=Coalesce(Subquery(items), 0))
        .values_list(
            "number",
            "placed_at",
            "status",
            "payment_status",
            "fulfillment_status",
            "customer__name",
            "customer__email",
            "customer__phone",
            "channel",
            "shipping_method",
            "items",
            "total",
            "currency",
        )
    )
    for number, *values in rows.iterator(chunk_size=chunk_size):
        yield ExportRow(f"{NUMBER_PREFIX}{number}", *values)


def channels_in_use() -> list[str]:
    """Every channel orders came from, sorted: a walk of the (channel, placed_at, id) index that
    jumps from one channel to the next (one statement, as fast for a million orders as for ten)."""
    table = connection.ops.quote_name(Order._meta.db_table)
    sql = f"""
        WITH RECURSIVE seen(channel) AS (
            SELECT MIN(channel) FROM {table}
            UNION ALL
            SELECT (SELECT MIN(channel) FROM {table} WHERE channel > seen.channel) FROM seen
            WHERE seen.channel IS NOT NULL
        )
        SELECT channel FROM seen WHERE channel IS NOT NULL
    """
    with connection.cursor() as rows:
        rows.execute(sql)
        return [channel for (channel,) in rows.fetchall()]


def saved_order_views(owner_id: int) -> list[SavedOrderView]:
    """A staff member's saved views of the orders list, by name."""
    return list(SavedOrderView.objects.filter(owner_id=owner_id).order_by("name", "id"))


def queue(*, after: str | None = None, limit: int = 50, actionable: bool | None = None) -> Page:
    """Orders waiting for action: overdue first, then express, then paid, oldest first in each.

    `actionable=True` keeps the orders none of whose lines waits, `False` the ones with a line
    waiting for stock, a release date or to be made (`has_waiting_lines`), None both.
    """
    orders = (
        Order.objects.filter(status__in=list(WAITING_STATUSES))
        .select_related("customer")
        .order_by("queue_rank", "placed_at", "id")
    )
    if actionable is not None:
        orders = orders.filter(has_waiting_lines=not actionable)
    if after:
        rank, placed_at, last_id = cursor.decode(after, size=3)
        moment = dt.datetime.fromisoformat(str(placed_at))
        orders = orders.filter(
            Q(queue_rank__gt=rank)
            | Q(queue_rank=rank, placed_at__gt=moment)
            | Q(queue_rank=rank, placed_at=moment, id__gt=last_id)
        )
    rows = list(orders[: limit + 1])
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = cursor.encode([last.queue_rank, last.placed_at.isoformat(), last.pk])
    return Page(orders=rows, next_cursor=next_cursor)


def is_overdue(order: Order) -> bool:
    return order.status in WAITING_STATUSES and order.due_by < clock.now()


@dataclass(frozen=True)
class QueueCounts:
    """Orders per waiting state. `overdue` and `express` count the work that can be done now;
    orders waiting for stock, a release date or to be made are counted apart, per reason (an
    order waiting for two reasons counts under each)."""

    placed: int
    confirmed: int
    processing: int
    on_hold: int
    overdue: int
    express: int
    waiting_for_lines: int = 0
    waiting_overdue: int = 0
    backordered: int = 0
    preorder: int = 0
    made_to_order: int = 0

    @property
    def waiting(self) -> int:
        return self.placed + self.confirmed + self.processing

    @property
    def actionable(self) -> int:
        return self.waiting - self.waiting_for_lines


def _has_line(state: LineStockState) -> Exists:
    return Exists(OrderLine.objects.filter(order_id=OuterRef("pk"), stock_state=state))


def queue_counts() -> QueueCounts:
    """How many orders wait in each state, how many of them are overdue or express, and how many
    wait for stock, a release date or to be made: one query."""
    waiting = Q(status__in=list(WAITING_STATUSES))
    can_act, held_up = waiting & Q(has_waiting_lines=False), waiting & Q(has_waiting_lines=True)
    now = clock.now()
    totals = Order.objects.filter(status__in=[*WAITING_STATUSES, OrderStatus.ON_HOLD]).aggregate(
        placed=Count("id", filter=Q(status=OrderStatus.PLACED)),
        confirmed=Count("id", filter=Q(status=OrderStatus.CONFIRMED)),
        processing=Count("id", filter=Q(status=OrderStatus.PROCESSING)),
        on_hold=Count("id", filter=Q(status=OrderStatus.ON_HOLD)),
        overdue=Count("id", filter=can_act & Q(due_by__lt=now)),
        express=Count("id", filter=can_act & Q(is_express=True)),
        waiting_for_lines=Count("id", filter=held_up),
        waiting_overdue=Count("id", filter=held_up & Q(due_by__lt=now)),
        backordered=Count("id", filter=held_up & Q(_has_line(LineStockState.BACKORDERED))),
        preorder=Count("id", filter=held_up & Q(_has_line(LineStockState.PREORDER))),
        made_to_order=Count("id", filter=held_up & Q(_has_line(LineStockState.MADE_TO_ORDER))),
    )
    return QueueCounts(**totals)


@dataclass(frozen=True)
class WaitReasons:
    """Why an order of the queue cannot be worked on yet: its lines' states, and the earliest
    release date of its pre-ordered lines."""

    states: list[str]
    available_on: dt.date | None


def wait_reasons(orders: Iterable[Order]) -> dict[int, WaitReasons]:
    """The reasons of each of `orders` that waits, by order id: one query (none when none waits)."""
    ids = [order.pk for order in orders if order.has_waiting_lines]
    if not ids:
        return {}
    rows = (
        OrderLine.objects.filter(order_id__in=ids, stock_state__in=list(WAITING_LINE_STATES))
        .values("order_id", "stock_state")
        .annotate(available_on=Min("available_on"))
        .order_by()
    )
    states: dict[int, list[str]] = {}
    dates: dict[int, dt.date] = {}
    for row in rows:
        states.setdefault(row["order_id"], []).append(row["stock_state"])
        if row["available_on"] is not None:
            dates[row["order_id"]] = min(dates.get(row["order_id"], row["available_on"]), row["available_on"])
    order_of_states: list[str] = [LineStockState.BACKORDERED, LineStockState.PREORDER, LineStockState.MADE_TO_ORDER]
    return {
        order_id: WaitReasons(states=sorted(found, key=order_of_states.index), available_on=dates.get(order_id))
        for order_id, found in states.items()
    }


# --- One customer: contact, orders, timeline and spending (the staff customer page) ---


def customer_by_public_id(public_id: uuid.UUID) -> Customer:
    customer = Customer.objects.filter(public_id=public_id).first()
    if customer is None:
        raise CustomerNotFound(f"There is no customer {public_id}.")
    return customer


def customer_orders(customer: Customer, *, limit: int = 50) -> list[Order]:
    """The customer's newest orders, from the (customer, placed_at, id) index."""
    return list(Order.objects.filter(customer=customer).order_by("-placed_at", "-id")[:limit])


def customer_timeline(customer: Customer, *, language: str, limit: int = 100) -> list[ShownEntry]:
    """The customer's newest timeline entries in `language`; an order's carry its number in facts."""
    return timeline.timeline_of(
        SubjectKind.CUSTOMER, customer.pk, language=language, time_zone=shop.current().time_zone, limit=limit
    )


def order_timeline(order: Order, *, language: str, limit: int = 500) -> list[ShownEntry]:
    """The order's timeline in `language`, newest first."""
    return timeline.timeline_of(
        SubjectKind.ORDER, order.pk, language=language, time_zone=shop.current().time_zone, limit=limit
    )


@dataclass(frozen=True)
class Spending:
    currency: str
    orders: int  # every order in this currency, cancelled ones included
    spent: Decimal  # the totals of the orders not cancelled


def customer_spending(customer: Customer) -> list[Spending]:
    """Orders and money spent per currency: one aggregate over the customer's index range."""
    rows = (
        Order.objects.filter(customer=customer)
        .values("currency")
        .annotate(orders=Count("id"), spent=Sum("total", filter=~Q(status=OrderStatus.CANCELLED)))
        .order_by("currency")
    )
    return [Spending(row["currency"], row["orders"], row["spent"] or Decimal("0")) for row in rows]
