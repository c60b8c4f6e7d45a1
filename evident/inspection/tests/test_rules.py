"""The framework, cycle, deadline, RAG and file rules, without a database."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from evident.core.working_days import WorkingDayCalendar
from evident.inspection import rules
from evident.inspection.rules import Area, Rag


def test_before_2023_care_leavers_share_a_judgement_with_children_in_care():
    areas = rules.areas_graded_on(date(2022, 12, 31))
    assert Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS in areas
    assert Area.CARE_LEAVERS not in areas
    assert Area.OVERALL in areas


def test_care_leavers_are_judged_separately_from_1_january_2023():
    areas = rules.areas_graded_on(date(2023, 1, 1))
    assert Area.CARE_LEAVERS in areas
    assert Area.CHILDREN_IN_CARE in areas
    assert Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS not in areas
    assert Area.OVERALL in areas


def test_no_overall_effectiveness_from_april_2026():
    assert Area.OVERALL in rules.areas_graded_on(date(2026, 3, 31))
    areas = rules.areas_graded_on(date(2026, 4, 1))
    assert Area.OVERALL not in areas
    assert areas == (
        Area.LEADERS,
        Area.HELP_AND_PROTECTION,
        Area.CHILDREN_IN_CARE,
        Area.CARE_LEAVERS,
    )
    assert rules.headline_area(date(2026, 4, 1)) is Area.LEADERS
    assert rules.headline_area(date(2025, 4, 1)) is Area.OVERALL


def test_no_framework_before_ilacs():
    with pytest.raises(ValueError, match="January 2018"):
        rules.framework_on(date(2017, 12, 31))


def test_next_window_uses_the_observed_gaps_for_the_grade():
    window = rules.next_inspection_window(judged_on=date(2023, 3, 10), grade=3)
    assert window.next_kind == "standard"
    # Requires improvement: median 4.2 years (2.7 to 5.3).
    assert window.likely == date(2027, 5, 22)
    assert window.earliest == date(2025, 11, 20)
    assert window.latest == date(2028, 6, 27)
    good = rules.next_inspection_window(judged_on=date(2023, 3, 10), grade=2)
    assert good.next_kind == "short"
    assert good.likely > window.likely


def test_the_cycle_is_configurable(settings):
    settings.EVIDENT_INSPECTION_CYCLE_YEARS = {
        2: (3.0, 2.0, 4.0),
        1: (3, 2, 4),
        3: (3, 2, 4),
        4: (3, 2, 4),
    }
    window = rules.next_inspection_window(judged_on=date(2020, 1, 1), grade=2)
    assert window.likely == date(2023, 1, 1)


def test_bad_grade_is_refused():
    with pytest.raises(ValueError, match="1 to 4"):
        rules.next_inspection_window(judged_on=date(2020, 1, 1), grade=5)


def test_notice_and_plan_deadlines_count_working_days():
    calendar = WorkingDayCalendar(bank=frozenset())
    # Notified Monday 2 March 2026: five working days later is Monday 9 March.
    assert rules.onsite_start_after_notice(
        kind="short", notified_on=date(2026, 3, 2), calendar=calendar
    ) == date(2026, 3, 9)
    # A JTAI gives ten working days.
    assert rules.onsite_start_after_notice(
        kind="jtai", notified_on=date(2026, 3, 2), calendar=calendar
    ) == date(2026, 3, 16)
    # 70 working days = 14 weeks.
    assert rules.plan_due_on(published_on=date(2026, 3, 2), calendar=calendar) == date(2026, 6, 8)


def test_plan_deadline_is_configurable(settings):
    settings.EVIDENT_PLAN_WORKING_DAYS = 5
    calendar = WorkingDayCalendar(bank=frozenset())
    assert rules.plan_due_on(published_on=date(2026, 3, 2), calendar=calendar) == date(2026, 3, 9)


@pytest.mark.parametrize(
    ("status", "due", "completed", "expected"),
    [
        ("on_track", date(2026, 1, 1), None, Rag.RED),  # overdue is red
        ("off_track", date(2026, 6, 1), None, Rag.AMBER),
        ("not_started", date(2026, 2, 10), None, Rag.AMBER),  # due within two weeks
        ("not_started", date(2026, 6, 1), None, Rag.GREEN),
        ("on_track", date(2026, 2, 10), None, Rag.GREEN),
        ("done", date(2026, 1, 1), date(2026, 1, 5), Rag.COMPLETE),
    ],
)
def test_suggested_rag(status, due, completed, expected):
    today = date(2026, 2, 1)
    assert rules.suggested_rag(status=status, due_on=due, today=today, completed_on=completed) is (
        expected
    )


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_files_are_told_by_their_bytes():
    assert rules.sniff(b"%PDF-1.7\n...") is rules.PDF
    assert rules.sniff(b"\x89PNG\r\n\x1a\n....") is rules.PNG
    assert rules.sniff(b"\xff\xd8\xff\xe0....") is rules.JPEG
    assert rules.sniff(_docx()) is rules.DOCX
    assert rules.sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") is rules.DOC


def test_anything_else_is_refused_whatever_its_name():
    assert rules.sniff(b"<html><script>alert(1)</script>") is None
    assert rules.sniff(b"#!/bin/sh\nrm -rf /") is None
    assert rules.sniff(b"PK\x03\x04not a zip") is None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # a spreadsheet is not a Word document
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert rules.sniff(buffer.getvalue()) is None
