"""The casework clock rules: working days and calendar months, RAG by working days left."""

from __future__ import annotations

from datetime import date

from evident.core import clocks
from evident.core.clocks import Rag, add_months
from evident.core.working_days import WorkingDayCalendar

NO_HOLIDAYS = WorkingDayCalendar(bank=frozenset())


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 1, 15), 3) == date(2026, 4, 15)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_statutory_limits():
    assert clocks.ASSESSMENT.due_on(date(2026, 6, 1), NO_HOLIDAYS) == date(2026, 8, 3)
    assert clocks.INITIAL_CONFERENCE.due_on(date(2026, 6, 2), NO_HOLIDAYS) == date(2026, 6, 23)
    assert clocks.FIRST_CORE_GROUP.due_on(date(2026, 6, 19), NO_HOLIDAYS) == date(2026, 7, 3)
    assert clocks.FIRST_REVIEW_CONFERENCE.due_on(date(2026, 6, 19)) == date(2026, 9, 19)
    assert clocks.REVIEW_CONFERENCE.due_on(date(2026, 9, 10)) == date(2027, 3, 10)


def test_bank_holidays_are_skipped():
    # The August bank holiday (31 August 2026) is not a working day.
    calendar = WorkingDayCalendar()
    assert clocks.INITIAL_CONFERENCE.due_on(date(2026, 8, 24), calendar) == date(2026, 9, 15)


def test_rag_by_working_days_left():
    rule = clocks.INITIAL_CONFERENCE  # amber with 5 working days or fewer left
    due = date(2026, 6, 23)
    assert rule.rag_on(due, date(2026, 6, 1), NO_HOLIDAYS) == Rag.GREEN
    assert rule.rag_on(due, date(2026, 6, 16), NO_HOLIDAYS) == Rag.AMBER
    assert rule.rag_on(due, due, NO_HOLIDAYS) == Rag.AMBER
    assert rule.rag_on(due, date(2026, 6, 24), NO_HOLIDAYS) == Rag.RED
    assert clocks.working_days_left(due, date(2026, 6, 26), NO_HOLIDAYS) == -3


def test_every_casework_rule_is_registered_once():
    assert set(clocks.CASEWORK_RULES) == {
        "strategy_discussion",
        "assessment",
        "initial_conference",
        "first_core_group",
        "first_review_conference",
        "review_conference",
        "cp_visit",
        "cin_plan_review",
        "cin_visit",
    }
    statutory = {code for code, rule in clocks.CASEWORK_RULES.items() if rule.statutory}
    assert statutory == {
        "assessment",
        "initial_conference",
        "first_core_group",
        "first_review_conference",
        "review_conference",
    }
