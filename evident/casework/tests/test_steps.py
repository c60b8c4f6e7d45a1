"""The statutory steps of an episode through the services: order, clocks, concurrency."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evident.audit.models import AuditEvent
from evident.casework import rules, services
from evident.casework.models import (
    Allocation,
    Assessment,
    ChildProtectionPlan,
    CINPlan,
    Conference,
    Episode,
    Section47,
    StrategyDiscussion,
    Visit,
)
from evident.casework.tests.conftest import london
from evident.core.codes import CaseStatus, ReferralSource

NOW = london(2026, 11, 27, 12, 0)


@pytest.fixture
def episode(dat_people: dict[str, Any], dat_team: Any, make_child: Any) -> Episode:
    return services.episode_record_referral(
        actor=dat_people["socialworker"],
        person=make_child("Robin", "Referred"),
        referral_date=date(2026, 6, 1),
        source=ReferralSource.SCHOOLS,
        team=dat_team,
        now=NOW,
    )


def _through_conference(episode: Episode, sw: Any, *, plan: bool = True) -> Conference:
    services.strategy_discussion_record(
        actor=sw,
        episode=episode,
        held_on=date(2026, 6, 2),
        police=True,
        health=True,
        education=False,
        social_care=True,
        decision=StrategyDiscussion.Decision.SECTION_47,
        rationale="Injury explained inconsistently",
        now=NOW,
    )
    enquiry = Section47.objects.get(episode=episode)
    return services.initial_conference_record(
        actor=sw,
        enquiry=enquiry,
        held_on=date(2026, 6, 19),
        plan_made=plan,
        category="PHY",
        rationale="Continuing risk of physical harm",
        child_views="Robin said he was scared at bedtime",
        now=NOW,
    )


def test_a_referral_recorded_directly_opens_an_allocatable_episode(episode, dat_people):
    assert episode.contact_child is None
    assert Allocation.objects.filter(episode=episode, worker__isnull=True).count() == 1
    services.episode_allocate(
        actor=dat_people["manager"], episode=episode, worker=dat_people["sw2"], now=NOW
    )
    history = list(Allocation.objects.filter(episode=episode))
    assert len(history) == 2
    assert history[0].ended_at == NOW
    assert history[1].worker == dat_people["sw2"]
    assert AuditEvent.objects.filter(section="casework.referral", person=episode.person).exists()


def test_a_child_with_an_open_episode_cannot_be_referred_again(episode, dat_people, dat_team):
    with pytest.raises(ValidationError) as caught:
        services.episode_record_referral(
            actor=dat_people["socialworker"],
            person=episode.person,
            referral_date=date(2026, 7, 1),
            source=ReferralSource.POLICE,
            team=dat_team,
            now=NOW,
        )
    assert "already has an open episode" in str(caught.value)
    assert Episode.objects.count() == 1


def test_the_assessment_is_due_45_working_days_after_the_referral(episode, dat_people):
    assessment = services.assessment_start(
        actor=dat_people["socialworker"], episode=episode, start_date=date(2026, 6, 2), now=NOW
    )
    # 1 June 2026 + 45 working days (the summer bank holiday is 31 August, after it).
    assert assessment.due_date == date(2026, 8, 3)


def test_an_assessment_authorised_before_it_began_is_refused(episode, dat_people):
    sw, manager = dat_people["socialworker"], dat_people["manager"]
    assessment = services.assessment_start(
        actor=sw, episode=episode, start_date=date(2026, 6, 10), now=NOW
    )
    services.assessment_record(
        actor=sw,
        assessment=assessment,
        factors=["3B", "4B"],
        outcome=Assessment.Outcome.CIN_PLAN,
        completed_on=date(2026, 7, 1),
        primary_need="N1",
        child_views="Wants mum to be happy",
        now=NOW,
    )
    with pytest.raises(ValidationError) as caught:
        services.assessment_authorise(
            actor=manager,
            assessment=assessment,
            authorised_on=date(2026, 6, 5),
            rationale="Agreed",
            now=NOW,
        )
    assert "before it began" in str(caught.value)
    with pytest.raises(PermissionDenied):
        services.assessment_authorise(
            actor=sw, assessment=assessment, authorised_on=date(2026, 7, 2), rationale="x"
        )
    services.assessment_authorise(
        actor=manager,
        assessment=assessment,
        authorised_on=date(2026, 7, 2),
        rationale="Needs met by a CIN plan",
        now=NOW,
    )
    assessment.refresh_from_db()
    assert assessment.authorised_by == manager
    assert assessment.requires_support is True


def test_no_factors_identified_stands_alone(episode, dat_people):
    assessment = services.assessment_start(
        actor=dat_people["socialworker"], episode=episode, start_date=date(2026, 6, 2), now=NOW
    )
    with pytest.raises(ValidationError) as caught:
        services.assessment_record(
            actor=dat_people["socialworker"],
            assessment=assessment,
            factors=["21", "16A"],
            outcome=Assessment.Outcome.NO_FURTHER_ACTION,
            completed_on=date(2026, 6, 20),
            primary_need="N9",
            child_views="",
            now=NOW,
        )
    assert "factors" in caught.value.message_dict


def test_the_strategy_discussion_starts_the_enquiry_and_the_conference_clock(episode, dat_people):
    services.strategy_discussion_record(
        actor=dat_people["socialworker"],
        episode=episode,
        held_on=date(2026, 6, 2),
        police=True,
        health=False,
        education=False,
        social_care=True,
        decision=StrategyDiscussion.Decision.SECTION_47,
        rationale="Bruising",
        now=NOW,
    )
    enquiry = Section47.objects.get(episode=episode)
    assert enquiry.start_date == date(2026, 6, 2)
    assert enquiry.conference_due == date(2026, 6, 23)


def test_a_conference_before_its_strategy_discussion_is_refused_and_nothing_saved(
    episode, dat_people
):
    sw = dat_people["socialworker"]
    services.strategy_discussion_record(
        actor=sw,
        episode=episode,
        held_on=date(2026, 6, 10),
        police=True,
        health=True,
        education=True,
        social_care=True,
        decision=StrategyDiscussion.Decision.SECTION_47,
        rationale="Disclosure at school",
        now=NOW,
    )
    enquiry = Section47.objects.get(episode=episode)
    with pytest.raises(ValidationError) as caught:
        services.initial_conference_record(
            actor=sw,
            enquiry=enquiry,
            held_on=date(2026, 6, 9),
            plan_made=True,
            category="SAB",
            rationale="Risk",
            child_views="",
            now=NOW,
        )
    assert "before the strategy discussion" in str(caught.value)
    assert not Conference.objects.exists()
    assert not ChildProtectionPlan.objects.exists()


def test_a_plan_made_counts_previous_plans_and_steps_up_a_cin_plan(episode, dat_people):
    sw = dat_people["socialworker"]
    cin = services.cin_plan_start(actor=sw, episode=episode, start_date=date(2026, 6, 1), now=NOW)
    conference = _through_conference(episode, sw)
    plan = ChildProtectionPlan.objects.get(episode=episode)
    assert plan.start_date == conference.held_on
    assert plan.previous_plans == 0
    assert plan.initial_category == plan.latest_category == "PHY"
    cin.refresh_from_db()
    assert cin.end_reason == CINPlan.EndReason.STEPPED_UP_CP
    assert rules.previous_plan_count([date(2020, 1, 1), date(2027, 1, 1)], date(2026, 6, 19)) == 1


def test_reviews_update_the_latest_category_and_can_end_the_plan(episode, dat_people):
    sw = dat_people["socialworker"]
    _through_conference(episode, sw)
    plan = ChildProtectionPlan.objects.get()
    services.core_group_record(actor=sw, plan=plan, held_on=date(2026, 6, 26), notes="", now=NOW)
    review = services.review_conference_record(
        actor=sw,
        plan=plan,
        held_on=date(2026, 9, 10),
        plan_continues=True,
        category="MUL",
        end_reason="",
        rationale="Emotional harm too",
        child_views="",
        now=NOW,
    )
    assert review.due_date == date(2026, 9, 19)
    plan.refresh_from_db()
    assert plan.latest_category == "MUL"
    assert plan.initial_category == "PHY"
    with pytest.raises(ValidationError) as caught:
        services.cp_plan_end(
            actor=sw, plan=plan, end_date=date(2026, 6, 1), end_reason="no_risk", now=NOW
        )
    assert "before it started" in str(caught.value)
    services.review_conference_record(
        actor=sw,
        plan=plan,
        held_on=date(2026, 11, 20),
        plan_continues=False,
        category="",
        end_reason=ChildProtectionPlan.EndReason.STEPPED_DOWN_CIN,
        rationale="Risk reduced",
        child_views="Feels safer",
        now=NOW,
    )
    plan.refresh_from_db()
    assert plan.end_date == date(2026, 11, 20)


def test_a_statutory_visit_needs_the_plan_under_way(episode, dat_people):
    sw = dat_people["socialworker"]
    with pytest.raises(ValidationError) as caught:
        services.visit_record(
            actor=sw,
            episode=episode,
            purpose=Visit.Purpose.CP_PLAN,
            visited_on=date(2026, 6, 5),
            child_seen=True,
            seen_alone=True,
            child_said="",
            now=NOW,
        )
    assert "record that step first" in str(caught.value)
    _through_conference(episode, sw)
    visit = services.visit_record(
        actor=sw,
        episode=episode,
        purpose=Visit.Purpose.CP_PLAN,
        visited_on=date(2026, 6, 25),
        child_seen=True,
        seen_alone=True,
        child_said="Likes his new school",
        now=NOW,
    )
    assert visit.seen_alone


def test_a_stale_version_is_refused(episode, dat_people):
    stale = episode.version
    services.cin_plan_start(
        actor=dat_people["socialworker"],
        episode=episode,
        start_date=date(2026, 6, 3),
        version=stale,
        now=NOW,
    )
    plan = CINPlan.objects.get()
    with pytest.raises(services.EpisodeChangedError):
        services.cin_plan_end(
            actor=dat_people["sw2"],
            plan=plan,
            end_date=date(2026, 7, 1),
            end_reason="met",
            version=stale,
            now=NOW,
        )
    plan.refresh_from_db()
    assert plan.end_date is None


def test_closure_needs_plans_ended_and_sets_census_fields(episode, dat_people):
    sw, manager = dat_people["socialworker"], dat_people["manager"]
    plan = services.cin_plan_start(actor=sw, episode=episode, start_date=date(2026, 6, 3), now=NOW)
    close = {
        "actor": manager,
        "closed_on": date(2026, 11, 2),
        "reason": "RC7",
        "primary_need": "N4",
        "rationale": "Needs met",
        "now": NOW,
    }
    with pytest.raises(ValidationError) as caught:
        services.episode_close(episode=episode, **close)
    assert "end the plan first" in str(caught.value)
    services.cin_plan_end(
        actor=sw, plan=plan, end_date=date(2026, 11, 5), end_reason="met", now=NOW
    )
    with pytest.raises(ValidationError) as caught:
        services.episode_close(episode=episode, **close)
    assert "before its last recorded step" in str(caught.value)
    close["closed_on"] = date(2026, 11, 6)
    closed = services.episode_close(episode=episode, **close)
    assert closed.closure_reason == "RC7"
    assert not closed.referral_nfa
    with pytest.raises(ValidationError):
        services.cin_plan_start(actor=sw, episode=closed, start_date=date(2026, 11, 6), now=NOW)


def test_referral_nfa_only_when_the_referral_went_no_further(episode, dat_people, make_child):
    manager, sw = dat_people["manager"], dat_people["socialworker"]
    close = {
        "actor": manager,
        "closed_on": date(2026, 11, 6),
        "reason": "RC8",
        "primary_need": "N9",
        "rationale": "No further action",
        "now": NOW,
    }
    assessed = services.assessment_start(
        actor=sw, episode=episode, start_date=date(2026, 11, 2), now=NOW
    )
    services.assessment_record(
        actor=sw,
        assessment=assessed,
        factors=["21"],
        outcome="nfa",
        completed_on=date(2026, 11, 3),
        primary_need="N9",
        child_views="",
        now=NOW,
    )
    services.assessment_authorise(
        actor=manager,
        assessment=assessed,
        authorised_on=date(2026, 11, 4),
        rationale="NFA",
        now=NOW,
    )
    # No factors found: only RC8 fits (census rule 8873), and nothing is saved otherwise.
    with pytest.raises(ValidationError, match="close with RC8"):
        services.episode_close(episode=episode, **{**close, "reason": "RC9"})
    episode.refresh_from_db()
    assert episode.closed_on is None
    # RC8 after an assessment is "closed after assessment", not a referral with no further action.
    assert not services.episode_close(episode=episode, **close).referral_nfa
    other = services.episode_record_referral(
        actor=sw,
        person=make_child(),
        referral_date=date(2026, 11, 2),
        source="6",
        team=episode.team,
        now=NOW,
    )
    assert services.episode_close(episode=other, **close).referral_nfa


@pytest.mark.parametrize(
    ("closed", "looked_after", "cp", "cin", "expected"),
    [
        (True, True, True, True, CaseStatus.CLOSED),
        (False, True, True, True, CaseStatus.LOOKED_AFTER),
        (False, False, True, True, CaseStatus.CP_PLAN),
        (False, False, False, True, CaseStatus.CIN_PLAN),
        (False, False, False, False, CaseStatus.OPEN_ASSESSMENT),
    ],
)
def test_case_status_precedence(closed, looked_after, cp, cin, expected):
    status = rules.case_status(
        closed=closed, looked_after=looked_after, on_cp_plan=cp, on_cin_plan=cin
    )
    assert status == expected


def test_re_referral_is_within_twelve_months():
    assert rules.is_re_referral([date(2025, 6, 1)], date(2026, 6, 1))
    assert not rules.is_re_referral([date(2025, 6, 1)], date(2026, 6, 2))
    assert not rules.is_re_referral([], date(2026, 6, 2))


def _visit(purpose: str, day: date, seen: bool = True, alone: bool = False) -> Visit:
    return Visit(purpose=purpose, visited_on=day, child_seen=seen, seen_alone=alone)


def test_annex_a_visit_columns():
    visits = [
        _visit("assessment", date(2026, 6, 5), seen=False),
        _visit("assessment", date(2026, 6, 9)),
        _visit("cp_plan", date(2026, 7, 1), alone=True),
        _visit("cp_plan", date(2026, 7, 15), seen=False),
    ]
    seen = rules.child_seen_during_assessment
    assert seen(visits, start=date(2026, 6, 1), end=date(2026, 6, 30), as_of=date(2026, 12, 1))
    assert not seen(visits, start=date(2026, 6, 10), end=None, as_of=date(2026, 6, 30))
    assert rules.date_last_seen(visits, as_of=date(2026, 12, 1)) == date(2026, 7, 1)
    assert rules.date_last_seen(visits, as_of=date(2026, 6, 8)) is None
    last = rules.last_statutory_visit(
        visits, plan_start=date(2026, 6, 20), plan_end=None, as_of=date(2026, 12, 1)
    )
    assert last is not None
    assert last.visited_on == date(2026, 7, 15)
    assert not last.seen_alone


def test_emergency_protection_in_the_last_six_months():
    from evident.casework.models import EmergencyProtection

    epo = EmergencyProtection(kind="epo", start_date=date(2026, 1, 10), end_date=date(2026, 1, 18))
    within = rules.emergency_protection_within
    assert within([epo], as_of=date(2026, 7, 18))
    assert not within([epo], as_of=date(2026, 7, 19))
    assert not within([epo], as_of=date(2026, 1, 9))
