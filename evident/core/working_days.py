"""Working days: weekends, England and Wales bank holidays, and council closure days.

A working day is a weekday that is neither a bank holiday in England and Wales (the
``holidays`` package) nor a closure day an administrator has added. Statutory time
limits ("within 45 working days of the referral") count working days *after* the
start day, so ``add_working_days(d, 1)`` is the next working day after ``d``.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Iterable
from datetime import date, timedelta

import holidays

FIRST_YEAR = 1990
LAST_YEAR = 2075


def bank_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> frozenset[date]:
    """England and Wales bank holidays (England's list: Wales differs only in St David's
    Day, which is not a bank holiday)."""
    england = holidays.country_holidays("GB", subdiv="ENG", years=range(first_year, last_year + 1))
    return frozenset(england.keys())


class WorkingDayCalendar:
    """Counts working days. Pure: give it the closure days; it never touches the database."""

    def __init__(self, closures: Iterable[date] = (), *, bank: frozenset[date] | None = None):
        non_working = set(bank if bank is not None else bank_holidays())
        non_working.update(closures)
        self._non_working = frozenset(non_working)
        # Sorted weekday non-working days, for counting in O(log n).
        self._weekday_closed = sorted(d for d in self._non_working if d.weekday() < 5)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._non_working

    def next_working_day(self, day: date) -> date:
        """``day`` itself when it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (before it when n is negative); ``start``
        itself when n is 0."""
        step = timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        day = start
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the interval (start, end]; negative when end is before start.

        ``working_days_between(d, add_working_days(d, n)) == n`` for every d and n.
        """
        if end < start:
            return -self.working_days_between(end, start)
        weekdays = _weekdays_in(start, end)
        lo = bisect.bisect_right(self._weekday_closed, start)
        hi = bisect.bisect_right(self._weekday_closed, end)
        return weekdays - (hi - lo)


def _weekdays_in(start: date, end: date) -> int:
    """Weekdays in (start, end], for start <= end."""
    days = (end - start).days
    full_weeks, extra = divmod(days, 7)
    count = full_weeks * 5
    day = start + timedelta(days=full_weeks * 7)
    for _ in range(extra):
        day += timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return count


_BANK: frozenset[date] | None = None
_cache_lock = threading.Lock()
_cached: tuple[float, WorkingDayCalendar] | None = None
CACHE_SECONDS = 60.0


def council_calendar() -> WorkingDayCalendar:
    """The calendar with this council's closure days, cached for a minute per process
    (closure days change a few times a year; ``forget_calendar`` clears it at once here)."""
    global _BANK, _cached
    now = time.monotonic()
    with _cache_lock:
        if _cached is not None and now - _cached[0] < CACHE_SECONDS:
            return _cached[1]
    from evident.core.models import ClosureDay

    if _BANK is None:
        _BANK = bank_holidays()
    calendar = WorkingDayCalendar(ClosureDay.objects.values_list("day", flat=True), bank=_BANK)
    with _cache_lock:
        _cached = (now, calendar)
    return calendar


def forget_calendar() -> None:
    global _cached
    with _cache_lock:
        _cached = None


def add_working_days(start: date, n: int) -> date:
    return council_calendar().add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    return council_calendar().working_days_between(start, end)
