"""Annex A List 2 (early help): the headings, the window and the open episodes."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from evident.front_door.models import EarlyHelpEpisode
from evident.performance.annex_a import annex_a_lists
from evident.performance.annex_a.lists import LIST_2
from evident.performance.annex_a.writer import annex_a_workbook_write
from evident.performance.tests.conftest import london

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 27)  # the window is 27 September 2025 to 27 March 2026
HEADINGS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Assessment start date",
    "Assessment completion date",
    "Organisation completing assessment",
]


def early_help(front_door: Any, child: Any, start: date, **fields: Any) -> EarlyHelpEpisode:
    contact = front_door.contact(london(start.year, start.month, start.day, 9, 0), child)
    return EarlyHelpEpisode.objects.create(
        person=child,
        contact_child=contact.children.get(),
        assessment_start_date=start,
        organisation_completing=fields.pop("organisation_completing", "Northtown Family Hub"),
        created_by=front_door.manager,
        created_at=timezone.now(),
        **fields,
    )


def list_2(as_of: date = AS_OF) -> tuple[Any, list[list[Any]]]:
    buffer = io.BytesIO()
    result = annex_a_workbook_write(as_of=as_of, out=buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["List 2"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return result, rows


def test_list_2_headings_are_the_templates_in_order(front_door):
    result, rows = list_2()
    assert rows[0] == HEADINGS
    assert LIST_2.headings == HEADINGS
    assert [lst.sheet for lst in annex_a_lists()][:2] == ["List 1", "List 2"]
    assert result.rows["List 2"] == 0


def test_an_early_help_row_has_the_childs_details_and_real_dates(front_door):
    child = front_door.child("EH000001", born=date(2015, 5, 20))
    early_help(
        front_door,
        child,
        date(2026, 1, 5),
        assessment_completion_date=date(2026, 2, 2),
        organisation_completing="Northtown Family Hub",
    )
    result, rows = list_2()
    assert rows[1] == [
        "EH000001",
        "a) Male",
        "a) WBRI",
        datetime(2015, 5, 20),
        10,
        datetime(2026, 1, 5),
        datetime(2026, 2, 2),
        "Northtown Family Hub",
    ]
    assert result.rows["List 2"] == 1


def test_the_window_is_six_months_to_the_as_of_date_plus_episodes_still_open(front_door):
    early_help(
        front_door, front_door.child("FIRST-DAY"), date(2025, 9, 27), ended_on=date(2025, 10, 1)
    )
    early_help(
        front_door, front_door.child("TOO-EARLY"), date(2025, 9, 26), ended_on=date(2025, 10, 1)
    )
    early_help(front_door, front_door.child("STILL-OPEN"), date(2025, 1, 10))
    early_help(
        front_door, front_door.child("ENDS-LATER"), date(2025, 2, 10), ended_on=date(2026, 4, 1)
    )
    early_help(front_door, front_door.child("AFTER"), date(2026, 3, 28))
    _, rows = list_2()
    # Ordered by assessment start date.
    assert [row[0] for row in rows[1:]] == ["STILL-OPEN", "ENDS-LATER", "FIRST-DAY"]


def test_an_incomplete_assessment_leaves_the_completion_date_blank(front_door):
    early_help(front_door, front_door.child(), date(2026, 3, 1))
    _, rows = list_2()
    assert rows[1][6] is None
    assert rows[1][7] == "Northtown Family Hub"
