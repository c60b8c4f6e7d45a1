"""Casework for the synthetic council: referrals through to closure, England-shaped.

Each child in casework has a *chain* of referrals: an episode runs its course (assessment,
perhaps a strategy discussion, a section 47 enquiry, an initial conference and a plan; or a
child-in-need plan), closes, and some children are referred again. Chains start up to
``HISTORY_MONTHS`` before the seeded months so that re-referrals and second protection plans
have earlier records to count against (as a live council's records do); a chain wholly
before the seeded months is not written. Every step is dated in the order the casework
services insist on (no conference before its strategy discussion, no plan end before its
start, closure after the last step), and anything after the last seeded day is left open.

Referrals from front-door contacts (episodes already in the database) are extended with the
same steps, and one made while the child's episode is still open is recorded on that episode
(its own row is removed, as ``episode_open_for_referral`` never makes it); the rest of the
council's referrals are recorded directly (no contact).

Shape (reference.md §5 and the England CSVs): about 520 referrals per 10,000 children a
year, 22% re-referrals within 12 months, 24% of new protection plans second or later, about
82% of assessments authorised within 45 working days and 80% of initial conferences within 15.
"""

from __future__ import annotations

import bisect
import random
import time as timer
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import IO, TYPE_CHECKING, Any

from evident.accounts.models import Team, User
from evident.casework.models import (
    Allocation,
    Assessment,
    ChildProtectionPlan,
    CINPlan,
    CINPlanReview,
    Conference,
    CoreGroup,
    EmergencyProtection,
    Episode,
    Section47,
    StrategyDiscussion,
    Visit,
)
from evident.core import clocks
from evident.core.clocks import add_months
from evident.core.models import ClosureDay
from evident.core.working_days import WorkingDayCalendar, bank_holidays
from evident.people.models import Person
from evident.synthetic.clock import local, months_before, pick, randint, weighted
from evident.synthetic.people import Population
from evident.synthetic.rows import Maker

if TYPE_CHECKING:
    from evident.synthetic.council import SeedResult

# --- Shape ---------------------------------------------------------------------------------

REFERRALS_PER_CHILD_PER_YEAR = 0.052  # England 2025: 632,830 referrals, ~12.1m children
HISTORY_MONTHS = 48  # chains of high-risk children may start this long before
LOW_RISK_HISTORY_MONTHS = 18  # and other chains this long
HIGH_RISK_SHARE = 0.2  # children whose families come back and whose risk is significant
RE_REFERRAL = {"low": 0.29, "high": 0.86}  # chance of another referral after closure
QUICK_RETURN_SHARE = 0.8  # of those: back within months rather than years
# Of children still being assessed, the share whose worker has already recorded a primary
# need (the rest are census rule 8610 findings until the assessment is done).
NEED_AT_REFERRAL_SHARE = 0.85
# Of disabled children's assessments, the share recording the disability as a factor.
DISABILITY_FACTOR_SHARE = 0.85
REFERRAL_NFA_SHARE = 0.065  # England 2025: 6.5% of referrals end in no further action
STRATEGY_SHARE = {"low": 0.2, "high": 0.78}  # a strategy discussion in the episode
STRATEGY_DECISIONS = (("s47", 90.0), ("cin", 7.0), ("nfa", 3.0))
SECTION47_OUTCOMES = {
    "low": (("icpc", 28.0), ("no_icpc", 20.0), ("unsubstantiated", 52.0)),
    "high": (("icpc", 62.0), ("no_icpc", 14.0), ("unsubstantiated", 24.0)),
}
PLAN_MADE_SHARE = {"low": 0.72, "high": 0.86}
ASSESSMENT_ON_TIME = 0.8
CONFERENCE_ON_TIME = 0.82
REVIEW_ON_TIME = 0.9
CORE_GROUP_ON_TIME = 0.9
VISIT_ON_TIME = 0.87
SEEN = 0.93
EMERGENCY_PROTECTION_SHARE = 0.06  # of section 47 enquiries (police protection mostly)
ASSESSMENT_OUTCOMES = (("nfa", 38.0), ("cin_plan", 34.0), ("early_help", 28.0))
CATEGORIES = (("NEG", 50.0), ("EMO", 35.0), ("PHY", 7.0), ("SAB", 4.0), ("MUL", 4.0))
# CP plan length in months (England: 30% end within 3 months of 31 March, ~2.5% last 2+ years).
CP_MONTHS = ((2, 4, 27.0), (4, 8, 33.0), (8, 14, 27.0), (14, 24, 11.0), (24, 34, 2.0))
CP_END_REASONS = (("no_risk", 52.0), ("to_cin", 44.0), ("moved", 4.0))
CIN_MONTHS = ((2, 5, 40.0), (5, 10, 40.0), (10, 20, 20.0))
CIN_END_REASONS = (("met", 68.0), ("to_eh", 27.0), ("moved", 5.0))
# Census assessment factors, weighted by England's 2024 shares (reference.md §5).
FACTORS = (
    ("4B", 32.7),
    ("3B", 31.7),
    ("17A", 19.3),
    ("20", 18.5),
    ("4A", 17.0),
    ("16A", 16.5),
    ("1B", 14.3),
    ("2B", 14.0),
    ("3A", 9.0),
    ("18C", 7.0),
    ("5A", 5.0),
    ("15A", 5.0),
    ("10A", 4.5),
    ("24A", 3.0),
    ("11A", 2.5),
    ("19C", 2.0),
    ("7A", 1.5),
    ("6B", 2.0),
)
FACTOR_COUNT_WEIGHTS = (30.0, 35.0, 22.0, 13.0)  # one, two, three, four factors
NEED_CP = (("N1", 88.0), ("N5", 7.0), ("N4", 5.0))
NEED_CIN = (
    ("N1", 38.0),
    ("N2", 13.0),
    ("N3", 5.0),
    ("N4", 14.0),
    ("N5", 20.0),
    ("N6", 5.0),
    ("N7", 1.0),
    ("N8", 4.0),
)
NEED_NONE = (("N9", 55.0), ("N4", 20.0), ("N5", 15.0), ("N0", 10.0))

# Short realistic words for the text fields.
AUTHORISED = (
    "Assessment is thorough and the analysis supports the outcome.",
    "Agreed: the child's needs and the risks are clearly set out.",
    "Authorised. The plan reflects what the child told us.",
    "Agreed with the recommendation; the family's strengths are well evidenced.",
)
STRATEGY_RATIONALE = {
    "s47": "Reasonable cause to suspect significant harm: section 47 enquiry agreed by partners.",
    "cin": "Threshold for section 47 not met; needs to be met through a child-in-need plan.",
    "nfa": "Information shared by partners explains the concern; no further action needed.",
}
NOT_REQUIRED = {
    "no_icpc": "Risks are being managed by the family with support; a plan is not needed.",
    "unsubstantiated": "Concerns were not substantiated by the enquiry.",
}
CONFERENCE_RATIONALE = (
    "The conference agreed the child is at continuing risk of significant harm.",
    "Multi-agency agreement that the threshold for a protection plan is met.",
)
NO_PLAN_RATIONALE = "The conference agreed the child is not at continuing risk of significant harm."
REVIEW_RATIONALE = (
    "Progress is being made but the risks remain: the plan continues.",
    "The plan continues; the core group will focus on the outstanding actions.",
)
END_RATIONALE = "Risks have reduced and the family have sustained the changes: the plan ends."
CHILD_SAID = (
    "Said things are calmer at home.",
    "Talked about school and friends; said they feel safe.",
    "Said they worry when their parents argue.",
    "Showed their room and talked about their pets.",
    "Did not want to talk today.",
    "Said they would like to see their dad more.",
    "",
)
CLOSURE_RATIONALE = {
    "RC3": "A child arrangements order is in place.",
    "RC4": "A special guardianship order has been made.",
    "RC5": "The family have moved: the case has been transferred to the new authority.",
    "RC6": "Transferred to adult social care.",
    "RC7": "Needs met; the child is no longer in need of services.",
    "RC8": "Closed after assessment with no further action.",
    "RC9": "Closed after assessment; the family are supported by early help.",
}


def _cum(pairs: tuple[tuple[str, float], ...]) -> tuple[list[str], list[float]]:
    values, cum, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        cum.append(total)
    return values, cum


_make_episode = Maker(Episode)
_make_allocation = Maker(Allocation)
_make_assessment = Maker(Assessment)
_make_strategy_discussion = Maker(StrategyDiscussion)
_make_section47 = Maker(Section47)
_make_child_protection_plan = Maker(ChildProtectionPlan)
_make_conference = Maker(Conference)
_make_core_group = Maker(CoreGroup)
_make_cin_plan = Maker(CINPlan)
_make_cin_plan_review = Maker(CINPlanReview)
_make_visit = Maker(Visit)
_make_emergency_protection = Maker(EmergencyProtection)


# --- The plan of rows ----------------------------------------------------------------------


@dataclass
class CaseworkRows:
    episodes: list[Episode] = field(default_factory=list)
    extended: list[Episode] = field(default_factory=list)  # front-door episodes given steps
    allocations: list[Allocation] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    discussions: list[StrategyDiscussion] = field(default_factory=list)
    section47s: list[tuple[Section47, StrategyDiscussion]] = field(default_factory=list)
    cp_plans: list[ChildProtectionPlan] = field(default_factory=list)
    # Conferences point at their enquiry or plan, whose keys exist only after insert.
    conferences: list[tuple[Conference, Section47 | None, ChildProtectionPlan | None]] = field(
        default_factory=list
    )
    core_groups: list[tuple[CoreGroup, ChildProtectionPlan]] = field(default_factory=list)
    cin_plans: list[CINPlan] = field(default_factory=list)
    cin_reviews: list[tuple[CINPlanReview, CINPlan]] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    protections: list[EmergencyProtection] = field(default_factory=list)
    # Front-door referrals made while the child's episode was still open: recorded on that
    # episode (as ``episode_open_for_referral`` does), so their own rows are removed.
    joined: list[Episode] = field(default_factory=list)


@dataclass
class _Teams:
    assessment: list[tuple[Team, list[User], list[User]]]  # team, workers, managers
    plans: list[tuple[Team, list[User], list[User]]]


def _teams() -> _Teams:
    members: dict[int, list[User]] = defaultdict(list)
    through = User.teams.through
    teams = {
        t.pk: t for t in Team.objects.filter(kind__in=[Team.Kind.DUTY_ASSESSMENT, Team.Kind.CIN_CP])
    }
    users = {u.pk: u for u in User.objects.filter(teams__in=list(teams)).distinct()}
    for user_id, team_id in through.objects.filter(team_id__in=list(teams)).values_list(
        "user_id", "team_id"
    ):
        members[team_id].append(users[user_id])
    result = _Teams(assessment=[], plans=[])
    for pk in sorted(teams):
        team = teams[pk]
        people = sorted(members[pk], key=lambda u: u.pk)
        managers = [u for u in people if u.job_title.lower().startswith("team manager")]
        workers = [u for u in people if u not in managers] or people
        entry = (team, workers, managers or people)
        if team.kind == Team.Kind.DUTY_ASSESSMENT:
            result.assessment.append(entry)
        else:
            result.plans.append(entry)
    if not result.plans:
        result.plans = result.assessment
    return result


class _Planner:
    def __init__(
        self,
        rng: random.Random,
        *,
        calendar: WorkingDayCalendar,
        until: date,
        now: datetime,
        teams: _Teams,
        disabled: set[Any],
    ) -> None:
        self.rng = rng
        self.cal = calendar
        self.disabled = disabled  # children with a disability (not NONE)
        # Every working day from well before the history to well after the last day.
        first = date(until.year - 7, 1, 1)
        self.working = [
            first + timedelta(days=k)
            for k in range((date(until.year + 4, 1, 1) - first).days)
            if calendar.is_working_day(first + timedelta(days=k))
        ]
        self.index = {day: i for i, day in enumerate(self.working)}
        self.until = until
        self.now = now
        self.teams = teams
        self.rows = CaseworkRows()
        self.draws = {
            name: _cum(pairs)
            for name, pairs in (
                ("strategy", STRATEGY_DECISIONS),
                ("s47-low", SECTION47_OUTCOMES["low"]),
                ("s47-high", SECTION47_OUTCOMES["high"]),
                ("outcome", ASSESSMENT_OUTCOMES),
                ("category", CATEGORIES),
                ("cp_end", CP_END_REASONS),
                ("cin_end", CIN_END_REASONS),
                ("factor", FACTORS),
                ("need_cp", NEED_CP),
                ("need_cin", NEED_CIN),
                ("need_none", NEED_NONE),
            )
        }

    # --- small helpers ---

    def draw(self, name: str) -> str:
        values, cum = self.draws[name]
        return weighted(self.rng, values, cum)

    def wd(self, day: date, n: int) -> date:
        """``calendar.add_working_days`` by table look-up (tens of thousands of calls)."""
        if n == 0:
            return day
        i = self.index.get(day)
        if i is None:  # not a working day: count from the next one
            i = bisect.bisect_left(self.working, day) - (1 if n > 0 else 0)
        j = i + n
        if not (0 <= j < len(self.working)) or not (self.working[0] < day < self.working[-1]):
            return self.cal.add_working_days(day, n)
        return self.working[j]

    def at(self, day: date) -> datetime:
        """When a step dated ``day`` was recorded: during that working day, never after now."""
        moment = local(day, time(randint(self.rng, 9, 16), randint(self.rng, 0, 59)))
        return min(moment, self.now)

    def kept(self, day: date | None) -> bool:
        return day is not None and day <= self.until

    def _span(self, months: tuple[tuple[int, int, float], ...]) -> int:
        weights = [w for _, _, w in months]
        a, b, _ = self.rng.choices(months, weights=weights)[0]
        return randint(self.rng, a, b)

    def _seen(self, born: date, day: date) -> tuple[bool, bool]:
        seen = self.rng.random() < SEEN
        age = (day - born).days // 365
        alone_share = 0.0 if age < 3 else (0.45 if age < 8 else 0.8)
        return seen, seen and self.rng.random() < alone_share

    def visit(self, episode: Episode, born: date, purpose: str, day: date, worker: User) -> None:
        if not self.kept(day):
            return
        seen, alone = self._seen(born, day)
        self.rows.visits.append(
            _make_visit(
                episode_id=episode.pk,
                purpose=purpose,
                visited_on=day,
                child_seen=seen,
                seen_alone=alone,
                child_said=pick(self.rng, CHILD_SAID) if seen else "",
                recorded_by_id=worker.pk,
                recorded_at=self.at(day),
            )
        )

    def visits_between(
        self,
        episode: Episode,
        born: date,
        purpose: str,
        first: date,
        last: date,
        worker: User,
        every: int,
    ) -> date:
        """Visits from ``first`` to ``last`` about every ``every`` working days, most on
        time and a late tail; returns the last visit's date."""
        day, latest = first, first
        while day <= last and day <= self.until:
            self.visit(episode, born, purpose, day, worker)
            latest = day
            if self.rng.random() < VISIT_ON_TIME:
                gap = randint(self.rng, max(1, every // 2), every)
            else:
                gap = randint(self.rng, every + 1, every + every // 2 + 2)
            day = self.wd(day, gap)
        return latest

    # --- an episode ---

    def episode(  # noqa: C901 (one episode's flow reads best in one place)
        self,
        *,
        person: Person,
        referral: date,
        risk: str,
        previous_plans: int,
        existing: Episode | None = None,
        protect: bool = False,
    ) -> tuple[date | None, int]:
        """Plan one episode's steps. Returns its closure date (None while open) and how
        many protection plans it started. ``protect``: the episode goes through a section 47
        enquiry to a protection plan (an earlier episode behind a second plan)."""
        rng = self.rng
        born = person.date_of_birth or referral
        team, workers, managers = pick(rng, self.teams.assessment)
        worker, manager = pick(rng, workers), pick(rng, managers)
        allocated = min(local(self.wd(referral, randint(rng, 0, 1)), time(11, 0)), self.now)
        if existing is None:
            episode = _make_episode(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                person_id=person.pk,
                referral_date=referral,
                referral_source=pick(rng, SOURCES),
                team_id=team.pk,
                worker_id=worker.pk,
                allocated_at=allocated,
                created_by_id=worker.pk,
                created_at=min(local(referral, time(10, randint(rng, 0, 59))), self.now),
            )
            self.rows.episodes.append(episode)
            first = _make_allocation(
                episode_id=episode.pk,
                team_id=team.pk,
                worker_id=worker.pk,
                started_at=allocated,
                allocated_by_id=manager.pk,
            )
            self.rows.allocations.append(first)
        else:
            episode = existing
            self.rows.extended.append(episode)
            # Every episode has its allocation history from the start, as the casework
            # migration and services give it (the worker may still be to choose).
            self.rows.allocations.append(
                _make_allocation(
                    episode_id=existing.pk,
                    team_id=existing.team_id,
                    worker_id=existing.worker_id,
                    started_at=existing.allocated_at or existing.created_at,
                    allocated_by_id=manager.pk,
                )
            )
        steps: list[date] = [referral]
        plans = 0

        assessment: Assessment | None = None

        def close(day: date, reason: str, need: str) -> date | None:
            # Closure comes after every step, and only once the assessment is authorised.
            day = max(day, max(steps))
            if not self.kept(day) or (assessment is not None and assessment.authorised_on is None):
                return None
            episode.closed_on = day
            episode.closure_reason = reason
            episode.primary_need = need
            # ReferralNFA: RC8 with nothing beyond the referral (services.referral_went_no_further).
            episode.referral_nfa = reason == "RC8" and assessment is None
            episode.closure_rationale = CLOSURE_RATIONALE[reason]
            episode.closed_by_id = manager.pk
            return day

        # Referral ends in no further action (RC8, ReferralNFA), without an assessment.
        if not protect and rng.random() < REFERRAL_NFA_SHARE:
            return close(self.wd(referral, randint(rng, 1, 5)), "RC8", "N9"), 0

        # The assessment: starts within 2 working days; authorised mostly within 45.
        start = self.wd(referral, randint(rng, 0, 2)) if rng.random() < 0.9 else referral
        due = self.wd(referral, clocks.ASSESSMENT.working_days)
        if rng.random() < ASSESSMENT_ON_TIME:
            span = self.cal.working_days_between(referral, due)
            authorised = self.wd(referral, randint(rng, max(8, span - 35), span))
        else:
            authorised = self.wd(due, randint(rng, 1, 30) if rng.random() < 0.8 else 40)
        authorised = max(authorised, start)
        completed = max(start, self.wd(authorised, -randint(rng, 0, 3)))
        strategy = protect or rng.random() < STRATEGY_SHARE[risk]
        outcome = "strategy" if strategy else self.draw("outcome")
        count = weighted(rng, (1, 2, 3, 4), _FACTOR_COUNT_CUM)
        factors = sorted(
            {self.draw("factor") for _ in range(count)}, key=lambda code: _FACTOR_ORDER[code]
        )
        if outcome == "nfa" and rng.random() < 0.25:
            factors = ["21"]
        elif episode.person_id in self.disabled:
            # Most disabled children's assessments name the disability as a factor (census
            # query 8899Q asks about the rest). A side generator keeps the main draws.
            side = random.Random(episode.pk.int + 1)  # noqa: S311 (synthetic data)
            if side.random() < DISABILITY_FACTOR_SHARE:
                factors = sorted(
                    {*factors, side.choice(("5A", "6A"))},
                    key=lambda code: _FACTOR_ORDER.get(code, 98),
                )
        assessment = _make_assessment(
            episode_id=episode.pk,
            start_date=start,
            due_date=due,
            factors=[],
            recorded_by_id=worker.pk,
            recorded_at=self.at(start),
        )
        if self.kept(start):
            self.rows.assessments.append(assessment)
            steps.append(start)
        else:
            return None, 0
        if self.kept(completed):
            assessment.factors = factors
            assessment.outcome = outcome
            assessment.completed_on = completed
            assessment.child_views = pick(rng, CHILD_SAID)
            # The census primary need is set when the episode is assessed.
            need = "need_cp" if strategy else ("need_cin" if outcome == "cin_plan" else "need_none")
            episode.primary_need = self.draw(need)
            steps.append(completed)
        else:
            # Still being assessed: most workers record a primary need at referral (census
            # rule 8610 asks for one). A side generator, so the main draws stay as tuned.
            side = random.Random(episode.pk.int)  # noqa: S311 (synthetic data)
            if side.random() < NEED_AT_REFERRAL_SHARE:
                values, cum = self.draws["need_cin"]
                episode.primary_need = weighted(side, values, cum)
        if self.kept(authorised) and self.kept(completed):
            assessment.authorised_on = authorised
            assessment.authorised_by_id = manager.pk
            assessment.authorisation_rationale = pick(rng, AUTHORISED)
            steps.append(authorised)
        for _ in range(randint(rng, 1, 2)):
            day = self.wd(
                start, randint(rng, 0, max(0, self.cal.working_days_between(start, completed)))
            )
            self.visit(episode, born, "assessment", day, worker)
            if self.kept(day):
                steps.append(day)

        after: date | None = authorised  # when what follows the assessment starts
        cin_start: date | None = None
        if not strategy:
            if outcome == "cin_plan":
                cin_start = authorised
            else:
                reason = "RC8" if outcome == "nfa" else "RC9"
                return close(
                    self.wd(authorised, randint(rng, 0, 5)), reason, self.draw("need_none")
                ), 0
        else:
            held = self.wd(start, randint(rng, 0, 4))
            school_age = (held - born).days >= 5 * 365
            decision = "s47" if protect else self.draw("strategy")
            discussion = _make_strategy_discussion(
                episode_id=episode.pk,
                held_on=held,
                police_attended=rng.random() < 0.9,
                health_attended=rng.random() < 0.76,
                education_attended=rng.random() < (0.62 if school_age else 0.12),
                social_care_attended=True,
                decision=decision,
                rationale=STRATEGY_RATIONALE[decision],
                recorded_by_id=worker.pk,
                recorded_at=self.at(held),
            )
            if not self.kept(held):
                return None, 0
            self.rows.discussions.append(discussion)
            steps.append(held)
            if decision == "nfa":
                return close(
                    self.wd(max(steps), randint(rng, 0, 5)), "RC8", self.draw("need_none")
                ), 0
            if decision == "cin":
                cin_start = max(held, authorised)
            else:
                cin_start, after, plans = self._enquiry(
                    episode, person, born, discussion, risk, previous_plans, worker, steps, protect
                )
                if cin_start is None and after is None:
                    return None, plans  # still under way at the end of the seeded months
                if after is not None and cin_start is None:
                    need = self.draw("need_cp") if plans else self.draw("need_none")
                    return close(
                        self.wd(after, randint(rng, 0, 10)), _closure(rng, person, after), need
                    ), plans
        if cin_start is None:  # pragma: no cover (every path above returns or sets it)
            return None, plans
        end = self._cin_plan(episode, born, cin_start, worker, steps)
        if end is None:
            return None, plans
        reason = "RC5" if end[1] == "moved" else ("RC9" if end[1] == "to_eh" else "RC7")
        if reason == "RC7":
            reason = _closure(rng, person, end[0])
        need = self.draw("need_cp") if plans else self.draw("need_cin")
        return close(self.wd(end[0], randint(rng, 0, 10)), reason, need), plans

    def _enquiry(  # noqa: C901
        self,
        episode: Episode,
        person: Person,
        born: date,
        discussion: StrategyDiscussion,
        risk: str,
        previous_plans: int,
        worker: User,
        steps: list[date],
        protect: bool = False,
    ) -> tuple[date | None, date | None, int]:
        """The section 47 enquiry and what follows: (CIN plan start, last day, plans)."""
        rng = self.rng
        held = discussion.held_on
        due = self.wd(held, clocks.INITIAL_CONFERENCE.working_days)
        enquiry = _make_section47(
            episode_id=episode.pk,
            start_date=held,
            conference_due=due,
            recorded_by_id=worker.pk,
            recorded_at=self.at(held),
        )
        self.rows.section47s.append((enquiry, discussion))
        self.visit(episode, born, "s47", self.wd(held, randint(rng, 0, 2)), worker)
        if rng.random() < EMERGENCY_PROTECTION_SHARE * (1.5 if risk == "high" else 0.5):
            kind = "police" if rng.random() < 0.7 else "epo"
            ep_start = held
            ep_end = ep_start + timedelta(days=3 if kind == "police" else randint(rng, 5, 8))
            if self.kept(ep_start):
                self.rows.protections.append(
                    _make_emergency_protection(
                        episode_id=episode.pk,
                        kind=kind,
                        start_date=ep_start,
                        end_date=ep_end if self.kept(ep_end) else None,
                        details="Child removed to a place of safety overnight.",
                        recorded_by_id=worker.pk,
                        recorded_at=self.at(ep_start),
                    )
                )
        outcome = "icpc" if protect else self.draw(f"s47-{risk}")
        if outcome != "icpc":
            completed = self.wd(held, randint(rng, 4, 20))
            if not self.kept(completed):
                return None, None, 0
            enquiry.outcome = outcome
            enquiry.completed_on = completed
            enquiry.conference_not_required = True
            enquiry.conference_not_required_reason = NOT_REQUIRED[outcome]
            enquiry.child_views = pick(rng, CHILD_SAID)
            steps.append(completed)
            if rng.random() < 0.45:
                return completed, completed, 0
            return None, completed, 0
        # The initial conference: mostly within 15 working days, with a late tail.
        if rng.random() < CONFERENCE_ON_TIME:
            conference_day = self.wd(held, randint(rng, 7, 15))
        else:
            conference_day = self.wd(held, randint(rng, 16, 22) if rng.random() < 0.8 else 30)
        completed = max(held, self.wd(conference_day, -randint(rng, 0, 2)))
        if not self.kept(completed):
            return None, None, 0
        enquiry.outcome = "icpc"
        enquiry.completed_on = completed
        enquiry.child_views = pick(rng, CHILD_SAID)
        steps.append(completed)
        if not self.kept(conference_day):
            return None, None, 0
        plan_made = protect or rng.random() < PLAN_MADE_SHARE[risk]
        category = self.draw("category") if plan_made else ""
        conference = _make_conference(
            episode_id=episode.pk,
            kind="initial",
            due_date=due,
            held_on=conference_day,
            plan_made=plan_made,
            category=category,
            decision_rationale=pick(rng, CONFERENCE_RATIONALE) if plan_made else NO_PLAN_RATIONALE,
            child_views=pick(rng, CHILD_SAID),
            recorded_by_id=worker.pk,
            recorded_at=self.at(conference_day),
        )
        self.rows.conferences.append((conference, enquiry, None))
        steps.append(conference_day)
        if not plan_made:
            if rng.random() < 0.5:
                return conference_day, conference_day, 0
            return None, conference_day, 0
        end = self._cp_plan(episode, born, conference_day, category, previous_plans, worker, steps)
        if end is None:
            return None, None, 1
        if end[1] == "to_cin":
            return end[0], end[0], 1
        return None, end[0], 1

    def _cp_plan(
        self,
        episode: Episode,
        born: date,
        start: date,
        category: str,
        previous_plans: int,
        worker: User,
        steps: list[date],
    ) -> tuple[date, str] | None:
        rng = self.rng
        team, workers, _ = pick(rng, self.teams.plans)
        worker = pick(rng, workers)
        self._transfer(episode, team, worker, start)
        plan = _make_child_protection_plan(
            episode_id=episode.pk,
            start_date=start,
            initial_category=category,
            latest_category=category,
            previous_plans=previous_plans,
            recorded_by_id=worker.pk,
            recorded_at=self.at(start),
        )
        self.rows.cp_plans.append(plan)
        planned_end = add_months(start, self._span(CP_MONTHS))
        # Review conferences: the first within 3 months, then at most every 6.
        reviews: list[date] = []
        due = clocks.FIRST_REVIEW_CONFERENCE.due_on(start)
        end_day: date | None = None
        while True:
            if rng.random() < REVIEW_ON_TIME:
                day = self.wd(due, -randint(rng, 0, 10))
            else:
                day = self.wd(due, randint(rng, 1, 15))
            day = max(day, self.wd(max([start, *reviews]), 1))
            last = day >= planned_end
            if not self.kept(day):
                break
            continues = not last
            reason = self.draw("cp_end")
            if continues and rng.random() < 0.1:
                plan.latest_category = self.draw("category")
            self.rows.conferences.append(
                (
                    _make_conference(
                        episode_id=episode.pk,
                        kind="review",
                        due_date=due,
                        held_on=day,
                        plan_made=continues,
                        category=plan.latest_category if continues else "",
                        decision_rationale=pick(rng, REVIEW_RATIONALE)
                        if continues
                        else END_RATIONALE,
                        child_views=pick(rng, CHILD_SAID),
                        recorded_by_id=worker.pk,
                        recorded_at=self.at(day),
                    ),
                    None,
                    plan,
                )
            )
            reviews.append(day)
            steps.append(day)
            if not continues:
                end_day = day
                plan.end_date, plan.end_reason = day, reason
                break
            due = clocks.REVIEW_CONFERENCE.due_on(day)
        stop = end_day or self.until
        # Core groups: the first within 10 working days, then about monthly.
        first = self.wd(start, randint(rng, 4, 10) if rng.random() < CORE_GROUP_ON_TIME else 13)
        day = first
        while day <= stop and self.kept(day):
            self.rows.core_groups.append(
                (
                    _make_core_group(
                        episode_id=episode.pk,
                        held_on=day,
                        notes="Core group reviewed the plan's actions with the family.",
                        recorded_by_id=worker.pk,
                        recorded_at=self.at(day),
                    ),
                    plan,
                )
            )
            day = self.wd(day, randint(rng, 18, 22))
        last_visit = self.visits_between(
            episode, born, "cp_plan", self.wd(start, randint(rng, 1, 5)), stop, worker, 10
        )
        if end_day is None:
            return None
        steps.append(min(last_visit, end_day))
        return end_day, plan.end_reason

    def _cin_plan(
        self, episode: Episode, born: date, start: date, worker: User, steps: list[date]
    ) -> tuple[date, str] | None:
        rng = self.rng
        if not self.kept(start):
            return None
        if episode.team_id in {t.pk for t, _, _ in self.teams.assessment} and rng.random() < 0.6:
            team, workers, _ = pick(rng, self.teams.plans)
            worker = pick(rng, workers)
            self._transfer(episode, team, worker, start)
        planned_end = add_months(start, self._span(CIN_MONTHS))
        plan = _make_cin_plan(
            episode_id=episode.pk,
            start_date=start,
            recorded_by_id=worker.pk,
            recorded_at=self.at(start),
        )
        self.rows.cin_plans.append(plan)
        steps.append(start)
        day = clocks.CIN_PLAN_REVIEW.due_on(start)
        while day < planned_end and self.kept(day):
            held = self.wd(day, randint(rng, -8, 6))
            if held > start and self.kept(held):
                self.rows.cin_reviews.append(
                    (
                        _make_cin_plan_review(
                            episode_id=episode.pk,
                            held_on=held,
                            notes="Plan reviewed with the family and partners.",
                            child_views=pick(rng, CHILD_SAID),
                            recorded_by_id=worker.pk,
                            recorded_at=self.at(held),
                        ),
                        plan,
                    )
                )
                steps.append(held)
            day = clocks.CIN_PLAN_REVIEW.due_on(held)
        stop = min(planned_end, self.until)
        last_visit = self.visits_between(
            episode, born, "cin_plan", self.wd(start, randint(rng, 2, 10)), stop, worker, 20
        )
        if not self.kept(planned_end):
            return None
        end = max(planned_end, last_visit, max(steps))
        if not self.kept(end):
            return None
        plan.end_date, plan.end_reason = end, self.draw("cin_end")
        steps.append(end)
        return end, plan.end_reason

    def _transfer(self, episode: Episode, team: Team, worker: User, day: date) -> None:
        """Allocate the episode to a plans team from ``day`` (the previous allocation ends)."""
        if not self.kept(day) or episode.team_id == team.pk:
            return
        moment = min(local(day, time(14, 0)), self.now)
        for allocation in reversed(self.rows.allocations):
            if allocation.episode_id == episode.pk:
                if allocation.ended_at is None:
                    allocation.ended_at = moment
                break
        else:
            return  # a front-door episode: its own allocation history is left alone
        self.rows.allocations.append(
            _make_allocation(
                episode_id=episode.pk,
                team_id=team.pk,
                worker_id=worker.pk,
                started_at=moment,
                allocated_by_id=pick(self.rng, self.teams.plans)[2][0].pk,
            )
        )
        episode.team_id, episode.worker_id, episode.allocated_at = team.pk, worker.pk, moment


SOURCES = ("6", "2A", "3A", "3E", "1A", "5A", "8", "7", "4", "10", "3B", "5D")
_FACTOR_COUNT_CUM = [sum(FACTOR_COUNT_WEIGHTS[: i + 1]) for i in range(4)]
_FACTOR_ORDER = {code: i for i, (code, _) in enumerate(FACTORS)} | {"21": 99}


def _closure(rng: random.Random, person: Person, day: date) -> str:
    """Why an episode with services closes: mostly needs met (RC7), a few orders and moves."""
    born = person.date_of_birth
    if born is not None and (day - born).days >= 17 * 365 + 180 and rng.random() < 0.3:
        return "RC6"
    roll = rng.random()
    if roll < 0.02:
        return "RC3"
    if roll < 0.035:
        return "RC4"
    if roll < 0.08:
        return "RC5"
    return "RC7"


def plan_casework(
    rng: random.Random,
    *,
    population: Population,
    start: date,
    until: date,
    now: datetime,
    calendar: WorkingDayCalendar,
) -> CaseworkRows:
    """Chains of referrals for the council's children (and steps for the referrals that
    came through the front door). Nothing is written here."""
    planner = _Planner(
        rng,
        calendar=calendar,
        until=until,
        now=now,
        teams=_teams(),
        disabled={d.person_id for d in population.disabilities if d.code != "NONE"},
    )
    months = (until.year - start.year) * 12 + until.month - start.month
    months = max(1, months)
    children = [c for c in population.children if c.date_of_birth is not None]
    existing = list(
        Episode.objects.filter(
            contact_child__isnull=False, assessments__isnull=True, closed_on__isnull=True
        ).order_by("referral_date", "pk")
    )
    taken = {e.person_id for e in existing}
    people = {c.pk: c for c in population.children}
    _front_door(planner, rng, existing, people)
    wanted = round(REFERRALS_PER_CHILD_PER_YEAR * len(population.children) * months / 12)
    wanted -= sum(1 for e in planner.rows.extended if e.referral_date >= start)
    histories = {
        "high": months_before(start, HISTORY_MONTHS),
        "low": months_before(start, LOW_RISK_HISTORY_MONTHS),
    }
    order = [c for c in children if c.pk not in taken]
    rng.shuffle(order)
    in_window = 0
    for child in order:
        if in_window >= wanted:
            break
        if child.date_of_birth is None:
            continue
        risk = "high" if rng.random() < HIGH_RISK_SHARE else "low"
        history = histories[risk]
        first = history + timedelta(days=int(rng.random() * (until - history).days))
        referral = max(first, child.date_of_birth)
        if referral > until or (referral - child.date_of_birth).days > 17 * 365 + 300:
            continue
        chain: list[int] = []  # indexes of this chain's episodes in the rows
        plans = 0
        mark = _mark(planner.rows)
        while referral <= until and (referral - child.date_of_birth).days < 17 * 365 + 300:
            chain.append(len(planner.rows.episodes))
            closed, started = planner.episode(
                person=child, referral=referral, risk=risk, previous_plans=plans
            )
            plans += started
            if referral >= start:
                in_window += 1
            if closed is None or rng.random() >= RE_REFERRAL[risk]:
                break
            if rng.random() < QUICK_RETURN_SHARE:
                gap = randint(rng, 14, 200)
            else:
                gap = randint(rng, 240, 900)
            referral = closed + timedelta(days=gap)
        if planner.rows.episodes[chain[-1]].referral_date < start and all(
            planner.rows.episodes[i].closed_on is not None for i in chain
        ):
            _rewind(planner.rows, mark)  # wholly before the seeded months: not written
    return planner.rows


def _front_door(
    planner: _Planner, rng: random.Random, existing: list[Episode], people: dict[Any, Person]
) -> None:
    """Carry on the front door's referrals (oldest first) with their steps."""
    # A child may come through the front door more than once: their plans are counted
    # across all their episodes, in referral order.
    plans_of: dict[Any, int] = {}
    closes: dict[Any, date | None] = {}  # when the child's latest episode closes
    for episode in existing:
        person = people.get(episode.person_id) or Person.objects.get(pk=episode.person_id)
        if person.pk in closes:
            closed = closes[person.pk]
            if closed is None or closed > episode.referral_date:
                # Referred again while the episode is open: recorded on that episode, not
                # a second, overlapping one (census rule 8820).
                planner.rows.joined.append(episode)
                continue
        risk = "high" if rng.random() < HIGH_RISK_SHARE else "low"
        first = person.pk not in plans_of
        plans_before = len(planner.rows.cp_plans)
        closed, started = planner.episode(
            person=person,
            referral=episode.referral_date,
            risk=risk,
            previous_plans=plans_of.get(person.pk, 0),
            existing=episode,
        )
        closes[person.pk] = closed
        if first:
            # Some children referred at the front door were known before: an earlier
            # episode, closed before this referral, so re-referrals and second plans have
            # history. A child whose referral leads to a plan more often had one before.
            plans_after = len(planner.rows.cp_plans)
            earlier = _earlier_episode(
                planner,
                rng,
                person=person,
                before=episode.referral_date,
                risk=risk,
                protected=bool(started) and rng.random() < EARLIER_PLAN_SHARE,
            )
            for plan in planner.rows.cp_plans[plans_before:plans_after]:
                plan.previous_plans += earlier
            plans_of[person.pk] = earlier
        plans_of[person.pk] += started


def _mark(rows: CaseworkRows) -> dict[str, int]:
    return {name: len(value) for name, value in vars(rows).items()}


def _rewind(rows: CaseworkRows, mark: dict[str, int]) -> None:
    for name, length in mark.items():
        del getattr(rows, name)[length:]


def write_casework(rows: CaseworkRows, insert: Any) -> dict[str, int]:
    """Insert in dependency order; ``insert(model, objects)`` writes one list in batches."""
    # Nothing points at a front-door episode before casework gives it its steps.
    Episode.objects.filter(pk__in=[e.pk for e in rows.joined]).delete()
    insert(Episode, rows.episodes)
    if rows.extended:
        Episode.objects.bulk_update(
            rows.extended,
            [
                "primary_need",
                "referral_nfa",
                "closed_on",
                "closure_reason",
                "closure_rationale",
                "closed_by",
            ],
            batch_size=1000,
        )
    insert(Allocation, rows.allocations)
    insert(Assessment, rows.assessments)
    insert(StrategyDiscussion, rows.discussions)
    for enquiry, discussion in rows.section47s:
        enquiry.strategy_discussion_id = discussion.pk
    insert(Section47, [e for e, _ in rows.section47s])
    insert(ChildProtectionPlan, rows.cp_plans)
    for conference, answered, reviewed in rows.conferences:
        conference.section47_id = answered.pk if answered is not None else None
        conference.plan_id = reviewed.pk if reviewed is not None else None
    insert(Conference, [c for c, _, _ in rows.conferences])
    for group, cp in rows.core_groups:
        group.plan_id = cp.pk
    insert(CoreGroup, [g for g, _ in rows.core_groups])
    insert(CINPlan, rows.cin_plans)
    for review, cin in rows.cin_reviews:
        review.plan_id = cin.pk
    insert(CINPlanReview, [r for r, _ in rows.cin_reviews])
    insert(Visit, rows.visits)
    insert(EmergencyProtection, rows.protections)
    return {
        "episodes": len(rows.episodes),
        "episodes_extended": len(rows.extended),
        "referrals_joined": len(rows.joined),
        "allocations": len(rows.allocations),
        "assessments": len(rows.assessments),
        "strategy_discussions": len(rows.discussions),
        "section47s": len(rows.section47s),
        "cp_plans": len(rows.cp_plans),
        "conferences": len(rows.conferences),
        "core_groups": len(rows.core_groups),
        "cin_plans": len(rows.cin_plans),
        "cin_plan_reviews": len(rows.cin_reviews),
        "visits": len(rows.visits),
        "emergency_protections": len(rows.protections),
    }


CASEWORK_ROW_COUNTS = (
    "episodes",
    "allocations",
    "assessments",
    "strategy_discussions",
    "section47s",
    "cp_plans",
    "conferences",
    "core_groups",
    "cin_plans",
    "cin_plan_reviews",
    "visits",
    "emergency_protections",
)


# Of children referred at the front door: the share with an earlier episode, and how long
# before (days). Tuned so about a fifth of referrals are re-referrals within 12 months.
EARLIER_EPISODE_SHARE = {"low": 0.6, "high": 0.95}
# (High-risk children's earlier episodes often held a plan, which must have ended first.)
EARLIER_GAP_DAYS = {"low": (60, 540), "high": (365, 1400)}
# Of front-door children whose referral leads to a protection plan: the share whose earlier
# episode held a plan too (tuned so about 24% of new plans are second or later, England
# 24.5%), how long before the new referral that episode began (days), and how many times
# to try for one that has ended by then.
EARLIER_PLAN_SHARE = 0.12
EARLIER_PLAN_GAP_DAYS = (300, 1400)
EARLIER_PLAN_TRIES = 3


def _earlier_episode(
    planner: _Planner,
    rng: random.Random,
    *,
    person: Person,
    before: date,
    risk: str,
    protected: bool = False,
) -> int:
    """Plan a closed episode for ``person`` ending before ``before`` (or nothing); returns
    how many protection plans it started. ``protected``: one that held a protection plan,
    else (when none fits) an ordinary one."""
    if person.date_of_birth is None:
        return 0
    if protected:
        for _ in range(EARLIER_PLAN_TRIES):
            referral = before - timedelta(days=randint(rng, *EARLIER_PLAN_GAP_DAYS))
            if referral <= person.date_of_birth:
                break
            mark = _mark(planner.rows)
            closed, started = planner.episode(
                person=person, referral=referral, risk="high", previous_plans=0, protect=True
            )
            if closed is not None and closed < before:
                return started
            _rewind(planner.rows, mark)  # the plan or the episode ran on past the referral
    if rng.random() >= EARLIER_EPISODE_SHARE[risk]:
        return 0
    referral = before - timedelta(days=randint(rng, *EARLIER_GAP_DAYS[risk]))
    if referral <= person.date_of_birth:
        return 0
    mark = _mark(planner.rows)
    closed, started = planner.episode(person=person, referral=referral, risk=risk, previous_plans=0)
    if closed is None or closed >= before:
        _rewind(planner.rows, mark)  # still open at the new referral: not a history
        return 0
    return started


def seed_casework(
    result: SeedResult,
    *,
    population: Population,
    calendar: WorkingDayCalendar,
    progress: IO[str] | None,
) -> None:
    """The casework phase of a seed: its own RNG stream from the seed, so the same seed
    gives the same casework whatever the earlier phases drew."""
    from evident.synthetic.council import _Phase

    started = timer.perf_counter()
    rng = random.Random(f"casework-{result.seed}")  # noqa: S311 (synthetic data)
    start = months_before(result.until, result.months)
    # The seed's calendar knows bank holidays from the year before the seeded months; the
    # history reaches further back.
    first_year = months_before(start, HISTORY_MONTHS).year - 1
    calendar = WorkingDayCalendar(
        ClosureDay.objects.values_list("day", flat=True),
        bank=bank_holidays(first_year, result.until.year + 1),
    )
    rows = plan_casework(
        rng,
        population=population,
        start=start,
        until=result.until,
        now=result.now,
        calendar=calendar,
    )
    # The bar counts inserted rows: extended and joined episodes are updates and deletes.
    total = sum(len(v) for k, v in vars(rows).items() if k not in ("extended", "joined"))
    phase = _Phase(result, "casework", total, progress)
    phase.started = started
    result.counts.update(write_casework(rows, phase.insert))
    phase.close()
