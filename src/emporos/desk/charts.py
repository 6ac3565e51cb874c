"""A bar chart of counts per day, laid out for an inline SVG (no script, no library).

Right to left the time axis is mirrored: today is at the left edge, the oldest day at the right,
and the count axis stands on the right, as a Hebrew reader reads a line. Every label is positioned
with `text-anchor` start/end/middle in an SVG whose own direction is left to right, so the layout
is the same in every browser; each label's text keeps its own direction.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from babel import dates as babel_dates

from emporos.core import formats

WIDTH = 800
HEIGHT = 240
AXIS_GAP = 72  # room for the count labels beside the plot
TOP = 20
BOTTOM = 44  # room for the day labels under the plot
LABEL_EVERY = 7  # days between two day labels (a week: the labels never meet)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: dt.date
    count: int
    day_label: str  # "2 Dec", "2 Δεκ", "2 gru", "2 בדצמ׳"
    count_label: str  # the count as the language writes it


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str
    anchor: str  # "start", "middle" or "end", read in the label's own direction
    direction: str = "ltr"


@dataclass(frozen=True)
class DayChart:
    width: int
    height: int
    bars: list[Bar]
    count_ticks: list[Tick]  # horizontal grid lines with their counts
    day_ticks: list[Tick]
    plot_start: float  # the plot's left and right edges and its baseline
    plot_end: float
    baseline: float
    busiest: Bar | None  # the day with most orders (the latest of equals); None without any


def _tick_step(value: int) -> int:
    """The smallest of 1, 2 and 5 times a power of ten that four grid steps stack above `value`."""
    wanted = max(value / 4, 1)
    power = 10 ** math.floor(math.log10(wanted))
    for step in (1, 2, 5, 10):
        if step * power >= wanted:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def day_chart(counts: Sequence[tuple[dt.date, int]], *, language: str, right_to_left: bool) -> DayChart:
    """The geometry of a bar per day of `counts` (oldest first), labels in `language`."""
    locale = formats.locale_for(language)
    plot_start = 0.0 if right_to_left else float(AXIS_GAP)
    plot_end = float(WIDTH - AXIS_GAP) if right_to_left else float(WIDTH)
    plot_start += 4
    plot_end -= 4
    baseline = float(HEIGHT - BOTTOM)
    step_size = _tick_step(max((count for _, count in counts), default=0))
    top = 4 * step_size
    slot = (plot_end - plot_start) / max(len(counts), 1)
    bars = []
    for index, (day, count) in enumerate(counts):
        position = len(counts) - 1 - index if right_to_left else index
        height = (baseline - TOP) * count / top
        bars.append(
            Bar(
                x=round(plot_start + position * slot + slot * 0.15, 2),
                y=round(baseline - height, 2),
                width=round(slot * 0.7, 2),
                height=round(height, 2),
                day=day,
                count=count,
                day_label=babel_dates.format_skeleton("MMMd", day, locale=locale),
                count_label=formats.number(count, language=language),
            )
        )
    count_ticks = []
    for step in range(5):
        value = step_size * step
        y = round(baseline - (baseline - TOP) * step / 4, 2)
        x, anchor = (plot_end + 6, "start") if right_to_left else (plot_start - 6, "end")
        count_ticks.append(Tick(x=x, y=y, label=formats.number(value, language=language), anchor=anchor))
    day_ticks = []
    last = len(bars) - 1
    direction = "rtl" if right_to_left else "ltr"
    for index, bar in enumerate(bars):
        back = last - index
        if back % LABEL_EVERY or back > len(bars) - LABEL_EVERY:
            continue  # today and every week back, none beside the count axis
        if index == last:  # at the plot's edge: the label reaches inwards, never past the edge
            x = bar.x if right_to_left else bar.x + bar.width
            tick = Tick(x=round(x, 2), y=HEIGHT - 14, label=bar.day_label, anchor="end", direction=direction)
        else:
            x = bar.x + bar.width / 2
            tick = Tick(x=round(x, 2), y=HEIGHT - 14, label=bar.day_label, anchor="middle", direction=direction)
        day_ticks.append(tick)
    busiest = max(reversed(bars), key=lambda bar: bar.count) if bars and any(bar.count for bar in bars) else None
    return DayChart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        count_ticks=count_ticks,
        day_ticks=day_ticks,
        plot_start=plot_start,
        plot_end=plot_end,
        baseline=baseline,
        busiest=busiest,
    )


# --- counts per category (return reasons): horizontal bars, the longest first ----------------------

ROW = 30  # each category's row
LABEL_WIDTH = 260  # room for the category's words beside its bar
COUNT_GAP = 56  # room for the count at the bar's end


@dataclass(frozen=True)
class CategoryBar:
    x: float
    y: float
    width: float
    height: float
    label: str
    count_label: str
    label_x: float  # the category's words, anchored towards its bar
    count_x: float  # the count, just past the bar's end
    text_y: float


@dataclass(frozen=True)
class CategoryChart:
    width: int
    height: int
    bars: list[CategoryBar]
    label_anchor: str  # "end": the words end where the bars start (left to right)
    count_anchor: str


def category_chart(counts: Sequence[tuple[str, int]], *, language: str, right_to_left: bool) -> CategoryChart:
    """A bar per (words, count), in the order given. Right to left the words stand on the right and
    the bars grow leftwards, as a Hebrew reader reads a line."""
    height = max(len(counts), 1) * ROW + 8
    plot = WIDTH - LABEL_WIDTH - COUNT_GAP
    most = max((count for _, count in counts), default=0) or 1
    bars = []
    for index, (words, count) in enumerate(counts):
        length = round(plot * count / most, 2)
        y = index * ROW + 4
        if right_to_left:
            end = float(WIDTH - LABEL_WIDTH)
            x, label_x, count_x = end - length, end + 8, end - length - 6
        else:
            x, label_x, count_x = float(LABEL_WIDTH), LABEL_WIDTH - 8.0, LABEL_WIDTH + length + 6
        bars.append(
            CategoryBar(
                x=round(x, 2),
                y=float(y),
                width=length,
                height=ROW - 10.0,
                label=words,
                count_label=formats.number(count, language=language),
                label_x=round(label_x, 2),
                count_x=round(count_x, 2),
                text_y=y + (ROW - 10) / 2,
            )
        )
    return CategoryChart(
        width=WIDTH,
        height=height,
        bars=bars,
        label_anchor="start" if right_to_left else "end",
        count_anchor="end" if right_to_left else "start",
    )


# --- a quadrant chart (the complaints matrix): labelled points on two axes from 0 to 1 -------------

SCATTER_HEIGHT = 420
SCATTER_MARGIN = 48  # room for the axis words beside and under the plot
LABEL_REACH = 150  # a point's words go inwards when nearer than this to the right edge


@dataclass(frozen=True)
class ScatterPoint:
    x: float
    y: float
    label: str
    label_x: float
    label_y: float
    label_anchor: str  # for the words' own direction (`ScatterChart.direction`)
    value_label: str  # the two scores, for the point's tooltip
    kind: str  # the point's class (its quadrant), for its colour


@dataclass(frozen=True)
class QuadrantLabel:
    x: float
    y: float
    label: str
    anchor: str


@dataclass(frozen=True)
class ScatterChart:
    width: int
    height: int
    plot_start: float
    plot_end: float
    plot_top: float
    baseline: float
    middle_x: float
    middle_y: float
    points: list[ScatterPoint]
    quadrants: list[QuadrantLabel]
    direction: str  # of the words: "rtl" in Hebrew, the geometry stays left to right


def scatter_chart(
    points: Sequence[tuple[str, Decimal, Decimal, str]],
    *,
    quadrant_labels: tuple[str, str, str, str],
    language: str,
    right_to_left: bool,
) -> ScatterChart:
    """Points (words, x, y, kind) with x and y from 0 to 1, split in four at 0.5. `quadrant_labels` are the
    top right, top left, bottom right and bottom left quadrants' words. The axes keep their
    direction in every language (x grows to the right, y upwards): a quadrant chart is read by its
    corners, which the words name; only the words take the language's direction. Points at the
    same place get their words one under the other."""
    plot_start, plot_end = float(SCATTER_MARGIN), float(WIDTH - 12)
    plot_top, baseline = 30.0, float(SCATTER_HEIGHT - SCATTER_MARGIN)
    span_x, span_y = plot_end - plot_start, baseline - plot_top
    placed: dict[tuple[float, float], int] = {}
    found = []
    for words, x_value, y_value, kind in points:
        x = round(plot_start + span_x * min(max(float(x_value), 0.0), 1.0), 2)
        y = round(baseline - span_y * min(max(float(y_value), 0.0), 1.0), 2)
        stacked = placed.get((x, y), 0)
        placed[(x, y)] = stacked + 1
        inwards = x > plot_end - LABEL_REACH
        found.append(
            ScatterPoint(
                x=x,
                y=y,
                label=words,
                label_x=round(x - 9 if inwards else x + 9, 2),
                label_y=round(min(max(y + 4 + stacked * 15, plot_top + 10), baseline - 4), 2),
                label_anchor=_for_words("end" if inwards else "start", right_to_left=right_to_left),
                value_label=f"{formats.number(x_value, language=language, decimals=2)} / "
                f"{formats.number(y_value, language=language, decimals=2)}",
                kind=kind,
            )
        )
    top_right, top_left, bottom_right, bottom_left = quadrant_labels
    return ScatterChart(
        width=WIDTH,
        height=SCATTER_HEIGHT,
        plot_start=plot_start,
        plot_end=plot_end,
        plot_top=plot_top,
        baseline=baseline,
        middle_x=round(plot_start + span_x / 2, 2),
        middle_y=round(baseline - span_y / 2, 2),
        points=found,
        quadrants=[
            # Outside the plot (above it and under its axis), where no point can hide them.
            QuadrantLabel(plot_end, plot_top - 12, top_right, _for_words("end", right_to_left=right_to_left)),
            QuadrantLabel(plot_start, plot_top - 12, top_left, _for_words("start", right_to_left=right_to_left)),
            QuadrantLabel(plot_end, baseline + 20, bottom_right, _for_words("end", right_to_left=right_to_left)),
            QuadrantLabel(plot_start, baseline + 20, bottom_left, _for_words("start", right_to_left=right_to_left)),
        ],
        direction="rtl" if right_to_left else "ltr",
    )


def _for_words(anchor: str, *, right_to_left: bool) -> str:
    """`text-anchor` for words drawn in their own direction: "start" is the right end of a right-to-left
    text, so a label meant to begin at x (its left end) is anchored at its "end" in Hebrew."""
    if not right_to_left or anchor == "middle":
        return anchor
    return "end" if anchor == "start" else "start"
