"""The synthetic LADO caseload: deterministic by the seed, with a realistic shape."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time

import pytest

from evident.core.clocks import LONDON
from evident.core.working_days import WorkingDayCalendar
from evident.synthetic.lado import plan_lado

pytestmark = pytest.mark.django_db


def _plan(seed: int, officers):
    until = date(2026, 11, 20)
    return plan_lado(
        random.Random(seed),
        start=date(2026, 5, 20),
        until=until,
        now=datetime.combine(until, time(15, 0), tzinfo=LONDON),
        calendar=WorkingDayCalendar(),
        officers=officers,
        children=[],
    )


def _fingerprint(plan):
    return [
        (r.reference, r.adult_name, r.sector, r.received_at, r.outcome, r.review_on)
        for r in plan.referrals
    ]


def test_the_same_seed_gives_the_same_caseload(personas):
    officers = [personas["lado"]]
    assert _fingerprint(_plan(7, officers)) == _fingerprint(_plan(7, officers))
    assert _fingerprint(_plan(7, officers)) != _fingerprint(_plan(8, officers))


def test_the_caseload_looks_like_a_mid_sized_councils(personas):
    plan = _plan(1, [personas["lado"]])
    per_year = len(plan.referrals) / 2  # at least two years are planned
    assert 200 <= per_year <= 450
    sectors = Counter(r.sector for r in plan.referrals)
    assert sectors.most_common(1)[0][0] == "education"
    decisions = Counter(c.decision for c in plan.considerations)
    assert 0.35 < decisions["met"] / len(plan.considerations) < 0.6
    outcomes = Counter(r.outcome for r in plan.referrals if r.outcome)
    assert set(outcomes) == {"substantiated", "unsubstantiated", "unfounded", "false", "malicious"}
    assert outcomes["malicious"] < outcomes["substantiated"]
    # Every concluded or closed record has its retention date; open ones do not.
    assert all(r.review_on for r in plan.referrals if r.closed_at)
    assert all(r.review_on is None for r in plan.referrals if not r.closed_at)
    # Live work: some are still awaiting the initial consideration.
    considered = {c.referral.reference for c in plan.considerations}
    assert any(r.reference not in considered for r in plan.referrals)
    # A few adults come back (repeat concerns).
    names = Counter((r.adult_name, r.adult_date_of_birth) for r in plan.referrals)
    assert any(n > 1 for n in names.values())
