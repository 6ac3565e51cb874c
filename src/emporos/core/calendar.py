"""Business hours (when is `start` plus N working hours?) and working days with public holidays."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import holidays


@dataclass(frozen=True)
class BusinessHours:
    time_zone: ZoneInfo
    days: frozenset[int]  # ISO weekdays, Monday is 1
    opens_at: dt.time
    closes_at: dt.time

    def add_working_time(self, start: dt.datetime, hours: Decimal) -> dt.datetime:
        """The moment when `hours` of business time have passed since `start` (aware, UTC)."""
        remaining = dt.timedelta(seconds=float(hours) * 3600)
        if not self.days or self.opens_at >= self.closes_at:
            return start + remaining
        cursor = start.astimezone(self.time_zone)
        for _ in range(366 * 2):
            day = cursor.date()
            opens = dt.datetime.combine(day, self.opens_at, self.time_zone)
            closes = dt.datetime.combine(day, self.closes_at, self.time_zone)
            if day.isoweekday() in self.days and cursor < closes:
                begin = max(cursor, opens)
                available = closes - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(dt.UTC)
                remaining -= available
            cursor = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), self.time_zone)
        return start + remaining


# Weekdays (ISO, Monday is 1) on which parcels move, where the working week is not Monday-Friday.
_WORKING_WEEK = {"IL": frozenset({7, 1, 2, 3, 4})}
_MONDAY_TO_FRIDAY = frozenset({1, 2, 3, 4, 5})


@functools.lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:  # a country the package does not know: weekends only
        return frozenset()


@dataclass(frozen=True)
class WorkingDays:
    """A country's working days: its working week without its public holidays (the `holidays`
    package). Used for dispatch days, delivery promises and, later, legal deadlines."""

    country: str
    weekdays: frozenset[int] = _MONDAY_TO_FRIDAY

    @classmethod
    def of(cls, country: str, weekdays: frozenset[int] | None = None) -> WorkingDays:
        code = country.upper()
        return cls(code, weekdays if weekdays is not None else _WORKING_WEEK.get(code, _MONDAY_TO_FRIDAY))

    def is_working_day(self, day: dt.date) -> bool:
        return day.isoweekday() in self.weekdays and day not in _holidays(self.country, day.year)

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` itself when it is a working day, else the first working day after it."""
        for _ in range(366):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The working day `count` working days after `day` (`day` itself, or the next working day, for 0)."""
        day = self.next_working_day(day)
        for _ in range(count):
            day = self.next_working_day(day + dt.timedelta(days=1))
        return day
