"""Reads of returns for the desk: the queue (oldest first, late refunds marked), one return with
everything its page shows, the returns of an order, the bank refunds due, and the return-rate report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from django.db.models import Count, Q, QuerySet, Sum

from emporos.core import clock
from emporos.orders.models import Order, OrderLine
from emporos.orders.numbers import parse_number
from emporos.returns import rules
from emporos.returns.errors import ReturnNotFound
from emporos.returns.facts import local_date
from emporos.returns.models import COUNTING_STATUSES, OPEN_STATUSES, Return, ReturnLine, ReturnStatus

# Which returns the queue lists.
SHOWN = {
    "open": tuple(OPEN_STATUSES),
    "received": (ReturnStatus.RECEIVED,),
    "all": tuple(ReturnStatus.values),
}


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date
    is_breached: bool  # late: the refund could be withheld no longer and the day has passed
    may_withhold: bool  # no parcel back and no proof of sending yet: the refund may wait


def deadline(ret: Return, *, today: dt.date | None = None) -> Deadline | None:
    """The refund's deadline by the rules engine; None once refunded (nothing is late any more)."""
    if ret.refund_id is not None or ret.status in (ReturnStatus.REJECTED, ReturnStatus.CANCELLED):
        return None
    day = today or local_date(clock.now())
    found = rules.refund_deadline(
        notice_on=local_date(ret.notice_at),
        goods_received_on=local_date(ret.received_at) if ret.received_at else None,
        first_scan_on=local_date(ret.first_scan_at) if ret.first_scan_at else None,
        today=day,
    )
    return Deadline(due_on=found.refund_due_on, is_breached=found.is_breached, may_withhold=found.may_withhold)


@dataclass(frozen=True)
class QueueRow:
    ret: Return
    units: int
    deadline: Deadline | None


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    has_next: bool


def _search(queryset: QuerySet[Return], search: str) -> QuerySet[Return]:
    """A return number ("EM-10042-R1", as a scanner types it from the label), an order number,
    or the customer's e-mail or name."""
    text = search.strip()
    if not text:
        return queryset
    if (parsed := parse_return_number(text)) is not None:
        return queryset.filter(order__number=parsed[0], sequence=parsed[1])
    if (number := parse_number(text)) is not None:
        return queryset.filter(order__number=number)
    return queryset.filter(Q(order__customer__email__iexact=text) | Q(order__customer__name__icontains=text))


def parse_return_number(text: str) -> tuple[int, int] | None:
    """'EM-10042-R1' -> (10042, 1): the order's number and the return's; anything else -> None."""
    head, sep, tail = text.strip().upper().rpartition("-R")
    number = parse_number(head) if sep else None
    if number is None or not (tail.isascii() and tail.isdigit() and len(tail) < 5):
        return None
    return number, int(tail)


def queue(*, shown: str = "open", search: str = "", page: int = 1, size: int = 50) -> QueuePage:
    """Returns oldest first (one query: the page and one more row to know a next page exists)."""
    queryset = (
        Return.objects.filter(status__in=SHOWN.get(shown, SHOWN["open"]))
        .select_related("order__customer", "refund")
        .annotate(units=Sum("lines__quantity"))
        .order_by("created_at", "id")
    )
    start = (max(page, 1) - 1) * size
    found = list(_search(queryset, search)[start : start + size + 1])
    today = local_date(clock.now())
    rows = [QueueRow(ret, ret.units or 0, deadline(ret, today=today)) for ret in found[:size]]  # type: ignore[attr-defined]
    return QueuePage(rows=rows, has_next=len(found) > size)


def by_number(text: str) -> Return | None:
    """The one return a scanned or typed number names ("EM-10042-R1"), if any."""
    parsed = parse_return_number(text)
    if parsed is None:
        return None
    return Return.objects.filter(order__number=parsed[0], sequence=parsed[1]).first()


def return_by_public_id(public_id: UUID | str) -> Return:
    ret = (
        Return.objects.filter(public_id=public_id)
        .select_related("order__customer", "refund")
        .prefetch_related("lines", "photos", "tracking_events")
        .first()
    )
    if ret is None:
        raise ReturnNotFound(f"There is no return {public_id}.")
    return ret


def returns_of_order(order: Order) -> list[Return]:
    return list(Return.objects.filter(order=order).select_related("order", "refund").order_by("sequence"))


def returns_of_customer(customer_id: int) -> list[Return]:
    return list(
        Return.objects.filter(order__customer_id=customer_id).select_related("order", "refund").order_by("-created_at")
    )


# --- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkuRate:
    sku: str
    name: str
    delivered: int
    returned: int

    @property
    def rate(self) -> Decimal:
        """Units returned per unit delivered, as a percentage with one decimal."""
        if not self.delivered:
            return Decimal(0)
        return (Decimal(self.returned) * 100 / self.delivered).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ReasonCount:
    reason: str
    units: int
    lines: int


@dataclass(frozen=True)
class Report:
    starts: dt.date
    ends: dt.date
    skus: list[SkuRate]  # the highest rate first, then the most returned
    reasons: list[ReasonCount]  # the most units first
    delivered: int
    returned: int


def report(*, starts: dt.date, ends: dt.date, tz: dt.tzinfo) -> Report:
    """Over the orders placed from `starts` to `ends` (both included, in the shop's time zone): per
    SKU the units delivered and the units sent back (returns approved, on their way or received),
    and per reason the units and lines. Two aggregate queries."""
    since = dt.datetime.combine(starts, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(ends + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    placed = Q(order__placed_at__gte=since, order__placed_at__lt=until)
    delivered = [
        (row["sku"], row["name"], row["units"])
        for row in OrderLine.objects.filter(placed, quantity_delivered__gt=0)
        .values("sku", "name")
        .annotate(units=Sum("quantity_delivered"))
        .order_by("sku", "name")
    ]
    returned_rows = _returned(placed=Q(ret__order__placed_at__gte=since, ret__order__placed_at__lt=until))
    returned: dict[str, int] = {}
    reasons: dict[str, list[int]] = {}
    for sku, reason, units, lines in returned_rows:
        returned[sku] = returned.get(sku, 0) + units
        counted = reasons.setdefault(reason, [0, 0])
        counted[0] += units
        counted[1] += lines
    names: dict[str, str] = {}
    delivered_units: dict[str, int] = {}
    for sku, name, units in delivered:
        names.setdefault(sku, name)
        delivered_units[sku] = delivered_units.get(sku, 0) + units
    skus = [
        SkuRate(sku=sku, name=names.get(sku, ""), delivered=delivered_units.get(sku, 0), returned=returned.get(sku, 0))
        for sku in sorted(set(delivered_units) | set(returned))
    ]
    skus.sort(key=lambda row: (-row.rate, -row.returned, row.sku))
    reason_rows = sorted(
        (ReasonCount(reason, units, lines) for reason, (units, lines) in reasons.items()),
        key=lambda row: (-row.units, row.reason),
    )
    return Report(
        starts=starts,
        ends=ends,
        skus=skus,
        reasons=reason_rows,
        delivered=sum(delivered_units.values()),
        returned=sum(returned.values()),
    )


def _returned(*, placed: Q) -> Sequence[tuple[str, str, int, int]]:
    rows = (
        ReturnLine.objects.filter(placed, ret__status__in=COUNTING_STATUSES)
        .values("sku", "reason")
        .annotate(units=Sum("quantity"), lines=Count("id"))
        .order_by()
    )
    return [(row["sku"], row["reason"], row["units"], row["lines"]) for row in rows]
