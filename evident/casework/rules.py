"""Business rules of casework as plain functions: no database, no HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

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
