"""The columns Lists 1-10 start with (reference.md §1.2): the child's identity and age.

Each list's selector supplies the keys these read: ``council_id``, ``gender``,
``ethnicity``, ``date_of_birth`` and ``expected_date_of_birth``.
"""

from __future__ import annotations

from datetime import date

from evident.core.codes import ETHNICITY_ANNEX_A, GENDER_ANNEX_A
from evident.performance.ages import age_on
from evident.performance.annex_a.base import Column, Kind, Row, field

# The person fields the common columns need, for a selector's values().
PERSON_VALUES = {
    "council_id": "person__council_id",
    "gender": "person__gender",
    "ethnicity": "person__ethnicity",
    "date_of_birth": "person__date_of_birth",
    "expected_date_of_birth": "person__expected_date_of_birth",
}


def _age_at_as_of(row: Row, as_of: date) -> int | None:
    """Completed years on the as-of date; -1 for an unborn child."""
    return age_on(row["date_of_birth"], row["expected_date_of_birth"], as_of)


CHILD_COLUMNS: tuple[Column, ...] = (
    Column("Child Unique ID", Kind.TEXT, field("council_id"), width=20),
    Column("Gender", Kind.CODE, field("gender"), labels=GENDER_ANNEX_A, width=22),
    Column("Ethnicity", Kind.CODE, field("ethnicity"), labels=ETHNICITY_ANNEX_A, width=12),
    Column("Date of Birth", Kind.DATE, field("date_of_birth"), blank_ok=True, width=14),
    Column("Age of Child (Years)", Kind.INTEGER, _age_at_as_of, blank_ok=True, width=10),
)


# Lists 3-7 -------------------------------------------------------------------------------

# reference.md §1.3.4: the template's generic yes/no answers.
YES_NO_ANNEX_A = {"yes": "a) Yes", "no": "b) No", "unknown": "c) Unknown"}


def yes_no(value: bool | None) -> str | None:
    """A yes/no column's stored value; None (a blank cell) when the answer is not known yet."""
    if value is None:
        return None
    return "yes" if value else "no"


def yes_no_column(heading: str, key: str, *, blank_ok: bool = False, width: int = 14) -> Column:
    """A yes/no column reading a boolean (or None for blank) from ``row[key]``."""

    def value(row: Row, as_of: date) -> str | None:
        return yes_no(row[key])

    value.__name__ = f"yes_no_{key}"
    return Column(heading, Kind.CODE, value, labels=YES_NO_ANNEX_A, blank_ok=blank_ok, width=width)


def _disability(row: Row, as_of: date) -> str:
    """Yes for any census disability code but NONE; No for NONE alone; Unknown when the
    child's record holds no disability answer at all."""
    if row["has_disability"]:
        return "yes"
    return "no" if row["disability_recorded"] else "unknown"


def _worker_name(row: Row, as_of: date) -> str:
    return f"{row['worker_first_name'] or ''} {row['worker_last_name'] or ''}".strip()


DISABILITY_COLUMN = Column(
    "Does the Child have a Disability", Kind.CODE, _disability, labels=YES_NO_ANNEX_A, width=14
)

# The episode's current allocation (Lists 3-7 end with these two).
ALLOCATION_VALUES = {
    "team_name": "team__name",
    "worker_first_name": "worker__first_name",
    "worker_last_name": "worker__last_name",
}
ALLOCATION_COLUMNS: tuple[Column, ...] = (
    Column("Allocated Team", Kind.TEXT, field("team_name"), width=28),
    Column("Allocated Worker", Kind.TEXT, _worker_name, blank_ok=True, width=24),
)
