"""Reads of the fulfillment domain for pages and endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet

from emporos.core import clock, cursor
from emporos.fulfillment.errors import NoSuchShipment, NoSuchWave
from emporos.fulfillment.models import (
    DelayCase,
    DelayCaseStatus,
    FulfillmentOrder,
    HoldReason,
    Packaging,
    Shipment,
    ShipmentStatus,
    Status,
    TrackingEvent,
    Wave,
)
from emporos.fulfillment.waves import WAVE_MODES
from emporos.orders.models import Order
from emporos.orders.numbers import parse_number
from emporos.orders.states import OrderStatus
from emporos.shop import selectors as shop


def shipment(public_id: str | uuid.UUID) -> Shipment:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NoSuchShipment(f"There is no shipment {public_id}.") from None
    found = (
        Shipment.objects.select_related("order__customer", "packaging")
        .prefetch_related("lines")
        .filter(public_id=key)
        .first()
    )
    if found is None:
        raise NoSuchShipment(f"There is no shipment {public_id}.")
    return found


def by_idempotency_key(order: Order, key: str) -> Shipment | None:
    """The parcel of `order` made with `key`, if one was: a request sent twice finds the first."""
    return Shipment.objects.filter(order=order, idempotency_key=key).first()


def of_order(order: Order) -> list[Shipment]:
    return list(
        Shipment.objects.filter(order=order)
        .select_related("order", "packaging")
        .prefetch_related("lines")
        .order_by("sequence")
    )


def fulfillment_orders_of(order: Order) -> list[FulfillmentOrder]:
    return list(
        FulfillmentOrder.objects.filter(order=order)
        .exclude(status=Status.CANCELLED)
        .select_related("location", "wave")
        .prefetch_related("lines")
        .order_by("id")
    )


def shipments(*, carrier: str = "", status: str = "", search: str = "") -> QuerySet[Shipment]:
    rows = Shipment.objects.select_related("order__customer").order_by("-created_at", "-id")
    if carrier:
        rows = rows.filter(carrier=carrier)
    if status:
        rows = rows.filter(status=status)
    if search.strip():
        # parse_number, not int(): "²" is a digit to isdigit(), and a long number overflows the column.
        number = parse_number(search)
        by_number = Q(order__number=number) if number is not None else Q(pk__in=[])
        rows = rows.filter(by_number | Q(tracking_number__iexact=search.strip()))
    return rows


@dataclass(frozen=True)
class ShipmentPage:
    shipments: list[Shipment]
    next_cursor: str | None


def shipments_page(
    *, carrier: str = "", status: str = "", search: str = "", after: str | None = None, limit: int = 50
) -> ShipmentPage:
    """Newest first, `limit` at a time; `after` is the cursor the previous page returned (BadCursor
    when it is not one)."""
    rows = shipments(carrier=carrier, status=status, search=search)
    if after:
        created_at, last_id = cursor.decode(after, size=2)
        try:
            moment = dt.datetime.fromisoformat(str(created_at))
        except ValueError:
            raise cursor.BadCursor("The cursor belongs to another listing; start again without it.") from None
        rows = rows.filter(Q(created_at__lt=moment) | Q(created_at=moment, id__lt=last_id))
    found = list(rows[: limit + 1])
    page, more = found[:limit], len(found) > limit
    last = page[-1] if page else None
    next_cursor = cursor.encode([last.created_at.isoformat(), last.pk]) if more and last is not None else None
    return ShipmentPage(shipments=page, next_cursor=next_cursor)


@dataclass(frozen=True)
class WaveRow:
    wave: Wave
    orders: int
    express: int
    shipped: int


def recent_waves(limit: int = 30) -> list[WaveRow]:
    waves = Wave.objects.order_by("-cutoff_at").annotate(
        orders=Count("fulfillment_orders__order", distinct=True),
        express=Count("fulfillment_orders__order", filter=Q(fulfillment_orders__is_express=True), distinct=True),
        shipped=Count("shipments", distinct=True),
    )[:limit]
    return [WaveRow(wave=w, orders=w.orders, express=w.express, shipped=w.shipped) for w in waves]


def wave_fulfillment_orders(wave: Wave) -> list[FulfillmentOrder]:
    return list(
        FulfillmentOrder.objects.filter(wave=wave)
        .select_related("order__customer", "location")
        .prefetch_related("lines")
        .order_by("-is_express", "order__placed_at", "id")
    )


def is_on_track(shipment: Shipment, *, today: dt.date) -> bool | None:
    """Whether the parcel keeps the order's promise: delivered by its latest day, or still able
    to. None for an order without a promise."""
    if shipment.expected_on is None:
        return None
    if shipment.delivered_at is not None:
        return shipment.delivered_at.astimezone(shop.time_zone()).date() <= shipment.expected_on
    return today <= shipment.expected_on


@dataclass(frozen=True)
class OnTime:
    """Orders with a promise whose parcels were all delivered in the period, and how many of them
    arrived by their latest promised day (S4)."""

    delivered: int
    on_time: int
    late_in_transit: int  # not delivered yet and already past the promised day

    @property
    def share(self) -> Decimal | None:
        return None if not self.delivered else (Decimal(self.on_time) / self.delivered * 100).quantize(Decimal("0.1"))


def on_time_report(*, since: dt.date, until: dt.date) -> OnTime:
    """Delivered within their promise, for orders whose last parcel arrived between the two days."""
    tz = shop.time_zone()
    start = dt.datetime.combine(since, dt.time.min, tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tz)
    orders = (
        Shipment.objects.exclude(status=ShipmentStatus.CANCELLED)
        .filter(order__delivery_promise__isnull=False)
        .values("order_id", "order__delivery_promise__latest")
        .annotate(
            last=Max("delivered_at"),
            parcels=Count("id"),
            arrived=Count("id", filter=Q(delivered_at__isnull=False)),
        )
    )
    delivered = on_time = 0
    for row in orders.filter(last__gte=start, last__lt=end):
        if row["parcels"] != row["arrived"]:
            continue
        delivered += 1
        if row["last"].astimezone(tz).date() <= row["order__delivery_promise__latest"]:
            on_time += 1
    today = clock.now().astimezone(tz).date()
    late = (
        Shipment.objects.filter(delivered_at__isnull=True, expected_on__lt=today)
        .exclude(status__in=[ShipmentStatus.CANCELLED, ShipmentStatus.RETURNED_TO_SENDER])
        .values("order_id")
        .distinct()
        .count()
    )
    return OnTime(delivered=delivered, on_time=on_time, late_in_transit=late)


def wave(public_id: str | uuid.UUID) -> Wave:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NoSuchWave(f"There is no wave {public_id}.") from None
    found = Wave.objects.filter(public_id=key).first()
    if found is None:
        raise NoSuchWave(f"There is no wave {public_id}.")
    return found


def wave_shipments(wave: Wave) -> list[Shipment]:
    """The parcels packed in `wave`, in the order their fulfillment orders are listed."""
    return list(
        Shipment.objects.filter(wave=wave).select_related("order").order_by("order__placed_at", "order_id", "sequence")
    )


# Orders whose ready parts a wave takes (waves.form_wave asks the same).
_WAVE_ORDER_STATUSES = (OrderStatus.CONFIRMED, OrderStatus.PROCESSING)


@dataclass(frozen=True)
class ReadyForWave:
    orders: int  # how many orders have a part ready for the next wave
    express: int
    first: list[FulfillmentOrder]  # express first, then oldest, at most `limit`


def ready_for_wave(*, limit: int = 50) -> ReadyForWave:
    """Parts of orders ready to pick that no wave has taken yet."""
    ready = FulfillmentOrder.objects.filter(
        status=Status.OPEN, wave__isnull=True, mode__in=WAVE_MODES, order__status__in=_WAVE_ORDER_STATUSES
    )
    counts = ready.aggregate(
        orders=Count("order", distinct=True), express=Count("order", filter=Q(is_express=True), distinct=True)
    )
    first = list(ready.select_related("order__customer").order_by("-is_express", "order__placed_at", "id")[:limit])
    return ReadyForWave(orders=counts["orders"], express=counts["express"], first=first)


@dataclass(frozen=True)
class WaitingGroup:
    reason: str  # a HoldReason code; a scheduled pre-order waits for its "preorder_date"
    orders: int
    first: list[FulfillmentOrder]  # oldest first, at most `per_reason`


# The order the groups are shown in: what staff can act on first.
_REASON_ORDER = [
    HoldReason.ADDRESS_PROBLEM,
    HoldReason.AWAITING_VERIFICATION,
    HoldReason.AWAITING_PAYMENT,
    HoldReason.OUT_OF_STOCK,
    HoldReason.BEING_MADE,
    HoldReason.PREORDER_DATE,
    HoldReason.OTHER,
]


def waiting_groups(*, per_reason: int = 10) -> list[WaitingGroup]:
    """Parts of orders that cannot leave yet, grouped by why (one query for counts, one for rows)."""
    waiting = FulfillmentOrder.objects.filter(status__in=[Status.ON_HOLD, Status.SCHEDULED])
    counts: dict[str, int] = defaultdict(int)
    for status, reason, orders in waiting.values_list("status", "hold_reason").annotate(
        orders=Count("order", distinct=True)
    ):
        counts[_reason(status, reason)] += orders
    rows: dict[str, list[FulfillmentOrder]] = defaultdict(list)
    shown = waiting.select_related("order__customer").order_by("order__placed_at", "id")[: per_reason * 20]
    for fo in shown:
        group = rows[_reason(fo.status, fo.hold_reason)]
        if len(group) < per_reason:
            group.append(fo)
    order = {reason: index for index, reason in enumerate(_REASON_ORDER)}
    return [
        WaitingGroup(reason=reason, orders=count, first=rows[reason])
        for reason, count in sorted(counts.items(), key=lambda item: order.get(HoldReason(item[0]), len(order)))
    ]


def _reason(status: str, hold_reason: str) -> str:
    return HoldReason.PREORDER_DATE if status == Status.SCHEDULED else hold_reason or HoldReason.OTHER


def packagings(*, active_only: bool = False) -> list[Packaging]:
    rows = Packaging.objects.order_by("position", "name", "id")
    return list(rows.filter(is_active=True) if active_only else rows)


def packaging(code: str) -> Packaging | None:
    return Packaging.objects.filter(code=code).first()


def tracking_history(shipment: Shipment) -> list[TrackingEvent]:
    """The carrier's events of a parcel, newest first (the carrier's time)."""
    return list(TrackingEvent.objects.filter(shipment=shipment).order_by("-occurred_at", "-id"))


def tracking_by_parcel(order: Order) -> dict[int, list[TrackingEvent]]:
    """Each parcel's carrier events, newest first, in one query."""
    found: dict[int, list[TrackingEvent]] = defaultdict(list)
    for event in TrackingEvent.objects.filter(shipment__order=order).order_by("-occurred_at", "-id"):
        found[event.shipment_id].append(event)
    return found


def delay_cases(*, limit: int = 200) -> list[DelayCase]:
    """Open cases first (oldest first: waiting longest), then the latest closed."""
    rows = DelayCase.objects.select_related("shipment__order__customer")
    opened = list(rows.filter(status=DelayCaseStatus.OPEN).order_by("opened_at", "id")[:limit])
    closed = list(
        rows.filter(status=DelayCaseStatus.CLOSED).order_by("-closed_at", "-id")[: max(limit - len(opened), 0)]
    )
    return opened + closed


def open_delay_case(shipment: Shipment) -> DelayCase | None:
    return DelayCase.objects.filter(shipment=shipment, status=DelayCaseStatus.OPEN).first()


@dataclass(frozen=True)
class OnTimeRow:
    """Parcels delivered in a group (a week, a carrier, a method) and how many by their promised day."""

    key: str
    delivered: int
    on_time: int

    @property
    def share(self) -> Decimal | None:
        return None if not self.delivered else (Decimal(self.on_time) / self.delivered * 100).quantize(Decimal("0.1"))

    @property
    def week_start(self) -> dt.date | None:
        """The Monday of a week's row (its key), else None."""
        try:
            return dt.date.fromisoformat(self.key)
        except ValueError:
            return None


@dataclass(frozen=True)
class OnTimeBreakdown:
    weeks: list[OnTimeRow]  # key: the Monday of the week, ISO
    carriers: list[OnTimeRow]
    methods: list[OnTimeRow]


def on_time_breakdown(*, since: dt.date, until: dt.date) -> OnTimeBreakdown:
    """Parcels with a promised day delivered between the two days, on time or not, by week (of the
    delivery), carrier and shipping method (S4, the desk's chart)."""
    tz = shop.time_zone()
    start = dt.datetime.combine(since, dt.time.min, tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tz)
    # The parcel's promised day, or the order's when the parcel left before the promise was
    # recorded (the worker records it a moment after the order is placed).
    rows = (
        Shipment.objects.filter(delivered_at__gte=start, delivered_at__lt=end)
        .filter(Q(expected_on__isnull=False) | Q(order__delivery_promise__isnull=False))
        .values_list("delivered_at", "expected_on", "order__delivery_promise__latest", "carrier", "method_code")
    )
    groups: dict[str, dict[str, list[int]]] = {"week": {}, "carrier": {}, "method": {}}
    for delivered_at, parcel_promise, order_promise, carrier, method in rows:
        expected_on = parcel_promise or order_promise
        if delivered_at is None or expected_on is None:  # filtered out above; for the type checker
            continue
        day = delivered_at.astimezone(tz).date()
        monday = (day - dt.timedelta(days=day.weekday())).isoformat()
        kept = int(day <= expected_on)
        for axis, key in (("week", monday), ("carrier", carrier), ("method", method or "—")):
            tally = groups[axis].setdefault(key, [0, 0])
            tally[0] += 1
            tally[1] += kept

    def listed(axis: str) -> list[OnTimeRow]:
        return [OnTimeRow(key=k, delivered=v[0], on_time=v[1]) for k, v in sorted(groups[axis].items())]

    return OnTimeBreakdown(weeks=listed("week"), carriers=listed("carrier"), methods=listed("method"))
