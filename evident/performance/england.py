"""England's figures (DfE "Children in need" statistics, reporting years ending 31 March),
keyed by indicator slug: shown beside our own figure wherever an indicator has one.

Every figure is from reference.md §5 (the DfE open-data CSVs in /work/shared/data/england).
A slug here with no indicator of the same code is simply not shown yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SOURCE = "DfE"


@dataclass(frozen=True)
class EnglandMeasure:
    measure: str  # the DfE's measure, in words
    values: dict[int, Decimal]  # reporting year (ending 31 March) -> value
    percentage: bool = True


@dataclass(frozen=True)
class EnglandFigure:
    measure: str
    year: int
    value: Decimal
    percentage: bool

    @property
    def label(self) -> str:
        """'England: 22.6% (DfE, 2025)'."""
        value = f"{self.value}%" if self.percentage else f"{self.value:,}"
        return f"England: {value} ({SOURCE}, {self.year})"


def _d(*values: str) -> dict[int, Decimal]:
    return {2023 + i: Decimal(v) for i, v in enumerate(values)}


ENGLAND: dict[str, EnglandMeasure] = {
    "referrals-in-year": EnglandMeasure(
        "Referrals in the year", _d("640430", "621880", "632830"), percentage=False
    ),
    "re-referrals-12-months": EnglandMeasure(
        "Re-referrals within 12 months of a previous referral (% of referrals)",
        _d("22.4", "22.4", "22.6"),
    ),
    "referrals-nfa": EnglandMeasure(
        "Referrals ending in no further action (%)", _d("7.1", "6.3", "6.5")
    ),
    "assessed-not-in-need": EnglandMeasure(
        "Episodes assessed as not in need (%)", _d("29.9", "30.3", "30.8")
    ),
    "cin-at-31-march": EnglandMeasure(
        "Children in need at 31 March (episodes)",
        _d("403090", "399460", "402400"),
        percentage=False,
    ),
    "cin-episodes-in-year": EnglandMeasure(
        "Children in need episodes during the year",
        _d("766050", "756150", "756120"),
        percentage=False,
    ),
    "cin-children-in-year": EnglandMeasure(
        "Children in need during the year",
        _d("712650", "702840", "704430"),
        percentage=False,
    ),
    "cin-rate-per-10000": EnglandMeasure(
        "Children in need per 10,000 children (computed from ONS population)",
        _d("338.7", "331.2", "330.3"),
        percentage=False,
    ),
    "cp-plans-at-31-march": EnglandMeasure(
        "Child protection plans at 31 March", _d("50780", "49900", "49420"), percentage=False
    ),
    "cp-plan-rate-per-10000": EnglandMeasure(
        "Child protection plans per 10,000 children (computed from ONS population)",
        _d("42.7", "41.4", "40.6"),
        percentage=False,
    ),
    "cp-plans-starting": EnglandMeasure(
        "Child protection plans starting in the year",
        _d("63870", "62110", "61840"),
        percentage=False,
    ),
    "cp-plans-second-or-subsequent": EnglandMeasure(
        "Child protection plans starting in the year that were a second or subsequent plan (%)",
        _d("23.6", "24.7", "24.5"),
    ),
    "cp-plans-open-2-years": EnglandMeasure(
        "Child protection plans open at 31 March that had lasted 2 years or more (%)",
        _d("2.2", "2.6", "2.3"),
    ),
    "looked-after-at-31-march": EnglandMeasure(
        "Children looked after at 31 March", _d("83750", "83530", "81770"), percentage=False
    ),
    "looked-after-rate-per-10000": EnglandMeasure(
        "Children looked after per 10,000 children (DfE)", _d("70", "69", "67"), percentage=False
    ),
    # Single-year figures (2024) from the same files.
    "cp-plans-open-3-months-or-less": EnglandMeasure(
        "Plans open at 31 March: 3 months or less (%)", {2024: Decimal("29.7")}
    ),
    "cp-plans-open-3-to-6-months": EnglandMeasure(
        "Plans open at 31 March: more than 3 and up to 6 months (%)", {2024: Decimal("24.7")}
    ),
    "cp-plans-open-6-to-12-months": EnglandMeasure(
        "Plans open at 31 March: more than 6 months and under 1 year (%)", {2024: Decimal("27.1")}
    ),
    "cp-plans-open-1-to-2-years": EnglandMeasure(
        "Plans open at 31 March: 1 year to under 2 years (%)", {2024: Decimal("16.0")}
    ),
    "factor-parent-mental-health": EnglandMeasure(
        "Assessments with the factor: parent or carer mental health (%)", {2024: Decimal("32.7")}
    ),
    "factor-domestic-abuse-parent": EnglandMeasure(
        "Assessments with the factor: domestic abuse, parent the subject (%)",
        {2024: Decimal("31.7")},
    ),
    "factor-emotional-abuse": EnglandMeasure(
        "Assessments with the factor: emotional abuse (%)", {2024: Decimal("19.3")}
    ),
    "factor-other": EnglandMeasure(
        "Assessments with the factor: other (%)", {2024: Decimal("18.5")}
    ),
    "factor-child-mental-health": EnglandMeasure(
        "Assessments with the factor: child mental health (%)", {2024: Decimal("17.0")}
    ),
    "factor-neglect": EnglandMeasure(
        "Assessments with the factor: neglect (%)", {2024: Decimal("16.5")}
    ),
    "factor-parent-alcohol": EnglandMeasure(
        "Assessments with the factor: parent or carer alcohol misuse (%)", {2024: Decimal("14.3")}
    ),
    "factor-parent-drugs": EnglandMeasure(
        "Assessments with the factor: parent or carer drug misuse (%)", {2024: Decimal("14.0")}
    ),
}


def latest_england(slug: str) -> EnglandFigure | None:
    """England's latest figure for an indicator, or None where §5 has none (the share of
    assessments within 45 working days is not in the stored DfE data)."""
    measure = ENGLAND.get(slug)
    if measure is None or not measure.values:
        return None
    year = max(measure.values)
    return EnglandFigure(
        measure=measure.measure,
        year=year,
        value=measure.values[year],
        percentage=measure.percentage,
    )
