"""A census-shaped casework population by bulk insert, for the tests and the benchmark (the
synthetic council's own casework arrives with another piece of work).

Each child gets one episode referred in the census year, an authorised assessment with
factors, and in turn a child-in-need plan, or a strategy discussion, a section 47 enquiry,
an initial conference and a child protection plan with a review; some episodes close.
Every record is one the casework services would accept (steps in order, codes valid)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from evident.accounts.models import Team
from evident.accounts.services import team_get_or_create
from evident.casework import models as casework
from evident.core.codes import (
    AssessmentFactor,
    CategoryOfAbuse,
    Disability,
    Ethnicity,
    PrimaryNeed,
    ReasonForClosure,
    ReferralSource,
    Sex,
)
from evident.people.models import Person, PersonDisability

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_FACTORS = [f for f in AssessmentFactor.values if f not in {"18A", "19A", "21"}]


def valid_upn(digits: str) -> str:
    total = sum(int(c) * p for p, c in enumerate(digits, start=2))
    return CHECK_LETTERS[total % 23] + digits


def _weekday(day: date) -> date:
    """The day, or the Monday after when it falls at a weekend (a conference's target date
    is a working day: DfE rule 8870Q)."""
    return day + timedelta(days=max(0, 7 - day.weekday())) if day.weekday() >= 5 else day


def sample_casework(
    *, children: int, year: int, user: Any, seed: int = 1, batch: int = 5_000
) -> None:
    """``children`` children with census-year casework for the year ending 31 March ``year``."""
    rng = random.Random(seed)  # noqa: S311 (sample records, not secrets)
    team = team_get_or_create(name="Census sample team", kind=Team.Kind.CIN_CP)
    start = date(year - 1, 4, 1)
    # Of school age for the DfE (rule 8770Q): born by 31 August four years before the 31
    # August after the census year; younger children have UPNunknown UN1.
    school_age_born_by = date(year - 4, 8, 31)
    now = timezone.now()
    for first in range(0, children, batch):
        count = min(batch, children - first)
        people, disabilities = [], []
        episodes: list[casework.Episode] = []
        assessments, plans, discussions, s47s, cp_plans, conferences = [], [], [], [], [], []
        for n in range(first, first + count):
            born = start - timedelta(days=rng.randint(200, 17 * 365))
            person = Person(
                council_id=f"C{seed}{n:08d}",
                first_name="Sample",
                last_name=f"Child{n}",
                date_of_birth=born,
                sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                ethnicity=rng.choice(Ethnicity.values),
                upn=valid_upn(f"{n:012d}") if born <= school_age_born_by else "",
                upn_unknown_reason="" if born <= school_age_born_by else "UN1",
                created_at=now,
            )
            people.append(person)
            disability = rng.choice([Disability.NONE] * 8 + [Disability.LD, Disability.AUT])
            disabilities.append(PersonDisability(person=person, code=disability))
            referral = start + timedelta(days=rng.randint(0, 300))
            closes = rng.random() < 0.5
            closed_on = referral + timedelta(days=rng.randint(40, 60)) if closes else None
            episode = casework.Episode(
                person=person,
                referral_date=referral,
                referral_source=rng.choice(ReferralSource.values),
                team=team,
                created_by=user,
                created_at=datetime.combine(
                    referral, datetime.min.time(), tzinfo=timezone.get_current_timezone()
                ),
                primary_need=rng.choice([c for c in PrimaryNeed.values if c != "N0"]),
                closed_on=closed_on,
                closure_reason=ReasonForClosure.RC7 if closes else "",
                closed_by=user if closes else None,
            )
            episodes.append(episode)
            step = {"episode": episode, "recorded_by": user, "recorded_at": now}
            assessed = referral + timedelta(days=2)
            authorised = assessed + timedelta(days=rng.randint(10, 35))
            factors = rng.sample(_FACTORS, 2)
            if disability != Disability.NONE and not {"5A", "6A"} & set(factors):
                factors[0] = "5A"  # a disabled child's assessment notes it (DfE rule 8899Q)
            assessments.append(
                casework.Assessment(
                    **step,
                    start_date=assessed,
                    due_date=referral + timedelta(days=63),
                    factors=factors,
                    outcome=casework.Assessment.Outcome.CIN_PLAN,
                    completed_on=authorised,
                    authorised_on=authorised,
                    authorised_by=user,
                )
            )
            if rng.random() < 0.7:
                plans.append(
                    casework.CINPlan(
                        **step,
                        start_date=authorised,
                        end_date=closed_on,
                        end_reason=casework.CINPlan.EndReason.NEEDS_MET if closes else "",
                    )
                )
            else:
                held = assessed + timedelta(days=1)
                discussion = casework.StrategyDiscussion(
                    **step, held_on=held, decision="s47", rationale="Sample", police_attended=True
                )
                s47 = casework.Section47(
                    **step,
                    strategy_discussion=discussion,
                    start_date=held,
                    conference_due=_weekday(held + timedelta(days=21)),
                    outcome=casework.Section47.Outcome.CONFERENCE,
                )
                plan = casework.ChildProtectionPlan(
                    **step,
                    start_date=held + timedelta(days=14),
                    initial_category=rng.choice(CategoryOfAbuse.values),
                    latest_category=rng.choice(CategoryOfAbuse.values),
                    previous_plans=rng.choice([0, 0, 0, 1]),
                    end_date=closed_on,
                    end_reason=casework.ChildProtectionPlan.EndReason.NO_LONGER_AT_RISK
                    if closes
                    else "",
                )
                discussions.append(discussion)
                s47s.append(s47)
                cp_plans.append(plan)
                conferences.append(
                    casework.Conference(
                        **step,
                        kind="initial",
                        section47=s47,
                        due_date=s47.conference_due,
                        held_on=plan.start_date,
                        plan_made=True,
                        category=plan.initial_category,
                        decision_rationale="Sample",
                    )
                )
                conferences.append(
                    casework.Conference(
                        **step,
                        kind="review",
                        plan=plan,
                        due_date=plan.start_date + timedelta(days=90),
                        held_on=plan.start_date + timedelta(days=20),
                        plan_made=True,
                        decision_rationale="Sample",
                    )
                )
        Person.objects.bulk_create(people)
        PersonDisability.objects.bulk_create(disabilities)
        casework.Episode.objects.bulk_create(episodes)
        casework.Assessment.objects.bulk_create(assessments)
        casework.CINPlan.objects.bulk_create(plans)
        casework.StrategyDiscussion.objects.bulk_create(discussions)
        casework.Section47.objects.bulk_create(s47s)
        casework.ChildProtectionPlan.objects.bulk_create(cp_plans)
        casework.Conference.objects.bulk_create(conferences)
