"""The SLA clock, as tables: every expected moment worked out by hand from the calendar, the
country's public holidays and the time zone's clock changes, never by the code under test."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from emporos.support.sla import (
    ALL_WEEK,
    END_OF_DAY,
    Pause,
    Promise,
    WorkingCalendar,
    due_at,
    promise,
    remaining_minutes,
    working_minutes,
)

ATHENS = ZoneInfo("Europe/Athens")
WARSAW = ZoneInfo("Europe/Warsaw")
JERUSALEM = ZoneInfo("Asia/Jerusalem")
KOLKATA = ZoneInfo("Asia/Kolkata")
MONDAY_TO_FRIDAY = frozenset({1, 2, 3, 4, 5})
SUNDAY_TO_THURSDAY = frozenset({7, 1, 2, 3, 4})

PLAIN = WorkingCalendar(ATHENS, MONDAY_TO_FRIDAY, dt.time(9), dt.time(17))
GREECE = WorkingCalendar(ATHENS, MONDAY_TO_FRIDAY, dt.time(9), dt.time(17), "GR")
GREECE_SATURDAYS = WorkingCalendar(ATHENS, frozenset({1, 2, 3, 4, 5, 6}), dt.time(9), dt.time(17), "GR")
POLAND = WorkingCalendar(WARSAW, MONDAY_TO_FRIDAY, dt.time(8), dt.time(16), "PL")
ISRAEL = WorkingCalendar(JERUSALEM, SUNDAY_TO_THURSDAY, dt.time(9), dt.time(17), "IL")
ALWAYS = WorkingCalendar.always()
# Calendars whose hours hold a clock change: Athens jumps 03:00 -> 04:00 on 29 March 2026 and goes
# back 04:00 -> 03:00 on 25 October; Warsaw 02:00 -> 03:00 and 03:00 -> 02:00 the same days;
# Jerusalem 02:00 -> 03:00 on Friday 27 March and 02:00 -> 01:00 on Sunday 25 October.
ATHENS_ROUND_THE_CLOCK = WorkingCalendar(ATHENS, ALL_WEEK, dt.time(0), END_OF_DAY)
ATHENS_SMALL_HOURS = WorkingCalendar(ATHENS, ALL_WEEK, dt.time(3, 30), dt.time(5))
WARSAW_NIGHT = WorkingCalendar(WARSAW, ALL_WEEK, dt.time(1), dt.time(4))
JERUSALEM_NIGHT = WorkingCalendar(JERUSALEM, ALL_WEEK, dt.time(0), dt.time(6))
ISRAEL_NIGHT = WorkingCalendar(JERUSALEM, SUNDAY_TO_THURSDAY, dt.time(0), dt.time(6), "IL")
KOLKATA_ROUND_THE_CLOCK = WorkingCalendar(KOLKATA, ALL_WEEK, dt.time(0), END_OF_DAY)
# Opens off the quarter hour, to see promises rounded into the opening hours.
OFF_GRID = WorkingCalendar(ATHENS, MONDAY_TO_FRIDAY, dt.time(8, 50), dt.time(17))


def athens(*fields: int, fold: int = 0) -> dt.datetime:
    return dt.datetime(*fields, tzinfo=ATHENS, fold=fold)


def warsaw(*fields: int) -> dt.datetime:
    return dt.datetime(*fields, tzinfo=WARSAW)


def jerusalem(*fields: int) -> dt.datetime:
    return dt.datetime(*fields, tzinfo=JERUSALEM)


def utc(*fields: int) -> dt.datetime:
    return dt.datetime(*fields, tzinfo=dt.UTC)


def in_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """Expected moments in UTC: an aware time in a repeated hour never equals one in another zone."""
    return None if moment is None else moment.astimezone(dt.UTC)


# (calendar, start, minutes, expected moment)
ADD_CASES = [
    pytest.param(PLAIN, athens(2026, 3, 20, 16, 30), 60, athens(2026, 3, 23, 9, 30), id="friday-evening-to-monday"),
    pytest.param(PLAIN, athens(2026, 3, 2, 10), 90, athens(2026, 3, 2, 11, 30), id="within-the-day"),
    pytest.param(PLAIN, athens(2026, 3, 2, 16), 60, athens(2026, 3, 2, 17), id="used-up-exactly-at-closing"),
    pytest.param(PLAIN, athens(2026, 3, 2, 7), 30, athens(2026, 3, 2, 9, 30), id="before-opening"),
    pytest.param(PLAIN, athens(2026, 3, 2, 9), 5 * 8 * 60, athens(2026, 3, 6, 17), id="a-whole-working-week"),
    pytest.param(PLAIN, athens(2026, 3, 21, 12), 0, athens(2026, 3, 23, 9), id="zero-from-saturday-is-monday-opening"),
    pytest.param(PLAIN, athens(2026, 3, 2, 10, 7), 0, athens(2026, 3, 2, 10, 7), id="zero-while-open-is-now"),
    pytest.param(PLAIN, athens(2026, 3, 24, 16, 30), 60, athens(2026, 3, 25, 9, 30), id="no-country-no-holiday"),
    pytest.param(GREECE, athens(2026, 3, 24, 16, 30), 60, athens(2026, 3, 26, 9, 30), id="GR-25-march"),
    pytest.param(GREECE, athens(2026, 4, 9, 16, 30), 60, athens(2026, 4, 14, 9, 30), id="GR-good-friday-easter-monday"),
    pytest.param(GREECE, athens(2025, 8, 14, 16, 30), 60, athens(2025, 8, 18, 9, 30), id="GR-15-august-friday"),
    pytest.param(
        GREECE_SATURDAYS, athens(2026, 8, 14, 16, 30), 60, athens(2026, 8, 17, 9, 30), id="GR-15-august-saturday-shop"
    ),
    pytest.param(POLAND, warsaw(2026, 11, 10, 15, 30), 60, warsaw(2026, 11, 12, 8, 30), id="PL-11-november"),
    pytest.param(POLAND, warsaw(2026, 12, 23, 15, 30), 60, warsaw(2026, 12, 28, 8, 30), id="PL-christmas-eve-2026"),
    pytest.param(
        POLAND, warsaw(2024, 12, 23, 15, 30), 60, warsaw(2024, 12, 24, 8, 30), id="PL-christmas-eve-2024-open"
    ),
    pytest.param(ISRAEL, jerusalem(2026, 9, 17, 16, 30), 60, jerusalem(2026, 9, 20, 9, 30), id="IL-shabbat-to-sunday"),
    pytest.param(ISRAEL, jerusalem(2026, 9, 20, 16, 30), 60, jerusalem(2026, 9, 22, 9, 30), id="IL-yom-kippur"),
    pytest.param(
        ISRAEL, jerusalem(2026, 9, 10, 16, 30), 60, jerusalem(2026, 9, 14, 9, 30), id="IL-rosh-hashanah-sunday"
    ),
    pytest.param(ALWAYS, utc(2026, 3, 21, 23, 30), 90, utc(2026, 3, 22, 1), id="always-through-midnight"),
    pytest.param(ALWAYS, utc(2026, 3, 20, 16, 30), 7 * 24 * 60, utc(2026, 3, 27, 16, 30), id="always-a-week"),
    pytest.param(
        ATHENS_ROUND_THE_CLOCK, athens(2026, 3, 29, 2, 30), 60, athens(2026, 3, 29, 4, 30), id="athens-spring-forward"
    ),
    pytest.param(
        ATHENS_ROUND_THE_CLOCK,
        athens(2026, 10, 25, 3, 30),
        60,
        athens(2026, 10, 25, 3, 30, fold=1),
        id="athens-fall-back-same-clock-time-again",
    ),
    pytest.param(WARSAW_NIGHT, warsaw(2026, 3, 29, 1, 30), 60, warsaw(2026, 3, 29, 3, 30), id="warsaw-spring-forward"),
    pytest.param(WARSAW_NIGHT, warsaw(2026, 3, 29, 1, 30), 120, warsaw(2026, 3, 30, 1, 30), id="warsaw-short-night"),
    pytest.param(POLAND, warsaw(2026, 3, 27, 15, 30), 60, warsaw(2026, 3, 30, 8, 30), id="warsaw-change-on-a-weekend"),
]


@pytest.mark.parametrize(("calendar", "start", "minutes", "expected"), ADD_CASES)
def test_add(calendar: WorkingCalendar, start: dt.datetime, minutes: int, expected: dt.datetime) -> None:
    result = calendar.add(start, minutes)

    assert result == in_utc(expected)
    assert result.tzinfo is dt.UTC


# (calendar, start, end, expected working minutes)
MINUTES_BETWEEN_CASES = [
    pytest.param(PLAIN, athens(2026, 3, 2, 10), athens(2026, 3, 2, 12, 30), 150, id="within-the-day"),
    pytest.param(PLAIN, athens(2026, 3, 2, 16), athens(2026, 3, 3, 10), 120, id="across-a-night"),
    pytest.param(PLAIN, athens(2026, 3, 20, 16), athens(2026, 3, 23, 10), 120, id="across-a-weekend"),
    pytest.param(PLAIN, athens(2026, 3, 2, 0), athens(2026, 3, 9, 0), 2400, id="a-whole-week"),
    pytest.param(PLAIN, athens(2026, 3, 21, 8), athens(2026, 3, 22, 20), 0, id="weekend-only"),
    pytest.param(PLAIN, athens(2026, 3, 2, 12), athens(2026, 3, 2, 11), 0, id="end-before-start"),
    pytest.param(PLAIN, athens(2026, 3, 2, 12), athens(2026, 3, 2, 12), 0, id="empty-span"),
    pytest.param(PLAIN, athens(2026, 3, 2, 10, 0, 0), athens(2026, 3, 2, 10, 1, 59), 1, id="seconds-rounded-down"),
    pytest.param(GREECE, athens(2026, 3, 24, 16), athens(2026, 3, 26, 10), 120, id="GR-25-march"),
    pytest.param(GREECE, athens(2026, 4, 9, 16), athens(2026, 4, 14, 10), 120, id="GR-orthodox-easter"),
    pytest.param(POLAND, warsaw(2026, 12, 23, 15), warsaw(2026, 12, 28, 9), 120, id="PL-christmas"),
    pytest.param(ISRAEL, jerusalem(2026, 9, 17, 16), jerusalem(2026, 9, 20, 10), 120, id="IL-shabbat-sunday-open"),
    pytest.param(ISRAEL, jerusalem(2026, 9, 20, 16), jerusalem(2026, 9, 22, 10), 120, id="IL-yom-kippur"),
    pytest.param(ALWAYS, utc(2026, 3, 20, 12), utc(2026, 3, 27, 12), 7 * 24 * 60, id="always-a-week"),
    pytest.param(ALWAYS, athens(2026, 3, 28, 12), athens(2026, 3, 29, 12), 23 * 60, id="always-counts-real-time"),
    pytest.param(ATHENS_ROUND_THE_CLOCK, athens(2026, 3, 29), athens(2026, 3, 30), 23 * 60, id="athens-23-hour-day"),
    pytest.param(ATHENS_ROUND_THE_CLOCK, athens(2026, 10, 25), athens(2026, 10, 26), 25 * 60, id="athens-25-hour-day"),
    pytest.param(ATHENS_ROUND_THE_CLOCK, athens(2026, 3, 28), athens(2026, 3, 29), 24 * 60, id="athens-ordinary-day"),
    pytest.param(ATHENS_SMALL_HOURS, athens(2026, 3, 29), athens(2026, 3, 30), 60, id="athens-opens-in-skipped-hour"),
    pytest.param(WARSAW_NIGHT, warsaw(2026, 3, 29), warsaw(2026, 3, 30), 120, id="warsaw-01-04-spring-forward"),
    pytest.param(WARSAW_NIGHT, warsaw(2026, 10, 25), warsaw(2026, 10, 26), 240, id="warsaw-01-04-fall-back"),
    pytest.param(WARSAW_NIGHT, warsaw(2026, 3, 28), warsaw(2026, 3, 29), 180, id="warsaw-01-04-ordinary"),
    pytest.param(POLAND, warsaw(2026, 3, 27, 15), warsaw(2026, 3, 30, 9), 120, id="warsaw-change-on-a-weekend"),
    pytest.param(JERUSALEM_NIGHT, jerusalem(2026, 3, 27), jerusalem(2026, 3, 28), 300, id="jerusalem-spring-forward"),
    pytest.param(ISRAEL_NIGHT, jerusalem(2026, 10, 25), jerusalem(2026, 10, 26), 420, id="jerusalem-fall-back-sunday"),
]


@pytest.mark.parametrize(("calendar", "start", "end", "expected"), MINUTES_BETWEEN_CASES)
def test_minutes_between(calendar: WorkingCalendar, start: dt.datetime, end: dt.datetime, expected: int) -> None:
    assert calendar.minutes_between(start, end) == expected
    assert working_minutes(calendar, start, end) == expected


# (calendar, moment, open then?, next opening)
OPEN_CASES = [
    pytest.param(PLAIN, athens(2026, 3, 2, 9), True, athens(2026, 3, 2, 9), id="at-opening"),
    pytest.param(PLAIN, athens(2026, 3, 2, 16, 59), True, athens(2026, 3, 2, 16, 59), id="last-minute"),
    pytest.param(PLAIN, athens(2026, 3, 2, 17), False, athens(2026, 3, 3, 9), id="at-closing"),
    pytest.param(PLAIN, athens(2026, 3, 21, 12), False, athens(2026, 3, 23, 9), id="saturday"),
    pytest.param(GREECE, athens(2026, 3, 25, 12), False, athens(2026, 3, 26, 9), id="GR-25-march"),
    pytest.param(GREECE, athens(2026, 4, 9, 17), False, athens(2026, 4, 14, 9), id="GR-easter"),
    pytest.param(POLAND, warsaw(2026, 12, 24, 10), False, warsaw(2026, 12, 28, 8), id="PL-christmas-eve"),
    pytest.param(ISRAEL, jerusalem(2026, 9, 20, 10), True, jerusalem(2026, 9, 20, 10), id="IL-sunday"),
    pytest.param(ISRAEL, jerusalem(2026, 9, 18, 10), False, jerusalem(2026, 9, 20, 9), id="IL-friday"),
    pytest.param(ISRAEL, jerusalem(2026, 9, 21, 10), False, jerusalem(2026, 9, 22, 9), id="IL-yom-kippur"),
    pytest.param(ALWAYS, utc(2026, 12, 25, 3), True, utc(2026, 12, 25, 3), id="always"),
    pytest.param(ATHENS_SMALL_HOURS, athens(2026, 3, 29, 2), False, athens(2026, 3, 29, 4), id="opens-at-the-jump"),
]


@pytest.mark.parametrize(("calendar", "moment", "is_open", "next_open"), OPEN_CASES)
def test_is_open_and_next_open(
    calendar: WorkingCalendar, moment: dt.datetime, is_open: bool, next_open: dt.datetime
) -> None:
    assert calendar.is_open(moment) is is_open
    assert calendar.next_open(moment) == in_utc(next_open)


# Monday 2 March 2026, 10:00 in Athens, a 240-minute target on 09:00-17:00 Monday to Friday:
# due at 14:00 when nothing stops the clock.
START = athens(2026, 3, 2, 10)
TARGET = 240


def monday(hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return athens(2026, 3, 2, hour, minute, second)


def tuesday(hour: int, minute: int = 0) -> dt.datetime:
    return athens(2026, 3, 3, hour, minute)


# (pauses, due moment, working minutes from START to Monday 15:00)
PAUSE_CASES = [
    pytest.param([], monday(14), 300, id="no-pause"),
    pytest.param([Pause(athens(2026, 2, 27, 11), athens(2026, 2, 27, 12))], monday(14), 300, id="before-start"),
    pytest.param([Pause(monday(16), tuesday(10))], monday(14), 300, id="after-target-closed"),
    pytest.param([Pause(monday(11), monday(12))], monday(15), 240, id="inside"),
    pytest.param(
        [Pause(monday(11), monday(12)), Pause(monday(11, 30), monday(12, 30))], monday(15, 30), 210, id="overlap"
    ),
    pytest.param(
        [Pause(monday(11, 30), monday(12, 30)), Pause(monday(11), monday(12))], monday(15, 30), 210, id="unsorted"
    ),
    pytest.param([Pause(monday(11), monday(13)), Pause(monday(11, 30), monday(12))], monday(16), 180, id="nested"),
    pytest.param([Pause(monday(11), monday(12)), Pause(monday(12), monday(13))], monday(16), 180, id="back-to-back"),
    pytest.param([Pause(athens(2026, 3, 1, 12), monday(11))], monday(15), 240, id="covers-start"),
    pytest.param([Pause(monday(11), monday(11))], monday(14), 300, id="empty-pause"),
    pytest.param([Pause(monday(15), None)], monday(14), 300, id="open-after-target"),
    pytest.param([Pause(monday(14), None)], monday(14), 240, id="open-from-the-due-moment"),
    pytest.param([Pause(monday(12), None)], None, 120, id="open-before-target"),
    pytest.param([Pause(monday(11), monday(12)), Pause(monday(13), None)], None, 120, id="closed-then-open"),
    pytest.param([Pause(monday(13), None), Pause(monday(11), monday(14))], None, 60, id="open-inside-a-closed-one"),
]


@pytest.mark.parametrize(("pauses", "due", "worked_by_three"), PAUSE_CASES)
def test_due_at_and_working_minutes_with_pauses(
    pauses: list[Pause], due: dt.datetime | None, worked_by_three: int
) -> None:
    assert due_at(PLAIN, START, TARGET, pauses) == in_utc(due)
    assert working_minutes(PLAIN, START, monday(15), pauses) == worked_by_three


# (start, target, pauses, due moment): the clock stopped across nights, weekends and holidays.
DUE_ACROSS_DAYS_CASES = [
    # 360 minutes by Monday 16:00, stopped until Tuesday 10:00, 120 more.
    pytest.param(PLAIN, START, 480, [Pause(monday(16), tuesday(10))], tuesday(12), id="pause-overnight"),
    pytest.param(PLAIN, START, 480, [], tuesday(10), id="overnight-no-pause"),
    # Paused over the weekend while the desk is closed anyway: nothing changes.
    pytest.param(
        PLAIN,
        athens(2026, 3, 20, 16),
        120,
        [Pause(athens(2026, 3, 20, 18), athens(2026, 3, 23, 8))],
        athens(2026, 3, 23, 10),
        id="pause-while-closed",
    ),
    pytest.param(
        GREECE,
        athens(2026, 3, 24, 16),
        120,
        [Pause(athens(2026, 3, 24, 16, 30), athens(2026, 3, 26, 9, 30))],
        athens(2026, 3, 26, 11),
        id="GR-pause-over-holiday",
    ),
    pytest.param(
        ISRAEL,
        jerusalem(2026, 9, 17, 16),
        120,
        [Pause(jerusalem(2026, 9, 18, 9), None)],
        None,
        id="IL-open-pause-on-friday",
    ),
]


@pytest.mark.parametrize(("calendar", "start", "target", "pauses", "due"), DUE_ACROSS_DAYS_CASES)
def test_due_at_across_days(
    calendar: WorkingCalendar, start: dt.datetime, target: int, pauses: list[Pause], due: dt.datetime | None
) -> None:
    assert due_at(calendar, start, target, pauses) == in_utc(due)


# (now, pauses, remaining minutes) against the 240-minute target from Monday 10:00.
REMAINING_CASES = [
    pytest.param(monday(12), [], 120, id="half-way"),
    pytest.param(monday(12), [Pause(monday(11), monday(12))], 180, id="paused-hour-not-counted"),
    pytest.param(monday(14), [], 0, id="at-the-due-moment"),
    pytest.param(monday(13, 59, 30), [], 0, id="under-a-minute-left"),
    pytest.param(monday(14, 0, 30), [], -1, id="breached-by-seconds"),
    pytest.param(monday(15, 30), [], -90, id="breached"),
    pytest.param(tuesday(12), [Pause(monday(12), None)], 120, id="open-pause-holds-the-clock"),
    pytest.param(tuesday(12), [], -360, id="breached-next-day"),
    pytest.param(monday(9), [], 240, id="before-start"),
]


@pytest.mark.parametrize(("now", "pauses", "expected"), REMAINING_CASES)
def test_remaining_minutes(now: dt.datetime, pauses: list[Pause], expected: int) -> None:
    assert remaining_minutes(PLAIN, START, TARGET, now, pauses) == expected


# (calendar, now, target, backlog ahead, minutes per ticket, agents, round_to, expected promise)
PROMISE_CASES = [
    pytest.param(PLAIN, monday(10, 7), 60, 0, 10, 2, 15, Promise(monday(11, 15), 68), id="rounded-up-to-quarter"),
    pytest.param(PLAIN, monday(10), 60, 0, 10, 2, 15, Promise(monday(11), 60), id="already-on-the-quarter"),
    pytest.param(PLAIN, monday(10, 7), 60, 0, 10, 2, 30, Promise(monday(11, 30), 83), id="rounded-to-half-hour"),
    pytest.param(PLAIN, monday(10, 0, 20), 60, 0, 10, 2, 1, Promise(monday(11, 1), 60), id="rounded-to-the-minute"),
    pytest.param(PLAIN, monday(10), 60, 7, 10, 3, 15, Promise(monday(11), 60), id="small-backlog-target-wins"),
    # 10 tickets x 15 minutes / 2 agents = 75 minutes > 60.
    pytest.param(PLAIN, monday(10), 60, 10, 15, 2, 15, Promise(monday(11, 15), 75), id="backlog-lengthens"),
    # 13 x 10 / 2 = 65 minutes: 11:05, read as 11:15.
    pytest.param(PLAIN, monday(10), 60, 13, 10, 2, 15, Promise(monday(11, 15), 75), id="backlog-then-rounded"),
    # 7 x 10 / 3 = 23.3 minutes, rounded up to 24.
    pytest.param(PLAIN, monday(10), 0, 7, 10, 3, 1, Promise(monday(10, 24), 24), id="backlog-ceiling"),
    pytest.param(PLAIN, monday(10), 60, 4, 30, 0, 15, Promise(monday(12), 120), id="no-agents-counts-as-one"),
    pytest.param(
        PLAIN,
        athens(2026, 3, 20, 16, 30),
        60,
        0,
        10,
        2,
        15,
        Promise(athens(2026, 3, 23, 9, 30), 60),
        id="friday-to-monday",
    ),
    pytest.param(PLAIN, monday(16), 50, 0, 10, 2, 15, Promise(tuesday(9), 60), id="rounded-onto-closing-moves"),
    pytest.param(PLAIN, monday(16), 60, 0, 10, 2, 15, Promise(tuesday(9), 60), id="due-at-closing-moves"),
    pytest.param(PLAIN, monday(16, 50), 20, 0, 10, 2, 15, Promise(tuesday(9, 15), 25), id="carried-over-then-rounded"),
    pytest.param(OFF_GRID, monday(8), 0, 0, 10, 2, 15, Promise(monday(9), 10), id="off-grid-opening-rounded-up"),
    pytest.param(OFF_GRID, monday(16, 55), 5, 0, 10, 2, 15, Promise(tuesday(9), 15), id="off-grid-next-day"),
    pytest.param(
        GREECE, athens(2026, 3, 24, 16, 30), 60, 0, 10, 2, 15, Promise(athens(2026, 3, 26, 9, 30), 60), id="GR-holiday"
    ),
    pytest.param(
        ISRAEL,
        jerusalem(2026, 9, 17, 16, 40),
        30,
        0,
        10,
        2,
        15,
        Promise(jerusalem(2026, 9, 20, 9, 15), 35),
        id="IL-to-sunday",
    ),
    pytest.param(
        ALWAYS, utc(2026, 3, 21, 23, 50), 60, 0, 10, 2, 15, Promise(utc(2026, 3, 22, 1), 70), id="always-over-midnight"
    ),
    # 10:07 in Kolkata (UTC+05:30) is 04:37 UTC; the quarter is read on the local clock: 10:15.
    pytest.param(
        KOLKATA_ROUND_THE_CLOCK,
        utc(2026, 3, 2, 4, 37),
        0,
        0,
        10,
        2,
        15,
        Promise(utc(2026, 3, 2, 4, 45), 8),
        id="local-clock-quarter",
    ),
]


@pytest.mark.parametrize(
    ("calendar", "now", "target", "backlog_ahead", "minutes_per_ticket", "agents", "round_to", "expected"),
    PROMISE_CASES,
)
def test_promise(
    calendar: WorkingCalendar,
    now: dt.datetime,
    target: int,
    backlog_ahead: int,
    minutes_per_ticket: int,
    agents: int,
    round_to: int,
    expected: Promise,
) -> None:
    result = promise(
        calendar,
        now=now,
        target_minutes=target,
        backlog_ahead=backlog_ahead,
        minutes_per_ticket=minutes_per_ticket,
        agents=agents,
        round_to=round_to,
    )

    assert result == Promise(in_utc(expected.reply_by), expected.minutes)  # type: ignore[arg-type]
    assert result.reply_by.tzinfo is dt.UTC


def test_promise_when_the_hours_hold_no_quarter_is_not_rounded() -> None:
    calendar = WorkingCalendar(ATHENS, MONDAY_TO_FRIDAY, dt.time(9, 1), dt.time(9, 14))

    result = promise(calendar, now=monday(8), target_minutes=5, backlog_ahead=0, minutes_per_ticket=10, agents=1)

    assert result == Promise(in_utc(monday(9, 6)), 5)  # type: ignore[arg-type]


def test_always_is_round_the_clock_in_utc_without_holidays() -> None:
    calendar = WorkingCalendar.always()

    assert (calendar.time_zone, calendar.days, calendar.opens_at, calendar.closes_at, calendar.country) == (
        ZoneInfo("UTC"),
        frozenset({1, 2, 3, 4, 5, 6, 7}),
        dt.time(0),
        dt.time.max,
        "",
    )


INVALID_CALENDARS = [
    pytest.param(
        {"opens_at": dt.time(17), "closes_at": dt.time(9)}, "must be after opens_at", id="closes-before-opens"
    ),
    pytest.param({"opens_at": dt.time(22), "closes_at": dt.time(6)}, "cross midnight", id="crosses-midnight"),
    pytest.param({"opens_at": dt.time(9), "closes_at": dt.time(9)}, "must be after opens_at", id="closes-when-opens"),
    pytest.param({"days": frozenset()}, "at least one", id="no-days"),
    pytest.param({"days": frozenset({0, 1})}, "from 1 \\(Monday\\) to 7", id="day-zero"),
    pytest.param({"opens_at": dt.time(9, tzinfo=dt.UTC)}, "without a time zone", id="aware-opening"),
]


@pytest.mark.parametrize(("changes", "message"), INVALID_CALENDARS)
def test_invalid_calendar_is_refused(changes: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {
        "time_zone": ATHENS,
        "days": MONDAY_TO_FRIDAY,
        "opens_at": dt.time(9),
        "closes_at": dt.time(17),
    } | changes

    with pytest.raises(ValueError, match=message):
        WorkingCalendar(**fields)  # type: ignore[arg-type]


def test_naive_moments_negative_minutes_and_backward_pauses_are_refused() -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        PLAIN.add(dt.datetime(2026, 3, 2, 10), 5)
    with pytest.raises(ValueError, match="must not be negative"):
        PLAIN.add(START, -1)
    with pytest.raises(ValueError, match="must not be negative"):
        PLAIN.add_time(START, dt.timedelta(seconds=-1))
    with pytest.raises(ValueError, match="must end after it starts"):
        Pause(monday(12), monday(11))
    with pytest.raises(ValueError, match="round_to must be at least 1"):
        promise(PLAIN, now=START, target_minutes=5, backlog_ahead=0, minutes_per_ticket=1, agents=1, round_to=0)
    with pytest.raises(ValueError, match="backlog_ahead must not be negative"):
        promise(PLAIN, now=START, target_minutes=5, backlog_ahead=-1, minutes_per_ticket=1, agents=1)
