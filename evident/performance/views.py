"""Indicators and the Annex A download. Read-only over the other apps."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from evident.accounts.policies import allow
from evident.accounts.roles import PERFORMANCE_ROLES, Role
from evident.performance.annex_a import XLSX_CONTENT_TYPE, annex_a_lists
from evident.performance.annex_a.lists import reporting_window
from evident.performance.annex_a.services import annex_a_export
from evident.performance.england import latest_england
from evident.performance.forms import AnnexAForm
from evident.performance.indicators import (
    Figure,
    Indicator,
    MonthFigure,
    indicator_get,
    indicator_list,
    indicator_summary,
    shared_reads,
)
from evident.performance.periods import month_label, month_label_short, month_of
from evident.performance.selectors import indicator_month_read

# Analysts, leaders and team managers read indicators (PERFORMANCE_ROLES).
INDICATOR_ROLES = sorted(PERFORMANCE_ROLES)
# The Annex A workbook is every child's record council-wide: analysts and leaders only
# (team managers see their indicators, not a council-wide extract).
ANNEX_A_ROLES = (Role.ANALYST, Role.LEADER)

BAR_COLOUR = "#1d70b8"  # GOV.UK blue
LINE_COLOUR = "#0b0c0c"  # GOV.UK black
ENGLAND_COLOUR = "#d4351c"  # GOV.UK red: England's reference line


def _indicator_or_404(code: str) -> Indicator:
    indicator = indicator_get(code)
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


@allow(*INDICATOR_ROLES)
@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    with shared_reads():  # the front-door indicators read the contacts once between them
        summaries = [indicator_summary(indicator, now=now) for indicator in indicator_list()]
    return render(request, "performance/indicators.html", {"summaries": summaries})


def _chart_data(indicator: Indicator, months: list[MonthFigure]) -> dict[str, Any]:
    chart: dict[str, Any] = {
        "labels": [
            month_label_short(m.month) + ("" if m.complete else " (so far)") for m in months
        ],
        "yTitle": "Percentage",
        "yMax": 100,
        "ySuffix": "%",
        "y2Title": f"Counted ({indicator.unit_noun})",
        "datasets": [
            {
                "type": "bar",
                "label": "Percentage",
                "data": [m.percentage for m in months],
                "colour": BAR_COLOUR,
            },
            {
                "type": "line",
                "label": "Number counted",
                "data": [m.denominator for m in months],
                "axis": "y2",
                "colour": LINE_COLOUR,
            },
        ],
    }
    england = latest_england(indicator.code)
    if england is not None and england.percentage:
        # England's latest figure as a flat reference line across the months.
        chart["datasets"].append(
            {
                "type": "line",
                "label": england.label,
                "data": [float(england.value)] * len(months),
                "colour": ENGLAND_COLOUR,
            }
        )
    return chart


@allow(*INDICATOR_ROLES)
@require_GET
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_or_404(code)
    summary = indicator_summary(indicator, now=timezone.now())
    return render(
        request,
        "performance/indicator.html",
        {
            "indicator": indicator,
            "summary": summary,
            "months": list(reversed(summary.months)),
            "chart": _chart_data(indicator, summary.months),
            "england": latest_england(indicator.code),
        },
    )


@allow(*INDICATOR_ROLES)
@require_GET
def indicator_month(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    indicator = _indicator_or_404(code)
    now = timezone.now()
    if not (1 <= month <= 12 and 2000 <= year <= 9999):
        raise Http404("No such month")
    first = date(year, month, 1)
    if first > month_of(now):
        raise Http404("That month has not started")
    units = indicator_month_read(
        actor=request.user, indicator=indicator, month=first, now=now, path=request.get_full_path()
    )
    rows = [
        {
            "unit": unit,
            "status": unit.status.value,
            "status_label": indicator.status_label(unit.status),
        }
        for unit in units
    ]
    return render(
        request,
        "performance/indicator_month.html",
        {
            "indicator": indicator,
            "month": first,
            "month_label": month_label(first),
            "rows": rows,
            "figure": Figure.of(units),
            "complete": first != month_of(now),
            "back": reverse("performance:indicator", args=[indicator.code]),
        },
    )


@allow(*ANNEX_A_ROLES)
@require_http_methods(["GET", "POST"])
def annex_a(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AnnexAForm(request.POST)
        if form.is_valid():
            as_of: date = form.cleaned_data["as_of"]
            buffer = io.BytesIO()
            annex_a_export(
                actor=request.user, as_of=as_of, out=buffer, path=request.get_full_path()
            )
            response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
            response["Content-Disposition"] = (
                f'attachment; filename="annex-a-{as_of.isoformat()}.xlsx"'
            )
            return response
    else:
        form = AnnexAForm(initial={"as_of": timezone.localdate()})
    first, last = reporting_window(timezone.localdate())
    return render(
        request,
        "performance/annex_a.html",
        {"form": form, "lists": annex_a_lists(), "example_window": (first, last)},
    )
