"""The returns report: per SKU, how many of the units delivered came back, and per reason how many
units, with a chart of the reasons, so the shop fixes the product page or the size chart behind
the most returns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from emporos.access.roles import Permission
from emporos.core import clock
from emporos.desk import charts
from emporos.desk.auth import staff_required
from emporos.desk.forms import DeskForm
from emporos.desk.labels import label
from emporos.returns import selectors
from emporos.shop import selectors as shop

DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366


class PeriodForm(DeskForm):
    starts = forms.DateField(
        label=gettext_lazy("Orders placed from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends = forms.DateField(label=gettext_lazy("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and starts > ends:
            self.add_error("ends", _("The end of the period comes before its start; swap the dates."))
        elif starts and ends and (ends - starts).days > MAX_DAYS:
            self.add_error("starts", _("Choose a period of at most three years."))
        return data


@staff_required(Permission.VIEW_ORDERS)
@require_GET
def returns_report_page(request: HttpRequest) -> HttpResponse:
    time_zone = shop.time_zone()
    today = clock.now().astimezone(time_zone).date()
    form = PeriodForm(request.GET)
    context: dict[str, Any] = {"section": "returns", "form": form}
    if not form.is_valid():
        return render(request, "desk/returns/report.html", context, status=400)
    ends: dt.date = form.cleaned_data["ends"] or today
    starts: dt.date = form.cleaned_data["starts"] or ends - dt.timedelta(days=DEFAULT_DAYS - 1)
    found = selectors.report(starts=starts, ends=ends, tz=time_zone)
    chart = charts.category_chart(
        [(label("return_reason", row.reason), row.units) for row in found.reasons],
        language=get_language(),
        right_to_left=get_language_bidi(),
    )
    context |= {"report": found, "chart": chart, "starts": starts, "ends": ends}
    return render(request, "desk/returns/report.html", context)
