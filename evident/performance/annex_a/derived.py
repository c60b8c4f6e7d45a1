"""Annex A's "in the last 12 months" counts (reference.md §1.4) as plain functions.

D2I counts over the 12 months before the child's event, excluding the current one for
referrals and section 47 enquiries. "12 months before" runs from the same date a year
earlier (28 February for 29 February), both ends as stated below.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from evident.performance.periods import same_day_months_before


def dates_by_key(pairs: Iterable[tuple[Any, date]]) -> dict[Any, list[date]]:
    """(key, date) pairs -> each key's dates, sorted, for the counts below."""
    grouped: dict[Any, list[date]] = defaultdict(list)
    for key, day in pairs:
        grouped[key].append(day)
    for days in grouped.values():
        days.sort()
    return dict(grouped)


def earlier_within_12_months(days: Sequence[date], day: date) -> int:
    """How many of the sorted ``days`` fall in the 12 months before ``day``: from the same
    date a year earlier up to the day before. ``day`` itself (the current event, and any
    other on the same day) is not counted."""
    since = same_day_months_before(day, 12)
    return bisect_left(days, day) - bisect_left(days, since)


def within_12_months_to(days: Sequence[date], day: date) -> int:
    """How many of the sorted ``days`` fall in the 12 months up to and including ``day``."""
    since = same_day_months_before(day, 12)
    return bisect_right(days, day) - bisect_left(days, since)


def on_or_before(day: date | None, as_of: date) -> bool:
    """Whether a recorded date has happened by the as-of date (False when not recorded)."""
    return day is not None and day <= as_of
