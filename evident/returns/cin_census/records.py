"""The census as plain records: one ``Child`` with its ``Episode`` modules, shaped like the
DfE XML (reference.md §4.2). The writer writes them, the reader reads a file back into
them, and the validation rules run on them: so the same rules check a file a council
uploads and the live records "as of today"."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

# The first census year each schema serves (the year the census year ends, 31 March).
SCHEMA_YEARS = (2022, 2023, 2024, 2025)
FIRST_YEAR = SCHEMA_YEARS[0]
# From 2024-25 the DfE replaced GenderCurrent with Sex (reference.md §4.2).
FIRST_SEX_YEAR = 2025


@dataclass(frozen=True)
class CensusPeriod:
    """The census year: 1 April to the reference date (31 March, or today for a check
    run during the year)."""

    start: date
    reference_date: date

    @classmethod
    def for_year(cls, year: int) -> CensusPeriod:
        return cls(start=date(year - 1, 4, 1), reference_date=date(year, 3, 31))

    @classmethod
    def as_of(cls, day: date) -> CensusPeriod:
        return cls(
            start=date(day.year if day.month >= 4 else day.year - 1, 4, 1), reference_date=day
        )

    @property
    def year(self) -> int:
        """The collection year: the year of the 31 March the census year ends on."""
        return self.start.year + 1

    @property
    def uses_sex(self) -> bool:
        return self.year >= FIRST_SEX_YEAR

    def contains(self, day: date) -> bool:
        """On or after 1 April and on or before the reference date."""
        return self.start <= day <= self.reference_date


@dataclass
class Assessment:
    start_date: date | None
    authorisation_date: date | None = None
    factors: list[str] = field(default_factory=list)


@dataclass
class CINPlan:
    start_date: date | None
    end_date: date | None = None


@dataclass
class Section47:
    start_date: date | None
    initial_cpc_target: date | None = None
    initial_cpc_date: date | None = None
    icpc_not_required: bool | None = False


@dataclass
class CPPlan:
    start_date: date | None
    end_date: date | None = None
    initial_category: str = ""
    latest_category: str = ""
    previous_plans: int | None = 0
    review_dates: list[date] = field(default_factory=list)


@dataclass
class Episode:
    referral_date: date | None
    referral_source: str = ""
    primary_need: str = ""
    closure_date: date | None = None
    closure_reason: str = ""
    initial_cpc_date: date | None = None
    referral_nfa: bool | None = False
    assessments: list[Assessment] = field(default_factory=list)
    cin_plans: list[CINPlan] = field(default_factory=list)
    section47s: list[Section47] = field(default_factory=list)
    cp_plans: list[CPPlan] = field(default_factory=list)
    # The casework episode, when the record came from the live data (for a link).
    episode_id: uuid.UUID | None = None


@dataclass
class Child:
    la_child_id: str
    upn: str = ""
    former_upn: str = ""
    upn_unknown: str = ""
    birth_date: date | None = None
    expected_birth_date: date | None = None
    # "M"/"F"/"U" (Sex, 2024-25 on) or "1"/"2"/"0"/"9" (GenderCurrent, earlier years).
    sex: str = ""
    death_date: date | None = None
    ethnicity: str = ""
    disabilities: list[str] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    # The person, when the record came from the live data or was matched by LAchildID.
    person_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Header:
    year: int | None
    reference_date: date | None
    lea: str = ""
