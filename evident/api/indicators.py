"""``/api/v1/indicators``: the indicators' monthly figures, for dashboards and analysts."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import P, QueryEx, Router, Schema
from ninja.errors import HttpError

from evident.accounts.roles import PERFORMANCE_ROLES
from evident.api.access import allow_api
from evident.performance.indicators import (
    Figure,
    Indicator,
    MonthFigure,
    indicator_get,
    indicator_list,
    indicator_months,
    indicator_summary,
    shared_reads,
)

router = Router(tags=["Indicators"])

PERFORMANCE = allow_api(*sorted(PERFORMANCE_ROLES))
DEFAULT_MONTHS = 13  # the last 12 complete months and the month so far


class FigureOut(Schema):
    numerator: int
    denominator: int
    pending: int
    percentage: float | None

    @staticmethod
    def of(figure: Figure) -> FigureOut:
        return FigureOut(
            numerator=figure.numerator,
            denominator=figure.denominator,
            pending=figure.pending,
            percentage=figure.percentage,
        )


class MonthOut(FigureOut):
    month: str  # "2026-03"
    label: str  # "March 2026"
    complete: bool  # false for the month so far

    @staticmethod
    def of_month(figure: MonthFigure) -> MonthOut:
        return MonthOut(
            month=f"{figure.month:%Y-%m}",
            label=figure.label,
            complete=figure.complete,
            **FigureOut.of(figure).model_dump(),
        )


class IndicatorOut(Schema):
    code: str
    title: str
    definition: str
    numerator: str
    denominator: str
    higher_is_better: bool


class IndicatorSummaryOut(IndicatorOut):
    latest_month: MonthOut  # the latest complete month
    last_12_months: FigureOut  # the last 12 complete months together


class IndicatorDetailOut(IndicatorOut):
    months: list[MonthOut]  # oldest first, ending with the month so far


class ErrorOut(Schema):
    detail: str


def _describe(indicator: Indicator) -> dict[str, object]:
    return {
        "code": indicator.code,
        "title": indicator.title,
        "definition": indicator.definition,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "higher_is_better": indicator.higher_is_better,
    }


@router.get(
    "/indicators",
    response=list[IndicatorSummaryOut],
    auth=PERFORMANCE,
    summary="Every indicator with its latest month and last 12 months",
)
def indicators_list(request: HttpRequest) -> list[IndicatorSummaryOut]:
    out = []
    with shared_reads():  # the front-door indicators read the contacts once between them
        summaries = [indicator_summary(indicator) for indicator in indicator_list()]
    for summary in summaries:
        indicator = summary.indicator
        out.append(
            IndicatorSummaryOut(
                **_describe(indicator),  # type: ignore[arg-type]
                latest_month=MonthOut.of_month(summary.latest_month),
                last_12_months=FigureOut.of(summary.last_12_months),
            )
        )
    return out


@router.get(
    "/indicators/{code}",
    response={200: IndicatorDetailOut, 404: ErrorOut},
    auth=PERFORMANCE,
    summary="One indicator's monthly figures",
)
def indicator_detail(
    request: HttpRequest,
    code: str,
    months: QueryEx[int, P(ge=1, le=36, description="How many months, ending with this one")] = (
        DEFAULT_MONTHS
    ),
) -> IndicatorDetailOut:
    indicator = indicator_get(code)
    if indicator is None:
        raise HttpError(404, f"No indicator with the code {code!r}")
    return IndicatorDetailOut(
        **_describe(indicator),  # type: ignore[arg-type]
        months=[MonthOut.of_month(m) for m in indicator_months(indicator, months=months)],
    )
