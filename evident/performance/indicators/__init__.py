"""Performance indicators: definitions register themselves when this package is imported."""

# Importing the definitions registers them.
from evident.performance.indicators import casework, front_door, front_door_contacts  # noqa: F401
from evident.performance.indicators.base import (
    Figure,
    Indicator,
    IndicatorSummary,
    MonthFigure,
    Status,
    Unit,
    indicator_figure,
    indicator_month_units,
    indicator_months,
    indicator_summary,
    shared_reads,
)
from evident.performance.indicators.registry import indicator_get, indicator_list, register

__all__ = [
    "Figure",
    "Indicator",
    "IndicatorSummary",
    "MonthFigure",
    "Status",
    "Unit",
    "indicator_figure",
    "indicator_get",
    "indicator_list",
    "indicator_month_units",
    "indicator_months",
    "indicator_summary",
    "register",
    "shared_reads",
]
