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
