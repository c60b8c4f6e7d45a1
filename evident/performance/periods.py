"""Months and days on the council's clock (Europe/London), for indicators and Annex A.

A month runs from 00:00 local time on its first day to 00:00 on the next month's first
day, so a contact received at 23:30 on 31 March (BST) counts in March, not April.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time

from evident.core.clocks import LONDON


def local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def month_of(moment: datetime) -> date:
    """The first day of the local month ``moment`` falls in."""
    return local_date(moment).replace(day=1)


def add_months(month: date, n: int) -> date:
    """The first day of the month ``n`` months after ``month``'s (before it when negative)."""
    index = month.year * 12 + (month.month - 1) + n
    return date(index // 12, index % 12 + 1, 1)


def same_day_months_before(day: date, n: int) -> date:
    """The same day of the month ``n`` months earlier, or that month's last day when it is
    shorter (31 August less six months is 28 or 29 February)."""
    month = add_months(day.replace(day=1), -n)
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=min(day.day, last))


def start_of_day(day: date) -> datetime:
    """00:00 local time on ``day`` (midnight is never skipped by UK clock changes)."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


def month_label(month: date) -> str:
    return f"{calendar.month_name[month.month]} {month.year}"


def month_label_short(month: date) -> str:
    return f"{calendar.month_abbr[month.month]} {month.year}"
