"""Dates and times for the synthetic council: Europe/London local times, working hours,
school holidays, and "a random moment in office hours between two times"."""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from evident.core.working_days import WorkingDayCalendar

T = TypeVar("T")

LONDON = ZoneInfo("Europe/London")
OFFICE_OPENS = time(8, 30)
OFFICE_CLOSES = time(18, 0)
END_OF_DAY = time(23, 59, 59)


def local(day: date, at: time) -> datetime:
    """An aware Europe/London datetime (a time in the spring-forward gap reads as GMT)."""
    return datetime.combine(day, at, tzinfo=LONDON)


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def months_before(day: date, months: int) -> date:
    """The same day of the month ``months`` earlier, or the month's last day."""
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    for dom in (day.day, 30, 29, 28):
        try:
            return date(year, month, dom)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def school_holidays(first_year: int, last_year: int, calendar: WorkingDayCalendar) -> set[date]:
    """England's school holidays, roughly (councils' dates differ by a few days)."""
    days: set[date] = set()

    def span(start: date, end: date) -> None:
        day = start
        while day <= end:
            days.add(day)
            day += timedelta(days=1)

    def monday_on_or_after(day: date) -> date:
        return day + timedelta(days=(7 - day.weekday()) % 7)

    for year in range(first_year, last_year + 1):
        span(date(year, 1, 1), date(year, 1, 3))
        span(date(year, 12, 21), date(year, 12, 31))
        feb = monday_on_or_after(date(year, 2, 12))
        span(feb, feb + timedelta(days=4))
        # Easter: the fortnight around Good Friday (the bank holiday two days before Easter).
        good_friday = next(
            d
            for d in (date(year, 3, 20) + timedelta(days=i) for i in range(40))
            if d.weekday() == 4
            and not calendar.is_working_day(d)
            and not calendar.is_working_day(d + timedelta(days=3))
        )
        span(good_friday - timedelta(days=5), good_friday + timedelta(days=10))
        may = monday_on_or_after(date(year, 5, 25))
        span(may, may + timedelta(days=4))
        span(date(year, 7, 22), date(year, 9, 2))
        october = monday_on_or_after(date(year, 10, 21))
        span(october, october + timedelta(days=4))
    return days


def working_moment(
    rng: random.Random, calendar: WorkingDayCalendar, lo: datetime, hi: datetime
) -> datetime | None:
    """A moment in office hours on a working day in [lo, hi], uniform over office time;
    None when there is no office time in between."""
    if hi <= lo:
        return None
    windows: list[tuple[datetime, float]] = []
    total = 0.0
    day = lo.astimezone(LONDON).date()
    last = hi.astimezone(LONDON).date()
    while day <= last:
        if calendar.is_working_day(day):
            start = max(lo, local(day, OFFICE_OPENS))
            end = min(hi, local(day, OFFICE_CLOSES))
            seconds = (end - start).total_seconds()
            if seconds > 0:
                windows.append((start, seconds))
                total += seconds
        day += timedelta(days=1)
    if not windows:
        return None
    x = rng.random() * total
    for start, seconds in windows:
        if x <= seconds:
            return start + timedelta(seconds=int(x))
        x -= seconds
    start, seconds = windows[-1]  # pragma: no cover (rounding)
    return start + timedelta(seconds=int(seconds))  # pragma: no cover


def moment_between(rng: random.Random, lo: datetime, hi: datetime) -> datetime:
    """Any moment in [lo, hi], to the second."""
    span = max(0, int((hi - lo).total_seconds()))
    return lo + timedelta(seconds=randint(rng, 0, span))


def working_or_any_moment(
    rng: random.Random, calendar: WorkingDayCalendar, lo: datetime, hi: datetime
) -> datetime:
    return working_moment(rng, calendar, lo, hi) or moment_between(rng, lo, hi)


def shift_working_days(calendar: WorkingDayCalendar, moment: datetime, days: int) -> datetime:
    """The same local clock time ``days`` working days later (earlier when negative)."""
    here = moment.astimezone(LONDON)
    day = calendar.add_working_days(here.date(), days)
    return local(day, here.time().replace(tzinfo=None))


# --- Fast draws from the seeded RNG (random.Random's randint and choices are slow in bulk) ---


def randint(rng: random.Random, lo: int, hi: int) -> int:
    """An integer in [lo, hi]."""
    return lo + int(rng.random() * (hi - lo + 1))


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    return seq[int(rng.random() * len(seq))]


def weighted(rng: random.Random, seq: Sequence[T], cum_weights: Sequence[float]) -> T:
    """One of ``seq`` with the given cumulative weights (as ``random.choices`` does it)."""
    return seq[bisect.bisect(cum_weights, rng.random() * cum_weights[-1], 0, len(seq) - 1)]
