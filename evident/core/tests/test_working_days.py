from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from evident.core.working_days import WorkingDayCalendar, bank_holidays

CAL = WorkingDayCalendar(bank=bank_holidays(2015, 2040))
dates = st.dates(min_value=date(2016, 1, 1), max_value=date(2038, 12, 31))


def test_christmas_and_new_year_are_skipped():
    # Friday 22 December 2023 + 1 working day: Christmas (Mon) and Boxing Day (Tue) skipped.
    assert CAL.add_working_days(date(2023, 12, 22), 1) == date(2023, 12, 27)
    assert CAL.working_days_between(date(2023, 12, 22), date(2023, 12, 27)) == 1


def test_a_weekend_start_counts_from_monday():
    assert CAL.add_working_days(date(2024, 6, 8), 1) == date(2024, 6, 10)  # Saturday -> Monday


def test_closure_days_are_not_working_days():
    closed = WorkingDayCalendar([date(2024, 6, 10)], bank=bank_holidays(2024, 2024))
    assert closed.add_working_days(date(2024, 6, 7), 1) == date(2024, 6, 11)
    assert not closed.is_working_day(date(2024, 6, 10))


def test_forty_five_working_days_from_a_referral():
    # 45 working days from Monday 2 September 2024: nine full weeks, no bank holidays.
    assert CAL.add_working_days(date(2024, 9, 2), 45) == date(2024, 11, 4)


@settings(max_examples=500)
@given(start=dates, n=st.integers(min_value=-400, max_value=400))
def test_between_inverts_add(start, n):
    # Counting back from a holiday has no exact inverse: (end, start] holds no working day
    # at its top, so the property is for working-day starts when n is negative.
    if n < 0:
        start = CAL.next_working_day(start)
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@settings(max_examples=500)
@given(start=dates, n=st.integers(min_value=1, max_value=400))
def test_adding_lands_on_a_working_day_after_the_start(start, n):
    end = CAL.add_working_days(start, n)
    assert end > start
    assert CAL.is_working_day(end)


@settings(max_examples=300)
@given(a=dates, b=dates)
def test_between_is_antisymmetric_and_bounded(a, b):
    forward = CAL.working_days_between(a, b)
    assert forward == -CAL.working_days_between(b, a)
    assert abs(forward) <= abs((b - a).days)


@settings(max_examples=300)
@given(a=dates, days=st.integers(min_value=0, max_value=60))
def test_between_matches_counting_one_day_at_a_time(a, days):
    b = a + timedelta(days=days)
    slow = sum(1 for i in range(1, days + 1) if CAL.is_working_day(a + timedelta(days=i)))
    assert CAL.working_days_between(a, b) == slow
