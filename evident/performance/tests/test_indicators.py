from datetime import date, datetime

import pytest

from evident.core.models import ClosureDay
from evident.front_door.models import Decision
from evident.performance.indicators import (
    Figure,
    Status,
    Unit,
    indicator_figure,
    indicator_get,
    indicator_list,
    indicator_month_units,
    indicator_months,
    register,
)
from evident.performance.indicators.front_door import CONTACT_DECISIONS_ON_TIME as INDICATOR
from evident.performance.tests.conftest import london

pytestmark = pytest.mark.django_db

JUNE_2024 = date(2024, 6, 1)
LATER = london(2024, 8, 1, 9, 0)  # long after every June clock has run out


def june_units(now: datetime = LATER) -> list[Unit]:
    return indicator_month_units(INDICATOR, month=JUNE_2024, now=now)


def test_friday_afternoon_contact_decided_on_monday_before_the_same_time_is_on_time(front_door):
    # Friday 7 June 2024 15:00: due 15:00 on Monday 10 June.
    front_door.contact(
        london(2024, 6, 7, 15, 0), front_door.child(), authorised_at=london(2024, 6, 10, 14, 59)
    )
    [unit] = june_units()
    assert unit.due_at == london(2024, 6, 10, 15, 0)
    assert unit.status is Status.MET
    assert unit.in_numerator
    assert unit.in_denominator


def test_friday_afternoon_contact_decided_after_monday_same_time_is_late(front_door):
    front_door.contact(
        london(2024, 6, 7, 15, 0), front_door.child(), authorised_at=london(2024, 6, 10, 15, 1)
    )
    [unit] = june_units()
    assert unit.status is Status.NOT_MET
    assert not unit.in_numerator
    assert unit.in_denominator


def test_authorised_exactly_when_due_is_on_time(front_door):
    front_door.contact(
        london(2024, 6, 7, 15, 0), front_door.child(), authorised_at=london(2024, 6, 10, 15, 0)
    )
    assert june_units()[0].status is Status.MET


def test_bank_holiday_monday_is_skipped(front_door):
    # Friday 24 May 2024 10:00; Monday 27 May is the spring bank holiday: due Tuesday 10:00.
    front_door.contact(
        london(2024, 5, 24, 10, 0), front_door.child(), authorised_at=london(2024, 5, 28, 9, 30)
    )
    [unit] = indicator_month_units(INDICATOR, month=date(2024, 5, 1), now=LATER)
    assert unit.due_at == london(2024, 5, 28, 10, 0)
    assert unit.status is Status.MET


def test_contact_on_a_bank_holiday_is_due_at_the_end_of_the_next_working_day(front_door):
    # Received on the bank holiday itself: the clock starts 00:00 Tuesday, due 00:00 Wednesday.
    front_door.contact(
        london(2024, 5, 27, 12, 0), front_door.child(), authorised_at=london(2024, 5, 28, 23, 0)
    )
    [unit] = indicator_month_units(INDICATOR, month=date(2024, 5, 1), now=LATER)
    assert unit.due_at == london(2024, 5, 29, 0, 0)
    assert unit.status is Status.MET


def test_a_council_closure_day_is_skipped(front_door):
    ClosureDay.objects.create(day=date(2024, 6, 10), reason="Council closure")
    front_door.contact(
        london(2024, 6, 7, 15, 0), front_door.child(), authorised_at=london(2024, 6, 11, 9, 0)
    )
    [unit] = june_units()
    assert unit.due_at == london(2024, 6, 11, 15, 0)
    assert unit.status is Status.MET


def test_undecided_child_is_pending_until_due_then_late(front_door):
    front_door.contact(london(2024, 6, 7, 15, 0), front_door.child())
    assert june_units(now=london(2024, 6, 10, 15, 0))[0].status is Status.PENDING
    assert june_units(now=london(2024, 6, 10, 15, 1))[0].status is Status.NOT_MET


def test_a_proposed_decision_is_not_an_authorised_one(front_door):
    front_door.contact(
        london(2024, 6, 7, 15, 0), front_door.child(), status=Decision.Status.PROPOSED
    )
    assert june_units(now=london(2024, 6, 8, 9, 0))[0].status is Status.PENDING
    assert june_units()[0].status is Status.NOT_MET


def test_decided_in_time_counts_before_the_due_time_has_passed(front_door):
    front_door.contact(
        london(2024, 6, 7, 15, 0), front_door.child(), authorised_at=london(2024, 6, 7, 16, 0)
    )
    assert june_units(now=london(2024, 6, 7, 17, 0))[0].status is Status.MET


def test_numerator_denominator_and_pending_for_a_month(front_door):
    now = london(2024, 6, 28, 12, 0)  # Friday
    on_time, late, overdue, pending = (front_door.child() for _ in range(4))
    front_door.contact(london(2024, 6, 3, 9, 0), on_time, authorised_at=london(2024, 6, 3, 17, 0))
    front_door.contact(london(2024, 6, 3, 9, 0), late, authorised_at=london(2024, 6, 5, 9, 0))
    front_door.contact(london(2024, 6, 20, 9, 0), overdue)
    front_door.contact(london(2024, 6, 28, 9, 0), pending)
    figure = Figure.of(june_units(now=now))
    assert (figure.numerator, figure.denominator, figure.pending) == (1, 3, 1)
    assert figure.percentage == 33.3


def test_a_contact_about_two_children_is_two_units(front_door):
    front_door.contact(
        london(2024, 6, 7, 9, 0),
        front_door.child(),
        front_door.child(),
        authorised_at=london(2024, 6, 7, 12, 0),
    )
    assert len(june_units()) == 2


def test_the_month_is_the_local_month_of_the_contact(front_door):
    # 23:30 on 30 June 2024 (BST) is 22:30 UTC on 30 June; 00:30 on 1 July BST is 23:30 UTC on 30 June.
    front_door.contact(london(2024, 6, 30, 23, 30), front_door.child())
    front_door.contact(london(2024, 7, 1, 0, 30), front_door.child())
    assert len(june_units()) == 1
    assert len(indicator_month_units(INDICATOR, month=date(2024, 7, 1), now=LATER)) == 1


def test_trend_has_the_last_12_complete_months_and_the_month_so_far(front_door):
    now = london(2024, 6, 14, 12, 0)
    front_door.contact(
        london(2023, 6, 15, 9, 0), front_door.child(), authorised_at=london(2023, 6, 15, 10, 0)
    )
    front_door.contact(london(2023, 5, 31, 9, 0), front_door.child())  # before the 13 months
    front_door.contact(london(2024, 6, 3, 9, 0), front_door.child())
    months = indicator_months(INDICATOR, now=now)
    assert len(months) == 13
    assert months[0].month == date(2023, 6, 1)
    assert months[-1].month == date(2024, 6, 1)
    assert [m.complete for m in months] == [True] * 12 + [False]
    assert (months[0].numerator, months[0].denominator) == (1, 1)
    assert months[-1].denominator == 1  # 3 June, overdue by 14 June
    assert sum(m.denominator + m.pending for m in months) == 2


def test_trend_reads_the_period_in_a_fixed_number_of_queries(
    front_door, django_assert_max_num_queries
):
    for day in range(1, 25):
        front_door.contact(
            london(2024, 5, day, 10, 0),
            front_door.child(),
            authorised_at=london(2024, 5, day, 11, 0),
        )
    with django_assert_max_num_queries(2):  # closure days (then cached) and the units
        months = indicator_months(INDICATOR, now=london(2024, 6, 14, 12, 0))
    assert months[-2].denominator == 24


def test_overall_figure_for_a_period(front_door):
    front_door.contact(
        london(2024, 4, 2, 9, 0), front_door.child(), authorised_at=london(2024, 4, 2, 10, 0)
    )
    front_door.contact(
        london(2024, 5, 2, 9, 0), front_door.child(), authorised_at=london(2024, 5, 7, 10, 0)
    )
    figure = indicator_figure(
        INDICATOR, start=london(2024, 4, 1, 0, 0), end=london(2024, 6, 1, 0, 0), now=LATER
    )
    assert (figure.numerator, figure.denominator, figure.percentage) == (1, 2, 50.0)


def test_a_month_with_nothing_counted_has_no_percentage():
    assert Figure(numerator=0, denominator=0, pending=3).percentage is None


def test_drill_down_units_carry_child_id_and_age_at_contact(front_door):
    child = front_door.child("NB000123", born=date(2014, 6, 8))
    unborn = front_door.child(born=None, expected=date(2024, 9, 1))
    front_door.contact(london(2024, 6, 7, 9, 0), child, unborn)
    units = {unit.child_id: unit for unit in june_units()}
    assert units["NB000123"].age == 9  # tenth birthday the next day
    assert units[unborn.council_id].age == -1


def test_registry_finds_the_first_indicator_and_refuses_a_duplicate_code():
    assert indicator_get("contact-decisions-on-time") is INDICATOR
    assert INDICATOR in indicator_list()
    with pytest.raises(ValueError, match="already registered"):
        register(INDICATOR)
    assert indicator_get("no-such-indicator") is None


def test_a_single_month_trend_is_the_month_so_far(front_door):
    months = indicator_months(INDICATOR, now=london(2024, 6, 14, 12, 0), months=1)
    assert len(months) == 1
    assert (months[0].denominator, months[0].pending) == (0, 0)
    assert months[0].month == date(2024, 6, 1)
