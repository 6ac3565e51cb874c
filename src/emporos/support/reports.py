"""The complaints report (reads only): over the tickets opened in a period [since, until), whether
promises were kept and how long answers and solutions took in working time, the effort customers
had to make (`reports_effort`), the 2×2 matrix of what matters to the customer and to the shop per
topic (`reports_matrix`), and the tickets by topic and channel. Every figure is computed from the
rows, never estimated.

Tickets the shop raised itself (channel "proactive") are counted in the topic × channel table only:
nobody asked, so there is no promise, no effort and no complaint to weigh. Working time is the
shop's opening hours without public holidays (`policy.calendar()`); percentiles are nearest-rank
(the median of 4 values is the 2nd smallest), in whole working minutes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from emporos.core import clock
from emporos.support import policy
from emporos.support.models import Channel, Ticket, Topic
from emporos.support.reports_data import TicketRow, load
from emporos.support.reports_effort import Effort, effort_of
from emporos.support.reports_matrix import Matrix, matrix_of

__all__ = [
    "Durations",
    "Effort",
    "Matrix",
    "Promises",
    "SupportReport",
    "TopicChannels",
    "TopicTimes",
    "percent",
    "support_report",
]


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` as a percentage with one decimal; None when `whole` is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def nearest_rank(values: Sequence[int], fraction: float) -> int | None:
    """The nearest-rank percentile: the smallest value with at least `fraction` of them at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


@dataclass(frozen=True)
class Durations:
    """Working minutes of `count` tickets: the median and the 90th percentile (None without any)."""

    count: int
    median_minutes: int | None
    p90_minutes: int | None

    @classmethod
    def of(cls, minutes: Sequence[int]) -> Durations:
        return cls(
            count=len(minutes), median_minutes=nearest_rank(minutes, 0.5), p90_minutes=nearest_rank(minutes, 0.9)
        )


@dataclass(frozen=True)
class TopicTimes:
    """Per topic ("" for all topics): the first answer (opened -> first staff answer) and the
    solution (opened -> solved, the time waiting for the customer included: the customer's wait)."""

    topic: str
    tickets: int
    first_response: Durations
    resolution: Durations


@dataclass(frozen=True)
class Promises:
    """The reply-by time promised in the acknowledgement: kept when the first answer came by then.
    `overdue` were not answered and their time has passed (broken already); `waiting` still can be."""

    kept: int
    broken: int
    overdue: int
    waiting: int

    @property
    def judged(self) -> int:
        return self.kept + self.broken + self.overdue

    @property
    def kept_percent(self) -> Decimal | None:
        return percent(self.kept, self.judged)


@dataclass(frozen=True)
class TopicChannelRow:
    topic: str
    counts: tuple[int, ...]  # in the order of TopicChannels.channels

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class TopicChannels:
    channels: tuple[str, ...]
    rows: list[TopicChannelRow]  # the shop's topic order, topics without tickets left out

    @property
    def channel_totals(self) -> tuple[int, ...]:
        return tuple(sum(row.counts[index] for row in self.rows) for index in range(len(self.channels)))


@dataclass(frozen=True)
class SupportReport:
    since: dt.datetime
    until: dt.datetime
    tickets: int  # opened by customers in the period
    promises: Promises
    times: list[TopicTimes]  # per topic with tickets, the shop's topic order
    overall: TopicTimes
    effort: Effort
    matrix: Matrix
    topic_channels: TopicChannels


def support_report(*, since: dt.datetime, until: dt.datetime, now: dt.datetime | None = None) -> SupportReport:
    """The report over tickets opened in [since, until) (aware datetimes), as it stands at `now`
    (default: the clock). A handful of aggregate queries, whatever the number of tickets."""
    now = now or clock.now()
    data = load(since=since, until=until, now=now)
    calendar = policy.calendar()
    customer_tickets = [row for row in data.tickets if row.channel != Channel.PROACTIVE]
    times = [
        _times(topic, [row for row in customer_tickets if row.topic == topic], calendar)
        for topic in Topic.values
        if any(row.topic == topic for row in customer_tickets)
    ]
    return SupportReport(
        since=since,
        until=until,
        tickets=len(customer_tickets),
        promises=_promises(customer_tickets, now=now),
        times=times,
        overall=_times("", customer_tickets, calendar),
        effort=effort_of(data, customer_tickets),
        matrix=matrix_of(data, customer_tickets),
        topic_channels=_topic_channels(since=since, until=until),
    )


def _promises(tickets: Sequence[TicketRow], *, now: dt.datetime) -> Promises:
    kept = broken = overdue = waiting = 0
    for row in tickets:
        if row.reply_by is None:
            continue
        if row.first_responded_at is not None:
            # promise_kept is written with the first answer; a call answered counts the same way.
            is_kept = row.promise_kept if row.promise_kept is not None else row.first_responded_at <= row.reply_by
            kept, broken = kept + int(is_kept), broken + int(not is_kept)
        elif row.reply_by < now:
            overdue += 1
        else:
            waiting += 1
    return Promises(kept=kept, broken=broken, overdue=overdue, waiting=waiting)


def _times(topic: str, tickets: Sequence[TicketRow], calendar: policy.sla.WorkingCalendar) -> TopicTimes:
    first = [
        calendar.minutes_between(row.created_at, row.first_responded_at)
        for row in tickets
        if row.first_responded_at is not None
    ]
    solved = [calendar.minutes_between(row.created_at, row.solved_at) for row in tickets if row.solved_at is not None]
    return TopicTimes(
        topic=topic, tickets=len(tickets), first_response=Durations.of(first), resolution=Durations.of(solved)
    )


def _topic_channels(*, since: dt.datetime, until: dt.datetime) -> TopicChannels:
    """Every ticket opened in the period, the shop's own included, by topic and channel: one query."""
    rows = (
        Ticket.objects.filter(created_at__gte=since, created_at__lt=until)
        .values("topic", "channel")
        .annotate(tickets=Count("id"))
        .order_by()
    )
    counted = {(row["topic"], row["channel"]): row["tickets"] for row in rows}
    channels = tuple(channel for channel in Channel.values if any(key[1] == channel for key in counted))
    return TopicChannels(
        channels=channels,
        rows=[
            TopicChannelRow(topic=topic, counts=tuple(counted.get((topic, channel), 0) for channel in channels))
            for topic in Topic.values
            if any(key[0] == topic for key in counted)
        ],
    )
