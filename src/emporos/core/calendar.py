"""Business hours: when is `start` plus N working hours? (Public holidays come with shipping.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo


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
