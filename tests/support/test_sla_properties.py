"""Properties of the SLA clock checked with generated calendars, moments and pauses: adding working
minutes and counting them back agree, counts add up over adjoining spans, and pauses only ever
take time away."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from emporos.support.sla import ALL_WEEK, END_OF_DAY, Pause, WorkingCalendar, due_at, promise, working_minutes

CALENDARS = [
    WorkingCalendar(ZoneInfo("Europe/Athens"), frozenset({1, 2, 3, 4, 5}), dt.time(9), dt.time(17), "GR"),
    WorkingCalendar(ZoneInfo("Europe/Warsaw"), frozenset({1, 2, 3, 4, 5}), dt.time(8), dt.time(16), "PL"),
    WorkingCalendar(ZoneInfo("Asia/Jerusalem"), frozenset({7, 1, 2, 3, 4}), dt.time(8, 30), dt.time(17, 30), "IL"),
    WorkingCalendar.always(),
    WorkingCalendar(ZoneInfo("Europe/Athens"), ALL_WEEK, dt.time(0), END_OF_DAY),
    # Hours that hold the spring and autumn clock changes.
    WorkingCalendar(ZoneInfo("Europe/Warsaw"), ALL_WEEK, dt.time(1), dt.time(4)),
    WorkingCalendar(ZoneInfo("Asia/Jerusalem"), ALL_WEEK, dt.time(0, 15), dt.time(6, 45), "IL"),
    WorkingCalendar(ZoneInfo("Europe/Athens"), ALL_WEEK, dt.time(3, 30), dt.time(5)),
]
EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
FOUR_YEARS_SECONDS = 4 * 366 * 24 * 3600

calendars = st.sampled_from(CALENDARS)
# Moments to the microsecond across 2024-2027, clock changes and holidays included.
moments = st.builds(
    lambda seconds, microseconds: EPOCH + dt.timedelta(seconds=seconds, microseconds=microseconds),
    st.integers(0, FOUR_YEARS_SECONDS),
    st.integers(0, 999_999),
)
minutes = st.integers(0, 20_000)
PROPERTIES = settings(max_examples=300, deadline=None, derandomize=True, database=None)


@PROPERTIES
@given(calendar=calendars, start=moments, amount=minutes)
def test_minutes_added_are_counted_back(calendar: WorkingCalendar, start: dt.datetime, amount: int) -> None:
    end = calendar.add(start, amount)

    assert calendar.minutes_between(start, end) == amount
    assert calendar.working_time(start, end) == dt.timedelta(minutes=amount)
    assert end.tzinfo is dt.UTC


@PROPERTIES
@given(calendar=calendars, start=moments, amount=st.integers(1, 20_000))
def test_added_minutes_end_at_a_working_moment(calendar: WorkingCalendar, start: dt.datetime, amount: int) -> None:
    end = calendar.add(start, amount)

    # The last working minute was just before `end`: open then, or `end` is the closing moment.
    assert calendar.is_open(end - dt.timedelta(microseconds=1))


@PROPERTIES
@given(calendar=calendars, first=moments, second=moments, third=moments)
def test_counts_add_up_over_adjoining_spans(
    calendar: WorkingCalendar, first: dt.datetime, second: dt.datetime, third: dt.datetime
) -> None:
    start, middle, end = sorted([first, second, third])

    assert calendar.working_time(start, end) == calendar.working_time(start, middle) + calendar.working_time(
        middle, end
    )


@PROPERTIES
@given(calendar=calendars, start=moments)
def test_next_open_is_open_and_nothing_works_before_it(calendar: WorkingCalendar, start: dt.datetime) -> None:
    opening = calendar.next_open(start)

    assert calendar.is_open(opening)
    assert calendar.working_time(start, opening) == dt.timedelta(0)


pauses = st.lists(
    st.builds(
        lambda started_at, length_minutes: Pause(started_at, started_at + dt.timedelta(minutes=length_minutes)),
        moments,
        st.integers(0, 7 * 24 * 60),
    ),
    max_size=4,
)


@PROPERTIES
@given(calendar=calendars, start=moments, target=minutes, stops=pauses)
def test_due_at_counts_exactly_the_target_outside_pauses(
    calendar: WorkingCalendar, start: dt.datetime, target: int, stops: list[Pause]
) -> None:
    due = due_at(calendar, start, target, stops)

    assert due is not None  # every pause here has ended
    assert working_minutes(calendar, start, due, stops) == target
    assert due >= calendar.add(start, target)


@PROPERTIES
@given(calendar=calendars, start=moments, end=moments, stops=pauses)
def test_pauses_only_take_time_away(
    calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime, stops: list[Pause]
) -> None:
    assert working_minutes(calendar, start, end, stops) <= calendar.minutes_between(start, end)


@PROPERTIES
@given(
    calendar=calendars,
    now=moments,
    target=st.integers(0, 3000),
    backlog_ahead=st.integers(0, 50),
    minutes_per_ticket=st.integers(0, 60),
    agents=st.integers(0, 5),
    round_to=st.sampled_from([1, 5, 15, 30]),
)
def test_a_promise_is_open_on_the_clock_grid_and_never_early(
    calendar: WorkingCalendar,
    now: dt.datetime,
    target: int,
    backlog_ahead: int,
    minutes_per_ticket: int,
    agents: int,
    round_to: int,
) -> None:
    needed = max(target, -(-backlog_ahead * minutes_per_ticket // max(agents, 1)))

    result = promise(
        calendar,
        now=now,
        target_minutes=target,
        backlog_ahead=backlog_ahead,
        minutes_per_ticket=minutes_per_ticket,
        agents=agents,
        round_to=round_to,
    )

    local = result.reply_by.astimezone(calendar.time_zone)
    assert calendar.is_open(result.reply_by)
    assert (local.hour * 60 + local.minute) % round_to == 0
    assert (local.second, local.microsecond) == (0, 0)
    assert result.reply_by >= calendar.add(now, needed)
    assert result.minutes == calendar.minutes_between(now, result.reply_by) >= needed
