"""The one clock. Tests freeze it with `frozen_at(...)`; code never calls datetime.now()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current time, aware, in UTC."""
    return _frozen if _frozen is not None else timezone.now()


@contextmanager
def frozen_at(moment: dt.datetime) -> Iterator[None]:
    """Stop the clock at an aware `moment` for the duration of the block."""
    global _frozen
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    previous, _frozen = _frozen, moment
    try:
        yield
    finally:
        _frozen = previous


# Moments taken from outside (when an order was placed, a list's date filter) lie between the
# year 2000 and the end of 2100: anything else is a typo, and year 1 or 9999 cannot even be shown
# in every time zone.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2101, 1, 1, tzinfo=dt.UTC)


def moment_problem(value: dt.datetime, *, latest: dt.datetime = LATEST) -> str | None:
    """Why `value` is not a usable moment (naive, or outside EARLIEST..latest); None when it is."""
    if value.tzinfo is None or value.utcoffset() is None:
        return "Give the time with its time zone, e.g. 2026-11-24T10:00:00Z."
    if value < EARLIEST:
        return "Give a time from 2000-01-01 on."
    if value > latest:
        return f"Give a time up to {latest.isoformat(timespec='minutes')}."
    return None
