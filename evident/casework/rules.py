"""Business rules of casework as plain functions: no database, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from evident.core.codes import CaseStatus


def case_status(
    *,
    closed: bool,
    looked_after: bool,
    on_cp_plan: bool,
    on_cin_plan: bool,
) -> CaseStatus:
    """Annex A List 6 `Case Status` by D2I's precedence (reference.md §1.3.7): a closed
    episode first, then looked after, then a protection plan, then a child-in-need plan,
    and otherwise an open assessment."""
    if closed:
        return CaseStatus.CLOSED
    if looked_after:
        return CaseStatus.LOOKED_AFTER
    if on_cp_plan:
        return CaseStatus.CP_PLAN
    if on_cin_plan:
        return CaseStatus.CIN_PLAN
    return CaseStatus.OPEN_ASSESSMENT


def previous_plan_count(plan_starts: Iterable[date], start: date) -> int:
    """Census NumberOfPreviousCPP: the child's protection plans that started before this
    one (on any episode)."""
    return sum(1 for other in plan_starts if other < start)


def is_re_referral(previous_referrals: Iterable[date], referral: date) -> bool:
    """A referral within 12 months of the child's previous one (DfE's definition)."""
    earlier = [day for day in previous_referrals if day < referral]
    if not earlier:
        return False
    latest = max(earlier)
    try:
        year_on = latest.replace(year=latest.year + 1)
    except ValueError:  # 29 February
        year_on = date(latest.year + 1, 3, 1)
    return referral <= year_on


# Annex A derived columns over plain records (Lists 4, 6 and 7), for the returns builders.


class _Visit(Protocol):
    purpose: str
    visited_on: date
    child_seen: bool
    seen_alone: bool


class _Dated(Protocol):
    start_date: date
    end_date: date | None


def child_seen_during_assessment(
    visits: Iterable[_Visit], *, start: date, end: date | None, as_of: date
) -> bool:
    """List 4 `Child Seen During Continuous Assessment`: an assessment visit with the child
    seen between its start and its authorisation (or ``as_of`` while open)."""
    last = end or as_of
    return any(
        v.purpose == "assessment" and v.child_seen and start <= v.visited_on <= last for v in visits
    )


def date_last_seen(visits: Iterable[_Visit], *, as_of: date) -> date | None:
    """List 6 `Date Child Was Last Seen`: the latest visit, on or before ``as_of``, at
    which the child was seen."""
    return max(
        (v.visited_on for v in visits if v.child_seen and v.visited_on <= as_of), default=None
    )


def last_statutory_visit(
    visits: Iterable[_Visit], *, plan_start: date, plan_end: date | None, as_of: date
) -> _Visit | None:
    """List 7 `Date of the Last Statutory Visit` and `Was the Child Seen Alone?`: the
    latest protection-plan visit within the plan."""
    last = min(plan_end or as_of, as_of)
    within = [v for v in visits if v.purpose == "cp_plan" and plan_start <= v.visited_on <= last]
    return max(within, key=lambda v: v.visited_on, default=None)


def emergency_protection_within(
    protections: Iterable[_Dated], *, as_of: date, months: int = 6
) -> bool:
    """List 7: subject to an EPO or police protection in the six months to ``as_of``."""
    from evident.core.clocks import add_months

    since = add_months(as_of, -months)
    return any(p.start_date <= as_of and (p.end_date or p.start_date) >= since for p in protections)
