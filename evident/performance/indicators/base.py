"""The indicator framework: a definition says what is counted; these functions count it.

An indicator's ``units`` function yields one ``Unit`` per thing counted (for the first
indicator, one child on one contact) for a period, each marked met, not met or pending.
Pending units (still within their time limit, not yet done) are left out of both the
numerator and the denominator, and pages say how many there are.

Several indicators count the same rows (eleven front-door ones read the children on the
contacts received in the period). A read marked ``shared_read`` is made once per period
inside a ``shared_reads()`` block, so a page of many indicators reads those rows once.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.utils import timezone

from evident.performance.ages import age_on
from evident.performance.periods import add_months, local_date, month_label, month_of, start_of_day


class Status(enum.StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    PENDING = "pending"


def timed_status(*, completed_at: datetime | None, due_at: datetime, now: datetime) -> Status:
    """The rule every timed indicator shares: met when done by the due time, not met when
    done late or still not done after it, pending while there is still time."""
    if completed_at is not None:
        return Status.MET if completed_at <= due_at else Status.NOT_MET
    return Status.NOT_MET if now > due_at else Status.PENDING


@dataclass(frozen=True, slots=True)
class Unit:
    """One counted thing: a child, when its clock started, when it was due and done."""

    month: date  # first day of the local month the clock started in
    status: Status
    person_id: uuid.UUID
    child_id: str  # the council's child ID
    date_of_birth: date | None
    expected_date_of_birth: date | None
    started_at: datetime
    due_at: datetime
    completed_at: datetime | None

    @property
    def in_numerator(self) -> bool:
        return self.status is Status.MET

    @property
    def in_denominator(self) -> bool:
        return self.status is not Status.PENDING

    @property
    def age(self) -> int | None:
        """Age in completed years when the clock started (-1 if unborn)."""
        return age_on(self.date_of_birth, self.expected_date_of_birth, local_date(self.started_at))


Row = TypeVar("Row")

# Inside ``shared_reads()``: (read, start, end) -> the rows it returned.
_SHARED: ContextVar[dict[tuple[object, datetime, datetime], list[Any]] | None] = ContextVar(
    "indicator_shared_reads", default=None
)


@contextlib.contextmanager
def shared_reads() -> Iterator[None]:
    """Within the block, each ``shared_read`` is made once per period and its rows kept
    (for one page or file: the rows are as fresh as the block is short). Nested blocks
    share the outer one's rows."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def shared_read(
    read: Callable[[datetime, datetime], Iterable[Row]],
) -> Callable[[datetime, datetime], Iterable[Row]]:
    """Mark a read of rows for [start, end) that several indicators make. Outside
    ``shared_reads()`` it reads as before; inside, the rows come back as a list the callers
    share, so they must not change them."""

    @functools.wraps(read)
    def shared(start: datetime, end: datetime) -> Iterable[Row]:
        kept = _SHARED.get()
        if kept is None:
            return read(start, end)
        key = (read, start, end)
        if key not in kept:
            kept[key] = list(read(start, end))
        return kept[key]

    return shared


# (period start, period end (exclusive), now) -> the units whose clock started in the period.
UnitsFunction = Callable[[datetime, datetime, datetime], Iterable[Unit]]


@dataclass(frozen=True)
class Indicator:
    code: str  # used in URLs and the API: lower case, digits and hyphens
    title: str
    definition: str  # plain English, shown on the page
    numerator: str
    denominator: str
    higher_is_better: bool
    units: UnitsFunction
    # Words for the drill-down table.
    unit_noun: str = "child"
    started_label: str = "Started"
    due_label: str = "Due"
    completed_label: str = "Done"
    status_labels: tuple[tuple[Status, str], ...] = (
        (Status.MET, "On time"),
        (Status.NOT_MET, "Late"),
        (Status.PENDING, "Not yet due"),
    )
    # Indicators that are not about a time limit (a share of contacts from the police,
    # consent recorded) have no due time: the drill-down leaves those columns out.
    timed: bool = True
    status_heading: str = "On time"  # the drill-down's last column
    met_phrase: str = "on time"  # "12 of 40 on time"
    pending_phrase: str = "not yet decided and still within time"
    # A share to watch (where contacts come from), not a target: neither way is better.
    neutral: bool = False

    def status_label(self, status: Status) -> str:
        return dict(self.status_labels)[status]


@dataclass(frozen=True)
class Figure:
    numerator: int
    denominator: int
    pending: int

    @property
    def percentage(self) -> float | None:
        """Numerator over denominator, to one decimal place; None when nothing counted."""
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)

    @classmethod
    def of(cls, units: Iterable[Unit]) -> Figure:
        numerator = denominator = pending = 0
        for unit in units:
            if unit.status is Status.PENDING:
                pending += 1
            else:
                denominator += 1
                numerator += unit.status is Status.MET
        return cls(numerator=numerator, denominator=denominator, pending=pending)

    @classmethod
    def total(cls, figures: Iterable[Figure]) -> Figure:
        numerator = denominator = pending = 0
        for figure in figures:
            numerator += figure.numerator
            denominator += figure.denominator
            pending += figure.pending
        return cls(numerator=numerator, denominator=denominator, pending=pending)


@dataclass(frozen=True)
class MonthFigure(Figure):
    month: date
    complete: bool  # False for the month so far

    @property
    def label(self) -> str:
        return month_label(self.month)


def indicator_months(
    indicator: Indicator, *, now: datetime | None = None, months: int = 13
) -> list[MonthFigure]:
    """Figures for ``months`` local months ending with the month so far (the default 13:
    the last 12 complete months plus this one), oldest first. One read of the units."""
    if months < 1:
        raise ValueError("months must be at least 1")
    now = now or timezone.now()
    current = month_of(now)
    first = add_months(current, -(months - 1))
    buckets: dict[date, list[int]] = {add_months(first, i): [0, 0, 0] for i in range(months)}
    for unit in indicator.units(start_of_day(first), start_of_day(add_months(current, 1)), now):
        counts = buckets.get(unit.month)
        if counts is None:
            continue
        if unit.status is Status.PENDING:
            counts[2] += 1
        else:
            counts[1] += 1
            counts[0] += unit.status is Status.MET
    return [
        MonthFigure(month=month, numerator=n, denominator=d, pending=p, complete=month != current)
        for month, (n, d, p) in buckets.items()
    ]


def indicator_figure(
    indicator: Indicator, *, start: datetime, end: datetime, now: datetime | None = None
) -> Figure:
    """The overall figure for the units whose clock started in [start, end)."""
    return Figure.of(indicator.units(start, end, now or timezone.now()))


def indicator_month_units(
    indicator: Indicator, *, month: date, now: datetime | None = None
) -> list[Unit]:
    """Every unit whose clock started in one local month: the drill-down."""
    month = month.replace(day=1)
    return list(
        indicator.units(
            start_of_day(month), start_of_day(add_months(month, 1)), now or timezone.now()
        )
    )


@dataclass(frozen=True)
class IndicatorSummary:
    indicator: Indicator
    months: list[MonthFigure]

    @property
    def latest_month(self) -> MonthFigure:
        """The latest complete month (the month so far is usually mostly pending)."""
        return self.complete_months[-1]

    @property
    def month_so_far(self) -> MonthFigure:
        return self.months[-1]

    @property
    def complete_months(self) -> list[MonthFigure]:
        return [m for m in self.months if m.complete]

    @property
    def last_12_months(self) -> Figure:
        return Figure.total(self.complete_months[-12:])


def indicator_summary(indicator: Indicator, *, now: datetime | None = None) -> IndicatorSummary:
    return IndicatorSummary(indicator=indicator, months=indicator_months(indicator, now=now))
