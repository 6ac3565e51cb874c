"""The support desk's SLA clock, as pure functions: working minutes between two moments, when a
target falls due, how much of it is left, and the reply-by time promised to a customer.

Working time is counted in the calendar's local time zone, one local day at a time: a day's open
window runs from `opens_at` to `closes_at` by the local clock, turned into instants, so a day on
which the clocks change counts the minutes that really pass. Every moment in and out is aware;
moments out are in UTC.

Pauses stop the clock (the desk waits for the customer); they may overlap, lie outside the
measured span, or still be open (`ended_at=None`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from emporos.core.calendar import WorkingDays

MINUTE = dt.timedelta(minutes=1)
ALL_WEEK = frozenset(range(1, 8))
# `closes_at=END_OF_DAY` means open until midnight, the start of the next local day.
END_OF_DAY = dt.time.max
# More closed days in a row than any real calendar has: a guard against looping forever.
_LONGEST_CLOSED_STRETCH_DAYS = 400

Window = tuple[dt.datetime, dt.datetime]


def _utc(at: dt.datetime, name: str = "moment") -> dt.datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"The {name} {at.isoformat()} has no time zone; pass an aware datetime.")
    return at.astimezone(dt.UTC)


def _local_instant(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The instant (UTC) at which the local clock of `zone` first shows `time` on `day`.

    A time repeated when the clocks go back is its first occurrence; a time skipped when they go
    forward is the moment of the jump (the clock is past `time` from then on)."""
    wall = dt.datetime.combine(day, time)
    earlier = wall.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)
    if earlier.astimezone(zone).replace(tzinfo=None) == wall:
        return earlier
    # Skipped: fold=1 reads `wall` with the offset after the jump (an instant before it), fold=0
    # with the offset before (an instant after it); the jump lies between, on a whole second.
    before = int(wall.replace(tzinfo=zone, fold=1).timestamp())
    after = int(earlier.timestamp())
    offset_after = earlier.astimezone(zone).utcoffset()
    while after - before > 1:
        middle = (before + after) // 2
        if dt.datetime.fromtimestamp(middle, zone).utcoffset() == offset_after:
            after = middle
        else:
            before = middle
    return dt.datetime.fromtimestamp(after, dt.UTC)


@dataclass(frozen=True)
class WorkingCalendar:
    """When the desk works: `days` (ISO weekdays, Monday is 1) from `opens_at` to `closes_at` local
    time in `time_zone`, closed all day on the public holidays of `country` ("" for none).

    `closes_at=END_OF_DAY` (`dt.time.max`) means until midnight. Opening hours that cross midnight
    are not supported. The working week is exactly `days`: pass Sunday to Thursday for Israel."""

    time_zone: ZoneInfo
    days: frozenset[int]
    opens_at: dt.time
    closes_at: dt.time
    country: str = ""

    def __post_init__(self) -> None:
        if not self.days or not self.days <= ALL_WEEK:
            raise ValueError(f"days must be ISO weekdays from 1 (Monday) to 7 (Sunday), at least one; got {self.days}.")
        if self.opens_at.tzinfo is not None or self.closes_at.tzinfo is not None:
            raise ValueError("opens_at and closes_at are local clock times; pass them without a time zone.")
        if self.closes_at <= self.opens_at:
            raise ValueError(
                f"closes_at ({self.closes_at}) must be after opens_at ({self.opens_at}): opening hours that cross "
                "midnight are not supported; close at END_OF_DAY and open the next day at 00:00 instead."
            )

    @classmethod
    def always(cls) -> WorkingCalendar:
        """Round the clock, every day, no holidays: for SLAs counted in calendar time."""
        return cls(ZoneInfo("UTC"), ALL_WEEK, dt.time(0), END_OF_DAY)

    def is_working_day(self, day: dt.date) -> bool:
        if day.isoweekday() not in self.days:
            return False
        return not self.country or WorkingDays.of(self.country, self.days).is_working_day(day)

    def window(self, day: dt.date) -> Window | None:
        """The open window [opens, closes) of local `day` as UTC instants, None on a closed day."""
        if not self.is_working_day(day):
            return None
        opens = _local_instant(day, self.opens_at, self.time_zone)
        if self.closes_at == END_OF_DAY:
            return opens, _local_instant(day + dt.timedelta(days=1), dt.time(0), self.time_zone)
        return opens, _local_instant(day, self.closes_at, self.time_zone)

    def _windows(self, start: dt.datetime) -> Iterator[Window]:
        """The open windows that end after `start` (UTC), in order, the first one cut to begin no
        earlier than `start`."""
        day = start.astimezone(self.time_zone).date()
        closed_days = 0
        while closed_days < _LONGEST_CLOSED_STRETCH_DAYS:
            window = self.window(day)
            closed_days = closed_days + 1 if window is None else 0
            if window is not None and window[1] > start:
                yield max(window[0], start), window[1]
            day += dt.timedelta(days=1)
        raise ValueError(f"The calendar has no open day in {_LONGEST_CLOSED_STRETCH_DAYS} days after {day}.")

    def is_open(self, at: dt.datetime) -> bool:
        at = _utc(at)
        window = self.window(at.astimezone(self.time_zone).date())
        return window is not None and window[0] <= at < window[1]

    def next_open(self, at: dt.datetime) -> dt.datetime:
        """`at` itself (in UTC) when the desk is open then, else the next opening."""
        return next(self._windows(_utc(at)))[0]

    def add(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The moment (UTC) at which `minutes` working minutes have passed since `start`.

        0 minutes from a closed moment is the next opening; time used up exactly at closing is
        the closing moment."""
        if minutes < 0:
            raise ValueError(f"minutes must not be negative; got {minutes}.")
        return self.add_time(_utc(start), minutes * MINUTE)

    def add_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """`add` for a timedelta of working time (exact to the microsecond)."""
        if amount < dt.timedelta(0):
            raise ValueError(f"The working time to add must not be negative; got {amount}.")
        for opens, closes in self._windows(_utc(start)):
            if amount <= closes - opens:
                return opens + amount
            amount -= closes - opens
        raise AssertionError("unreachable: _windows never ends")  # pragma: no cover

    def working_time(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """The working time in [start, end) (zero when end <= start), exact to the microsecond."""
        start, end = _utc(start), _utc(end)
        total = dt.timedelta(0)
        if end <= start:
            return total
        for opens, closes in self._windows(start):
            if opens >= end:
                break
            total += min(closes, end) - opens
        return total

    def minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working minutes in [start, end), rounded down; 0 when end <= start."""
        return self.working_time(start, end) // MINUTE


@dataclass(frozen=True)
class Pause:
    """The clock stopped (waiting for the customer) from `started_at` to `ended_at`; an open pause
    (`ended_at=None`) still holds it."""

    started_at: dt.datetime
    ended_at: dt.datetime | None

    def __post_init__(self) -> None:
        started_at = _utc(self.started_at, "pause start")
        if self.ended_at is not None and _utc(self.ended_at, "pause end") < started_at:
            raise ValueError(f"A pause must end after it starts; got {self.started_at} to {self.ended_at}.")


def _merged(pauses: Sequence[Pause], after: dt.datetime) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The stretches during which the clock is stopped after `after`, in order and disjoint; an
    open stretch (None) can only be the last one."""
    stretches: list[tuple[dt.datetime, dt.datetime | None]] = []
    for pause in sorted(pauses, key=lambda pause: _utc(pause.started_at)):
        started_at = _utc(pause.started_at)
        ended_at = None if pause.ended_at is None else _utc(pause.ended_at)
        if ended_at is not None and (ended_at <= after or ended_at <= started_at):
            continue
        if stretches and (stretches[-1][1] is None or started_at <= stretches[-1][1]):
            last_start, last_end = stretches[-1]
            stretches[-1] = (last_start, None if last_end is None or ended_at is None else max(last_end, ended_at))
        else:
            stretches.append((started_at, ended_at))
    return stretches


def _counted_time(
    calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime, pauses: Sequence[Pause]
) -> dt.timedelta:
    start, end = _utc(start), _utc(end)
    total = dt.timedelta(0)
    cursor = start
    for stopped_at, resumed_at in _merged(pauses, start):
        total += calendar.working_time(cursor, min(stopped_at, end))
        if resumed_at is None or resumed_at >= end:
            return total
        cursor = max(cursor, resumed_at)
    return total + calendar.working_time(cursor, end)


def working_minutes(
    calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime, pauses: Sequence[Pause] = ()
) -> int:
    """Whole working minutes in [start, end) outside every pause, rounded down (0 when end <= start)."""
    return _counted_time(calendar, start, end, pauses) // MINUTE


def due_at(
    calendar: WorkingCalendar, start: dt.datetime, target_minutes: int, pauses: Sequence[Pause] = ()
) -> dt.datetime | None:
    """The moment (UTC) at which `target_minutes` of working, unpaused time have passed since
    `start`; None while an open pause holds the clock and the target was not reached before that
    pause began (the due time is unknown until the customer answers)."""
    if target_minutes < 0:
        raise ValueError(f"target_minutes must not be negative; got {target_minutes}.")
    remaining = target_minutes * MINUTE
    cursor = _utc(start)
    for stopped_at, resumed_at in _merged(pauses, cursor):
        reached_at = calendar.add_time(cursor, remaining)
        if reached_at <= stopped_at:
            return reached_at
        remaining -= calendar.working_time(cursor, stopped_at)
        if resumed_at is None:
            return None
        cursor = max(cursor, resumed_at)
    return calendar.add_time(cursor, remaining)


def remaining_minutes(
    calendar: WorkingCalendar,
    start: dt.datetime,
    target_minutes: int,
    now: dt.datetime,
    pauses: Sequence[Pause] = (),
) -> int:
    """Working minutes left before the target at `now`, rounded down: 0 means less than a minute
    is left (or the target is reached right now), negative means breached by that many minutes."""
    return (target_minutes * MINUTE - _counted_time(calendar, start, now, pauses)) // MINUTE


@dataclass(frozen=True)
class Promise:
    reply_by: dt.datetime
    minutes: int  # working minutes from the promise to `reply_by`


def _ceiling_division(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def _round_up_on_the_clock(at: dt.datetime, zone: ZoneInfo, round_to: int) -> dt.datetime:
    """The first moment at or after `at` whose local clock time is a whole multiple of `round_to`
    minutes since midnight."""
    local = at.astimezone(zone)
    since_midnight = dt.timedelta(
        hours=local.hour, minutes=local.minute, seconds=local.second, microseconds=local.microsecond
    )
    return at + (-since_midnight) % (round_to * MINUTE)


def promise(
    calendar: WorkingCalendar,
    *,
    now: dt.datetime,
    target_minutes: int,
    backlog_ahead: int,
    minutes_per_ticket: int,
    agents: int,
    round_to: int = 15,
) -> Promise:
    """The reply-by time promised to a customer whose ticket arrives at `now`.

    The rule:
    1. Working minutes needed: the SLA target, or longer when the tickets ahead (due before this
       one) need more: ceil(backlog_ahead * minutes_per_ticket / max(agents, 1)).
    2. The moment those working minutes have passed (`WorkingCalendar.add`).
    3. Rounded up to the next whole `round_to` minutes of local clock time, since a person reads
       "by 11:15", never "by 11:07".
    4. A promise must fall while the desk is open: one that lands at closing time or later (the
       rounding may push it there) moves to the next opening, rounded up again the same way.
       The working time that did not fit before closing is already carried into the next open
       day by step 2.
    If the opening hours hold no whole `round_to` moment at all, the promise is the unrounded
    moment of step 2, or the next opening when that moment is the closing time.

    `Promise.minutes` is the working time from `now` to the promise, whole minutes rounded down;
    never less than the minutes needed.
    """
    for name, value in {
        "target_minutes": target_minutes,
        "backlog_ahead": backlog_ahead,
        "minutes_per_ticket": minutes_per_ticket,
    }.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative; got {value}.")
    if round_to < 1:
        raise ValueError(f"round_to must be at least 1 minute; got {round_to}.")
    backlog_minutes = _ceiling_division(backlog_ahead * minutes_per_ticket, max(agents, 1))
    reached_at = calendar.add(now, max(target_minutes, backlog_minutes))
    reply_by = reached_at
    for _attempt in range(3):  # the next opening holds a whole moment unless the hours are too short
        reply_by = _round_up_on_the_clock(calendar.next_open(reply_by), calendar.time_zone, round_to)
        if calendar.is_open(reply_by):
            break
    else:
        reply_by = calendar.next_open(reached_at)
    return Promise(reply_by=reply_by, minutes=calendar.minutes_between(now, reply_by))
