from datetime import date, datetime, timedelta

import pytest

from evident.core.clocks import CONTACT_DECISION, LONDON, Rag, describe_time_left
from evident.core.working_days import WorkingDayCalendar, bank_holidays

CAL = WorkingDayCalendar(bank=bank_holidays(2023, 2026))


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def test_a_contact_on_friday_afternoon_is_due_on_monday_afternoon():
    assert CONTACT_DECISION.due_at(local(2024, 6, 7, 14, 10), CAL) == local(2024, 6, 10, 14, 10)


def test_a_contact_on_saturday_is_due_at_the_end_of_monday():
    assert CONTACT_DECISION.due_at(local(2024, 6, 8, 22, 0), CAL) == local(2024, 6, 11, 0, 0)


def test_a_contact_before_christmas_skips_the_bank_holidays():
    assert CONTACT_DECISION.due_at(local(2023, 12, 22, 9, 30), CAL) == local(2023, 12, 27, 9, 30)


def test_a_closure_day_moves_the_due_time():
    closed = WorkingDayCalendar([date(2024, 6, 10)], bank=bank_holidays(2024, 2024))
    assert CONTACT_DECISION.due_at(local(2024, 6, 7, 14, 10), closed) == local(2024, 6, 11, 14, 10)


def test_due_times_keep_the_local_clock_across_a_clock_change():
    # Friday 29 March 2024 is Good Friday; BST starts on Sunday 31 March.
    due = CONTACT_DECISION.due_at(local(2024, 3, 28, 10, 0), CAL)
    assert due == local(2024, 4, 2, 10, 0)
    assert due.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(2024, 6, 7, 15, 0), Rag.GREEN),
        (local(2024, 6, 10, 10, 0), Rag.AMBER),  # under a quarter of the 72 hours left
        (local(2024, 6, 10, 14, 11), Rag.RED),
    ],
)
def test_rag_turns_amber_then_red(now, expected):
    start = local(2024, 6, 7, 14, 10)
    assert CONTACT_DECISION.rag(start, CONTACT_DECISION.due_at(start, CAL), now) is expected


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(hours=3, minutes=5), "3 hours 5 minutes left"),
        (timedelta(days=2, hours=1, minutes=9), "2 days 1 hour left"),
        (timedelta(seconds=20), "Less than a minute left"),
        (timedelta(seconds=-20), "Overdue by less than a minute"),
        (-timedelta(days=1, hours=2), "Overdue by 1 day 2 hours"),
        (timedelta(minutes=1), "1 minute left"),
    ],
)
def test_time_left_reads_naturally(delta, text):
    now = local(2024, 6, 7, 12, 0)
    assert describe_time_left(now + delta, now) == text
