"""Casework indicators: met, late and pending cases and their edges, counted from
hand-made records (June 2024 has no bank holiday; 26 August 2024 is one)."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from evident.accounts.models import Team
from evident.accounts.services import team_get_or_create
from evident.casework.models import (
    Assessment,
    ChildProtectionPlan,
    Conference,
    Episode,
    Section47,
    StrategyDiscussion,
    Visit,
)
from evident.core import clocks
from evident.people.models import Person
from evident.performance.england import ENGLAND, latest_england
from evident.performance.indicators import Status, indicator_get, indicator_month_units
from evident.performance.tests.conftest import london

pytestmark = pytest.mark.django_db

JUNE_2024 = date(2024, 6, 1)
MONDAY = date(2024, 6, 3)
LATER = london(2024, 12, 1, 9)  # every June clock has run out
_numbers = itertools.count(1)


class Casework:
    """Episodes and steps made directly (no services, no audit)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.team = team_get_or_create(name="Duty North", kind=Team.Kind.DUTY_ASSESSMENT)

    def child(self, born: date = date(2015, 5, 20)) -> Person:
        n = next(_numbers)
        return Person.objects.create(
            council_id=f"K{n:06d}", first_name="Test", last_name=f"Child{n}", date_of_birth=born
        )

    def episode(self, referral: date, child: Person | None = None) -> Episode:
        return Episode.objects.create(
            person=child or self.child(),
            referral_date=referral,
            referral_source="6",
            team=self.team,
            created_by=self.user,
            created_at=london(referral.year, referral.month, referral.day, 10),
        )

    def step(self, model: Any, episode: Episode, **fields: Any) -> Any:
        return model.objects.create(
            episode=episode, recorded_by=self.user, recorded_at=london(2024, 6, 3, 10), **fields
        )

    def assessment(self, referral: date, *, authorised: date | None = None) -> Assessment:
        episode = self.episode(referral)
        assessment: Assessment = self.step(
            Assessment,
            episode,
            start_date=referral,
            due_date=clocks.ASSESSMENT.due_on(referral),
            completed_on=authorised,
            outcome="nfa" if authorised else "",
            authorised_on=authorised,
            authorised_by=self.user if authorised else None,
        )
        return assessment

    def enquiry(
        self, held: date, *, outcome: str = "icpc", conference: date | None = None
    ) -> Section47:
        episode = self.episode(held)
        discussion = self.step(
            StrategyDiscussion,
            episode,
            held_on=held,
            social_care_attended=True,
            decision="s47",
            rationale="Reasonable cause",
        )
        enquiry: Section47 = self.step(
            Section47,
            episode,
            strategy_discussion=discussion,
            start_date=held,
            conference_due=clocks.INITIAL_CONFERENCE.due_on(held),
            outcome=outcome,
            completed_on=held if outcome else None,
            conference_not_required=outcome in {"no_icpc", "unsubstantiated"},
        )
        if conference:
            self.step(
                Conference,
                episode,
                kind="initial",
                section47=enquiry,
                due_date=enquiry.conference_due,
                held_on=conference,
                plan_made=False,
                decision_rationale="Not at continuing risk",
            )
        return enquiry

    def plan(
        self,
        start: date,
        *,
        end: date | None = None,
        previous: int = 0,
        episode: Episode | None = None,
    ) -> ChildProtectionPlan:
        plan: ChildProtectionPlan = self.step(
            ChildProtectionPlan,
            episode or self.episode(start),
            start_date=start,
            end_date=end,
            end_reason="no_risk" if end else "",
            initial_category="NEG",
            latest_category="NEG",
            previous_plans=previous,
        )
        return plan


@pytest.fixture
def casework(personas: dict[str, Any]) -> Casework:
    return Casework(personas["socialworker"])


def units(code: str, now: datetime = LATER, month: date = JUNE_2024) -> list[Any]:
    indicator = indicator_get(code)
    assert indicator is not None
    return sorted(
        indicator_month_units(indicator, month=month, now=now), key=lambda u: u.started_at
    )


def statuses(code: str, now: datetime = LATER, month: date = JUNE_2024) -> list[Status]:
    return [u.status for u in units(code, now, month)]


# Assessments within 45 working days ---------------------------------------------------------


def test_assessment_authorised_on_the_45th_working_day_is_on_time(casework):
    due = clocks.ASSESSMENT.due_on(MONDAY)
    assert due == date(2024, 8, 5)  # 19 working days left in June, 23 in July, 3 in August
    casework.assessment(MONDAY, authorised=due)
    [unit] = units("assessments-within-45-working-days")
    assert unit.status is Status.MET
    assert unit.due_at == london(2024, 8, 5, 23, 59).replace(second=59)


def test_assessment_authorised_the_day_after_is_late(casework):
    casework.assessment(MONDAY, authorised=date(2024, 8, 6))
    assert statuses("assessments-within-45-working-days") == [Status.NOT_MET]


def test_open_assessment_is_pending_until_its_due_day_ends_then_late(casework):
    casework.assessment(MONDAY)
    code = "assessments-within-45-working-days"
    assert statuses(code, now=london(2024, 8, 5, 18)) == [Status.PENDING]
    assert statuses(code, now=london(2024, 8, 6, 0, 1)) == [Status.NOT_MET]


# Initial conferences within 15 working days ------------------------------------------------


def test_conference_on_the_15th_working_day_is_on_time_and_the_next_day_late(casework):
    assert clocks.INITIAL_CONFERENCE.due_on(MONDAY) == date(2024, 6, 24)
    casework.enquiry(MONDAY, conference=date(2024, 6, 24))
    casework.enquiry(date(2024, 6, 4), conference=date(2024, 6, 26))
    code = "initial-conferences-within-15-working-days"
    assert statuses(code) == [Status.MET, Status.NOT_MET]


def test_enquiries_needing_no_conference_or_undecided_are_not_counted(casework):
    casework.enquiry(MONDAY, outcome="unsubstantiated")
    casework.enquiry(MONDAY, outcome="")
    casework.enquiry(MONDAY, outcome="icpc")  # needed, not yet held
    code = "initial-conferences-within-15-working-days"
    assert statuses(code, now=london(2024, 6, 24, 12)) == [Status.PENDING]
    assert statuses(code, now=london(2024, 6, 25, 9)) == [Status.NOT_MET]


# Re-referrals ----------------------------------------------------------------------------------


def test_re_referral_within_12_months_counts_on_the_anniversary_but_not_after(casework):
    on_anniversary = casework.child()
    casework.episode(date(2023, 6, 3), on_anniversary)
    casework.episode(MONDAY, on_anniversary)
    day_after = casework.child()
    casework.episode(date(2023, 6, 3), day_after)
    casework.episode(date(2024, 6, 4), day_after)
    casework.episode(date(2024, 6, 5))  # a first referral
    assert statuses("re-referrals-12-months") == [Status.MET, Status.NOT_MET, Status.NOT_MET]


# Protection plans ------------------------------------------------------------------------------


def test_second_or_subsequent_plans(casework):
    casework.plan(MONDAY, previous=1)
    casework.plan(date(2024, 6, 4), previous=0)
    casework.plan(date(2024, 5, 31), previous=2)  # May: not counted in June
    assert statuses("cp-plans-second-or-subsequent") == [Status.MET, Status.NOT_MET]


def test_plans_open_two_years_at_the_end_of_the_month(casework):
    casework.plan(date(2022, 6, 30))  # 2 years on 30 June 2024
    casework.plan(date(2022, 7, 1))  # one day short
    casework.plan(date(2021, 1, 4), end=date(2024, 6, 30))  # ended on the day: not open
    assert statuses("cp-plans-open-2-years") == [Status.MET, Status.NOT_MET]
    # The month so far is measured today: the plan ending tomorrow is still open.
    assert statuses("cp-plans-open-2-years", now=london(2024, 6, 29, 12)) == [
        Status.MET,
        Status.NOT_MET,
        Status.NOT_MET,
    ]


# Visits ------------------------------------------------------------------------------------------


def test_visits_on_time_late_and_still_due(casework):
    plan = casework.plan(MONDAY)
    for day in (date(2024, 6, 17), date(2024, 7, 2)):  # 10 working days, then 11
        casework.step(Visit, plan.episode, purpose="cp_plan", visited_on=day, child_seen=True)
    # Clocks started 3 June (visited 17 June: the 10th working day) and 17 June (due
    # 1 July, visited 2 July: late).
    assert statuses("cp-visits-on-time") == [Status.MET, Status.NOT_MET]
    # The clock started 2 July runs to 16 July: pending on the day, late after.
    july = date(2024, 7, 1)
    assert statuses("cp-visits-on-time", now=london(2024, 7, 16, 12), month=july) == [
        Status.PENDING
    ]
    assert statuses("cp-visits-on-time", now=london(2024, 7, 17, 9), month=july) == [Status.NOT_MET]


def test_children_seen_alone_counts_only_visits_where_the_child_was_seen(casework):
    episode = casework.episode(MONDAY)
    casework.assessment(MONDAY)
    for seen, alone in ((True, True), (True, False), (False, False)):
        casework.step(
            Visit,
            episode,
            purpose="assessment",
            visited_on=MONDAY,
            child_seen=seen,
            seen_alone=alone,
        )
    assert sorted(statuses("children-seen-alone")) == [Status.MET, Status.NOT_MET]


def test_strategy_discussions_need_both_police_and_health(casework):
    for police, health in ((True, True), (True, False), (False, True)):
        casework.step(
            StrategyDiscussion,
            casework.episode(MONDAY),
            held_on=MONDAY,
            police_attended=police,
            health_attended=health,
            social_care_attended=True,
            decision="nfa",
            rationale="Shared",
        )
    assert sorted(statuses("strategy-discussions-police-health")) == [
        Status.MET,
        Status.NOT_MET,
        Status.NOT_MET,
    ]


def test_authorised_by_a_manager(casework):
    casework.assessment(MONDAY, authorised=date(2024, 6, 20))
    waiting = casework.assessment(MONDAY)
    waiting.completed_on, waiting.outcome = date(2024, 6, 20), "nfa"
    waiting.save()
    code = "assessments-authorised-by-manager"
    assert sorted(statuses(code, now=london(2024, 6, 27, 12))) == [Status.MET, Status.PENDING]
    assert sorted(statuses(code, now=london(2024, 6, 28, 9))) == [Status.MET, Status.NOT_MET]


# England ----------------------------------------------------------------------------------------


def test_england_figures_are_decimals_by_year_and_latest_is_the_newest():
    assert all(isinstance(v, Decimal) for m in ENGLAND.values() for v in m.values.values())
    figure = latest_england("re-referrals-12-months")
    assert figure is not None
    assert (figure.year, figure.value) == (2025, Decimal("22.6"))
    assert figure.label == "England: 22.6% (DfE, 2025)"
    second, long = (
        latest_england("cp-plans-second-or-subsequent"),
        latest_england("cp-plans-open-2-years"),
    )
    assert second is not None
    assert second.value == Decimal("24.5")
    assert long is not None
    assert long.value == Decimal("2.3")
    # §5 has no national figure for assessment timeliness: none is made up.
    assert latest_england("assessments-within-45-working-days") is None


def test_indicator_page_shows_englands_figure_line_and_table_row(client, personas, casework):
    client.force_login(personas["analyst"])
    response = client.get(reverse("performance:indicator", args=["re-referrals-12-months"]))
    page = response.content.decode()
    assert "England: 22.6% (DfE, 2025)" in page
    assert "England, 2025 (DfE)" in page
    [line] = [d for d in response.context["chart"]["datasets"] if d["label"].startswith("England")]
    assert set(line["data"]) == {22.6}
    without = client.get(
        reverse("performance:indicator", args=["assessments-within-45-working-days"])
    )
    assert "England:" not in without.content.decode()
