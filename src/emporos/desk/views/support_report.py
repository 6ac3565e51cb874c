"""The complaints report: promises kept, working times per topic, customer effort, the 2×2 matrix of
what matters to the customer and to the shop, and tickets by topic and channel, over a period the
reader picks. Charts are inline SVG drawn on the server."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, get_language_bidi, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from emporos.access.roles import Permission
from emporos.core import clock
from emporos.desk import charts
from emporos.desk.auth import staff_required
from emporos.desk.forms import DeskForm
from emporos.shop import selectors as shop
from emporos.support import labels
from emporos.support.reports import SupportReport, TopicTimes, support_report
from emporos.support.reports_matrix import ACTIONS, FIX_CAUSE, REDUCE_COST, SELF_SERVICE, WATCH

DEFAULT_DAYS = 30
MAX_DAYS = 366


class PeriodForm(DeskForm):
    starts = forms.DateField(
        label=gettext_lazy("Tickets opened from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends = forms.DateField(label=gettext_lazy("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and starts > ends:
            self.add_error("ends", _("The end of the period comes before its start; swap the dates."))
        elif starts and ends and (ends - starts).days >= MAX_DAYS:
            self.add_error("starts", _("Choose a period of at most a year."))
        return data


@dataclass(frozen=True)
class Named:
    """A row of the report with the words for its code, in the reader's language."""

    name: str
    row: Any


@staff_required(Permission.VIEW_SUPPORT_REPORTS)
@require_GET
def support_report_page(request: HttpRequest) -> HttpResponse:
    time_zone = shop.time_zone()
    today = clock.now().astimezone(time_zone).date()
    form = PeriodForm(request.GET)
    context: dict[str, Any] = {"section": "support", "form": form}
    if not form.is_valid():
        return render(request, "desk/support/report.html", context, status=400)
    ends: dt.date = form.cleaned_data["ends"] or today
    starts: dt.date = form.cleaned_data["starts"] or ends - dt.timedelta(days=DEFAULT_DAYS - 1)
    report = support_report(
        since=dt.datetime.combine(starts, dt.time.min, tzinfo=time_zone),
        until=dt.datetime.combine(ends + dt.timedelta(days=1), dt.time.min, tzinfo=time_zone),
    )
    context |= {"report": report, "starts": starts, "ends": ends} | _figures(report)
    return render(request, "desk/support/report.html", context)


def _topic(code: str) -> str:
    return labels.label("topic", code)


def _figures(report: SupportReport) -> dict[str, Any]:
    language, right_to_left = get_language(), get_language_bidi()
    matrix_rows = [Named(_topic(row.topic), row) for row in report.matrix.topics]
    return {
        "times": [Named(_topic(row.topic), row) for row in report.times],
        "matrix_rows": matrix_rows,
        "channels": [labels.label("channel", code) for code in report.topic_channels.channels],
        "topic_channel_rows": [Named(_topic(row.topic), row) for row in report.topic_channels.rows],
        "asked": [Named(labels.label("asked_for", item.code), item) for item in report.effort.asked_for_known.by_what],
        "matrix_chart": _matrix_chart(matrix_rows, language=language, right_to_left=right_to_left),
        "topics_chart": charts.category_chart(
            [(_topic(row.topic), row.total) for row in report.topic_channels.rows],
            language=language,
            right_to_left=right_to_left,
        ),
        "resolution_chart": _resolution_chart(report.times, language=language, right_to_left=right_to_left),
        "survey_chart": charts.category_chart(
            list(zip(_effort_answers(), report.effort.survey.counts, strict=True)),
            language=language,
            right_to_left=right_to_left,
        ),
        "quadrant_rule": [
            (str(ACTIONS[code]), description)
            for code, description in (
                (FIX_CAUSE, _("Matters to customers and costs the shop.")),
                (SELF_SERVICE, _("Matters to customers, costs the shop little.")),
                (REDUCE_COST, _("Costs the shop, customers mind it less.")),
                (WATCH, _("Neither yet; fix it still when it is frequent.")),
            )
        ],
    }


def _matrix_chart(rows: list[Named], *, language: str, right_to_left: bool) -> charts.ScatterChart:
    return charts.scatter_chart(
        [(item.name, item.row.shop_score, item.row.customer_score, item.row.quadrant) for item in rows],
        quadrant_labels=(
            str(ACTIONS[FIX_CAUSE]),
            str(ACTIONS[SELF_SERVICE]),
            str(ACTIONS[REDUCE_COST]),
            str(ACTIONS[WATCH]),
        ),
        language=language,
        right_to_left=right_to_left,
    )


def _resolution_chart(times: list[TopicTimes], *, language: str, right_to_left: bool) -> charts.CategoryChart:
    return charts.category_chart(
        [(_topic(row.topic), row.resolution.median_minutes or 0) for row in times if row.resolution.count],
        language=language,
        right_to_left=right_to_left,
    )


def _effort_answers() -> list[str]:
    return [
        pgettext("effort answer", "1 – very easy"),
        pgettext("effort answer", "2 – easy"),
        pgettext("effort answer", "3 – neither"),
        pgettext("effort answer", "4 – hard"),
        pgettext("effort answer", "5 – very hard"),
    ]
