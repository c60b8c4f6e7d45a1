"""A benchmark-only casework history for a seeded council that has none yet, bulk inserted.

About one child in nine is referred over the last two years (22% of them twice); 90% of
referrals are assessed, 22% go to a strategy discussion and section 47 enquiry, 60% of
finished enquiries to an initial conference and 85% of those to a protection plan (visits
every 10 days, reviews at 3 then every 6 months); 30% have a child-in-need plan (visits
monthly) and 3% police protection or an EPO. Enough to make Lists 3-7 realistic in size;
the synthetic council replaces it once it seeds casework itself."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from evident.accounts.models import Team, User
from evident.accounts.services import team_get_or_create
from evident.casework.models import (
    Assessment,
    ChildProtectionPlan,
    CINPlan,
    Conference,
    EmergencyProtection,
    Episode,
    Section47,
    StrategyDiscussion,
    Visit,
)
from evident.people.models import Person

BATCH = 5000


class _History:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.team = team_get_or_create(
            name="Benchmark Safeguarding", kind=Team.Kind.DUTY_ASSESSMENT
        )
        self.workers = User.objects.bulk_create(
            User(username=f"bench-sw{i}", first_name="Bench", last_name=f"Worker{i}")
            for i in range(40)
        )
        self.assessments: list[Assessment] = []
        self.discussions: list[StrategyDiscussion] = []
        self.visits: list[Visit] = []
        self.protections: list[EmergencyProtection] = []
        self.cin_plans: list[CINPlan] = []

    def step(self, **fields: Any) -> dict[str, Any]:
        return {"recorded_by": self.rng.choice(self.workers), "recorded_at": self.now, **fields}

    def until(self, episode: Episode, day: date) -> date:
        return min(day, episode.closed_on or self.today, self.today)

    def visit(self, episode: Episode, purpose: str, day: date, seen: float, alone: float) -> None:
        child_seen = self.rng.random() < seen
        self.visits.append(
            Visit(
                episode=episode,
                **self.step(
                    purpose=purpose,
                    visited_on=day,
                    child_seen=child_seen,
                    seen_alone=child_seen and self.rng.random() < alone,
                ),
            )
        )

    def episodes(self) -> list[Episode]:
        rng, people = self.rng, list(Person.objects.values_list("pk", flat=True))
        made = []
        for person in rng.sample(people, k=len(people) // 9):
            for _ in range(2 if rng.random() < 0.22 else 1):
                referred = self.today - timedelta(days=rng.randrange(730))
                closed = referred + timedelta(days=rng.randrange(20, 400))
                is_closed = closed < self.today
                made.append(
                    Episode(
                        person_id=person,
                        referral_date=referred,
                        referral_source=rng.choice(["6", "2A", "3A", "1A", "5A", "8"]),
                        team=self.team,
                        worker=rng.choice(self.workers),
                        created_by=self.workers[0],
                        created_at=self.now,
                        primary_need=rng.choice(["N1", "N4", "N5"]),
                        closed_on=closed if is_closed else None,
                        closure_reason=rng.choice(["RC7", "RC8"]) if is_closed else "",
                    )
                )
        Episode.objects.bulk_create(made, batch_size=BATCH)
        return made

    def assessment(self, episode: Episode, start: date) -> None:
        authorised = start + timedelta(days=self.rng.randrange(10, 60))
        done = authorised <= self.until(episode, authorised)
        self.assessments.append(
            Assessment(
                episode=episode,
                **self.step(
                    start_date=start,
                    due_date=start + timedelta(days=63),
                    outcome=self.rng.choice(["nfa", "cin_plan", "strategy"]) if done else "",
                    completed_on=authorised if done else None,
                    authorised_on=authorised if done else None,
                ),
            )
        )
        for _ in range(self.rng.randrange(1, 3)):
            day = start + timedelta(days=self.rng.randrange(0, 20))
            if day <= self.today:
                self.visit(episode, "assessment", day, 0.9, 0.5)

    def cin_plan(self, episode: Episode, start: date) -> None:
        self.cin_plans.append(
            CINPlan(episode=episode, **self.step(start_date=start, end_date=episode.closed_on))
        )
        day = start
        while (day := day + timedelta(days=30)) <= self.until(episode, day):
            self.visit(episode, "cin_plan", day, 1.0, 0.4)

    def steps(self, episodes: list[Episode]) -> None:
        rng = self.rng
        for episode in episodes:
            start = episode.referral_date + timedelta(days=rng.randrange(0, 4))
            if start > self.until(episode, start):
                continue
            if rng.random() < 0.9:
                self.assessment(episode, start)
            if rng.random() < 0.22:
                self.discussions.append(
                    StrategyDiscussion(
                        episode=episode, **self.step(held_on=start, decision="s47", rationale="-")
                    )
                )
            plan_start = start + timedelta(days=40)
            if rng.random() < 0.3 and plan_start <= self.until(episode, plan_start):
                self.cin_plan(episode, plan_start)
            if rng.random() < 0.03:
                self.protections.append(
                    EmergencyProtection(
                        episode=episode,
                        **self.step(
                            kind=rng.choice(["police", "epo"]),
                            start_date=start,
                            end_date=start + timedelta(days=rng.randrange(1, 8)),
                        ),
                    )
                )
        Assessment.objects.bulk_create(self.assessments, batch_size=BATCH)
        StrategyDiscussion.objects.bulk_create(self.discussions, batch_size=BATCH)
        CINPlan.objects.bulk_create(self.cin_plans, batch_size=BATCH)
        EmergencyProtection.objects.bulk_create(self.protections, batch_size=BATCH)

    def enquiries(self) -> list[Section47]:
        made = []
        for discussion in self.discussions:
            episode = discussion.episode
            end = discussion.held_on + timedelta(days=self.rng.randrange(5, 25))
            done = end <= self.until(episode, end)
            conference = done and self.rng.random() < 0.6
            made.append(
                Section47(
                    episode=episode,
                    **self.step(
                        strategy_discussion=discussion,
                        start_date=discussion.held_on,
                        conference_due=discussion.held_on + timedelta(days=21),
                        outcome=("icpc" if conference else "no_icpc") if done else "",
                        completed_on=end if done else None,
                        conference_not_required=done and not conference,
                    ),
                )
            )
        Section47.objects.bulk_create(made, batch_size=BATCH)
        return made

    def plans(self, enquiries: list[Section47]) -> list[ChildProtectionPlan]:
        rng, conferences, plans = self.rng, [], []
        for enquiry in enquiries:
            held = enquiry.completed_on
            if enquiry.outcome != "icpc" or held is None:
                continue
            made = rng.random() < 0.85
            conferences.append(
                Conference(
                    episode=enquiry.episode,
                    **self.step(
                        kind="initial",
                        section47=enquiry,
                        due_date=enquiry.conference_due,
                        held_on=held,
                        plan_made=made,
                        decision_rationale="-",
                    ),
                )
            )
            if not made:
                continue
            end = held + timedelta(days=rng.randrange(90, 600))
            category = rng.choice(["NEG", "EMO", "PHY", "SAB", "MUL"])
            plans.append(
                ChildProtectionPlan(
                    episode=enquiry.episode,
                    **self.step(
                        start_date=held,
                        initial_category=category,
                        latest_category=rng.choice([category, "NEG", "EMO"]),
                        end_date=end if end <= self.until(enquiry.episode, end) else None,
                    ),
                )
            )
        Conference.objects.bulk_create(conferences, batch_size=BATCH)
        ChildProtectionPlan.objects.bulk_create(plans, batch_size=BATCH)
        return plans

    def plan_steps(self, plans: list[ChildProtectionPlan]) -> None:
        reviews = []
        for plan in plans:
            last = plan.end_date or self.today
            day = plan.start_date + timedelta(days=90)
            while day <= last:
                reviews.append(
                    Conference(
                        episode=plan.episode,
                        **self.step(
                            kind="review",
                            plan=plan,
                            due_date=day,
                            held_on=day,
                            plan_made=True,
                            decision_rationale="-",
                        ),
                    )
                )
                day += timedelta(days=180)
            day = plan.start_date
            while (day := day + timedelta(days=10)) <= last:
                self.visit(plan.episode, "cp_plan", day, 0.9, 0.6)
        Conference.objects.bulk_create(reviews, batch_size=BATCH)
        Visit.objects.bulk_create(self.visits, batch_size=BATCH)


def casework_history(*, seed: int) -> int:
    """Add the history in one transaction; returns how many episodes it added."""
    with transaction.atomic():
        history = _History(seed)
        episodes = history.episodes()
        history.steps(episodes)
        history.plan_steps(history.plans(history.enquiries()))
    return len(episodes)
