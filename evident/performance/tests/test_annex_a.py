import io
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from evident.performance.annex_a import DATE_FORMAT, Column, Kind, annex_a_lists, field
from evident.performance.annex_a.lists import LIST_1, reporting_window
from evident.performance.annex_a.writer import annex_a_workbook_write
from evident.performance.tests.conftest import london

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 3, 27)
HEADINGS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Date of Contact",
    "Contact Source",
]


def list_1(as_of: date = AS_OF) -> tuple[Any, Any, Any, list[Any]]:
    """Write the workbook and read List 1 back: (sheet, rows of cells without the headings)."""
    buffer = io.BytesIO()
    result = annex_a_workbook_write(as_of=as_of, out=buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook["List 1"]
    rows = list(sheet.iter_rows())
    return result, sheet, rows[0], rows[1:]


def values(row: Any) -> list[Any]:
    return [cell.value for cell in row]


def test_list_1_headings_are_the_templates_in_order(front_door):
    _, _, headings, rows = list_1()
    assert values(headings) == HEADINGS
    assert rows == []


def test_a_contact_row_has_the_templates_labels_and_real_dates(front_door):
    child = front_door.child("NB000001", born=date(2015, 5, 20), gender="male", ethnicity="WBRI")
    front_door.contact(london(2026, 3, 2, 10, 30), child, source="6")
    result, _, _, [row] = list_1()
    assert values(row) == [
        "NB000001",
        "a) Male",
        "a) WBRI",
        datetime(2015, 5, 20),
        10,
        datetime(2026, 3, 2),
        "q) 6: Police",
    ]
    date_of_birth, date_of_contact = row[3], row[5]
    assert date_of_birth.is_date
    assert date_of_contact.is_date
    assert date_of_birth.number_format == DATE_FORMAT == "DD/MM/YYYY"
    assert date_of_contact.number_format == DATE_FORMAT
    assert result.rows == {
        "List 1": 1,
        "List 2": 0,
        "List 3": 0,
        "List 4": 0,
        "List 5": 0,
        "List 6": 0,
        "List 7": 0,
    }


def test_other_labels(front_door):
    child = front_door.child(gender="not_stated", ethnicity="NOBT")
    front_door.contact(london(2026, 3, 2, 10, 30), child, source="5D")
    _, _, _, [row] = list_1()
    assert values(row)[1:3] == ["c) Not stated/recorded", "t) NOBT"]
    assert row[6].value == "p1) 5D: LA services"


def test_age_is_completed_years_on_the_as_of_date(front_door):
    birthday_tomorrow = front_door.child("A", born=date(2016, 3, 28))
    birthday_today = front_door.child("B", born=date(2016, 3, 27))
    front_door.contact(london(2026, 1, 5, 9, 0), birthday_tomorrow, birthday_today)
    _, _, _, rows = list_1()
    assert [(r[0].value, r[4].value) for r in rows] == [("A", 9), ("B", 10)]


def test_an_unborn_child_is_age_minus_one_with_no_date_of_birth(front_door):
    unborn = front_door.child(born=None, expected=date(2026, 6, 1))
    front_door.contact(london(2026, 3, 2, 10, 30), unborn)
    _, _, _, [row] = list_1()
    assert row[3].value is None
    assert row[4].value == -1


def test_a_contact_about_two_children_gives_two_rows(front_door):
    front_door.contact(london(2026, 3, 2, 10, 30), front_door.child("NB2"), front_door.child("NB1"))
    _, _, _, rows = list_1()
    assert [r[0].value for r in rows] == ["NB1", "NB2"]
    assert rows[0][5].value == rows[1][5].value == datetime(2026, 3, 2)


def test_rows_are_sorted_by_date_of_contact_then_child_id(front_door):
    front_door.contact(london(2026, 3, 3, 9, 0), front_door.child("NB-A"))
    front_door.contact(london(2026, 3, 2, 16, 0), front_door.child("NB-C"))
    front_door.contact(london(2026, 3, 2, 8, 0), front_door.child("NB-D"))
    front_door.contact(london(2026, 3, 2, 12, 0), front_door.child("NB-B"))
    _, _, _, rows = list_1()
    assert [r[0].value for r in rows] == ["NB-B", "NB-C", "NB-D", "NB-A"]


def test_window_is_from_the_same_date_six_months_before_to_the_as_of_date_inclusive(front_door):
    # 27 September 2025 is in BST: its first minute is 23:00 UTC on the 26th.
    front_door.contact(london(2025, 9, 26, 23, 59), front_door.child("OUT-BEFORE"))
    front_door.contact(london(2025, 9, 27, 0, 0), front_door.child("IN-FIRST"))
    front_door.contact(london(2026, 3, 27, 23, 59), front_door.child("IN-LAST"))
    front_door.contact(london(2026, 3, 28, 0, 0), front_door.child("OUT-AFTER"))
    _, _, _, rows = list_1()
    assert [r[0].value for r in rows] == ["IN-FIRST", "IN-LAST"]
    assert [r[5].value for r in rows] == [datetime(2025, 9, 27), datetime(2026, 3, 27)]


def test_date_of_contact_is_the_uk_date_not_the_utc_date(front_door):
    # 00:30 BST on 1 June is 23:30 UTC on 31 May.
    front_door.contact(london(2025, 6, 1, 0, 30), front_door.child())
    _, _, _, [row] = list_1(as_of=date(2025, 6, 30))
    assert row[5].value == datetime(2025, 6, 1)


@pytest.mark.parametrize(
    ("as_of", "first"),
    [
        (date(2026, 3, 27), date(2025, 9, 27)),
        (date(2026, 8, 31), date(2026, 2, 28)),
        (date(2028, 8, 31), date(2028, 2, 29)),
        (date(2026, 1, 15), date(2025, 7, 15)),
    ],
)
def test_reporting_window_edges(as_of, first):
    assert reporting_window(as_of) == (first, as_of)


def test_headings_come_from_the_one_definition():
    assert annex_a_lists()[0] is LIST_1
    assert LIST_1.sheet == "List 1"
    assert LIST_1.headings == HEADINGS


def test_the_workbook_is_a_fixed_number_of_queries_however_many_contacts(
    front_door, django_assert_num_queries
):
    for n in range(30):
        front_door.contact(london(2026, 3, 2, 9, n), front_door.child())
    # One query each for Lists 1 and 2, however many rows (Lists 3-7: 13 in all, with no
    # casework records here; test_annex_a_casework counts them with rows).
    with django_assert_num_queries(15):
        result = annex_a_workbook_write(as_of=AS_OF, out=io.BytesIO())
    assert result.rows == {
        "List 1": 30,
        "List 2": 0,
        "List 3": 0,
        "List 4": 0,
        "List 5": 0,
        "List 6": 0,
        "List 7": 0,
    }


def test_a_code_without_a_label_is_written_as_stored_and_reported(front_door):
    from evident.performance.annex_a.base import AnnexAList

    odd = AnnexAList(
        number=99,
        sheet="Odd",
        title="Odd",
        population="",
        columns=(Column("Gender", Kind.CODE, field("gender"), labels={"male": "a) Male"}),),
        rows=lambda as_of: [{"gender": "male"}, {"gender": "x"}, {"gender": None}],
    )
    result = annex_a_workbook_write(as_of=AS_OF, out=io.BytesIO(), lists=[odd])
    assert result.sheets[0].problems == {"Gender: no label for 'x'": 1, "Gender: blank": 1}


def test_a_code_column_needs_a_label_map():
    with pytest.raises(ValueError, match="label map"):
        Column("Gender", Kind.CODE, field("gender"))
