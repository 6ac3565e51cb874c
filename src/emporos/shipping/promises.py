"""When a parcel leaves and when it arrives: dispatch by the shop's cut-offs and working days,
transit in the destination's working days (public holidays of both countries included)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from emporos.core.calendar import WorkingDays


@dataclass(frozen=True)
class Dispatch:
    """How the shop dispatches: its time zone, working days and the day's cut-off times."""

    time_zone: ZoneInfo
    working_days: WorkingDays
    cutoffs: tuple[dt.time, ...]

    def day(self, moment: dt.datetime) -> dt.date:
        """The day an order placed at `moment` leaves: that day if it is a working day and the
        order is in by a cut-off, else the next working day."""
        local = moment.astimezone(self.time_zone)
        today = local.date()
        last_cutoff = max(self.cutoffs) if self.cutoffs else dt.time(23, 59)
        if self.working_days.is_working_day(today) and local.time() <= last_cutoff:
            return today
        return self.working_days.next_working_day(today + dt.timedelta(days=1))


@dataclass(frozen=True)
class Window:
    earliest: dt.date
    latest: dt.date


def delivery_window(
    *, placed_at: dt.datetime, dispatch: Dispatch, destination: WorkingDays, transit_min: int, transit_max: int
) -> Window:
    """The days a parcel ordered at `placed_at` is promised to arrive."""
    leaves = dispatch.day(placed_at)
    return Window(
        earliest=destination.add_working_days(leaves, transit_min),
        latest=destination.add_working_days(leaves, transit_max),
    )
