"""A synthetic LADO caseload for the synthetic council.

A mid-sized council's LADO hears of a few hundred allegations and advice contacts a year;
education is the largest sector, employers make most referrals, and roughly half meet the
harm test. Records cover at least two reporting years, so the annual report has a year
before to compare with. Its own generator is seeded from the council's seed, so adding
the LADO changes nothing else and the same seed gives the same caseload.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from evident.accounts.models import User
from evident.accounts.roles import Role
from evident.core.working_days import WorkingDayCalendar
from evident.lado.models import (
    FollowOn,
    LadoAction,
    LadoAttendee,
    LadoChild,
    LadoConsideration,
    LadoMeeting,
    LadoReferral,
    LadoRetentionRule,
)
from evident.lado.retention import DEFAULT_RULES, review_date
from evident.people.matching import name_key
from evident.people.models import Person
from evident.synthetic import words
from evident.synthetic.clock import local, pick, randint

PER_MONTH = 26  # about 310 contacts a year
SEED_SALT = 0x1AD0


def _cum(pairs: list[tuple[str, float]]) -> tuple[list[str], list[float]]:
    return [v for v, _ in pairs], list(itertools.accumulate(w for _, w in pairs))


SECTORS = _cum(
    [
        ("education", 38),
        ("social_care", 12),
        ("early_years", 9),
        ("foster_carer", 8),
        ("health", 7),
        ("sport", 6),
        ("voluntary", 5),
        ("faith", 4),
        ("police", 4),
        ("transport", 4),
        ("other", 3),
    ]
)
SOURCES = _cum([("employer", 72), ("police", 11), ("staff", 9), ("public", 6), ("other", 2)])
CATEGORIES = _cum(
    [("physical", 44), ("sexual", 19), ("emotional", 14), ("neglect", 5), ("suitability", 18)]
)
DECISIONS = _cum([("met", 46), ("advice", 40), ("not_met", 14)])
OUTCOMES = _cum(
    [
        ("substantiated", 31),
        ("unsubstantiated", 29),
        ("unfounded", 26),
        ("false", 9),
        ("malicious", 5),
    ]
)
ROLES = {
    "education": ["Class teacher", "Teaching assistant", "PE teacher", "Lunchtime supervisor"],
    "social_care": ["Residential care worker", "Support worker", "Social worker"],
    "early_years": ["Nursery practitioner", "Childminder", "Nursery manager"],
    "foster_carer": ["Foster carer"],
    "health": ["Nurse", "Healthcare assistant", "Paediatric physiotherapist"],
    "sport": ["Football coach", "Swimming instructor", "Gymnastics coach"],
    "voluntary": ["Youth worker", "Scout leader", "Volunteer mentor"],
    "faith": ["Youth leader", "Madrassah teacher", "Sunday school teacher"],
    "police": ["Police constable", "PCSO"],
    "transport": ["School taxi driver", "Passenger assistant", "Bus driver"],
    "other": ["Tutor", "Music teacher", "Entertainer"],
}
EMPLOYERS = {
    "social_care": ["Northbridge Children's Homes", "Brookside Residential", "Northbridge Council"],
    "early_years": ["Little Acorns Nursery", "Sunflower Day Nursery", "Busy Bees Northbridge"],
    "foster_carer": ["Northbridge Fostering Service", "Horizon Fostering Agency"],
    "health": ["Northbridge Hospitals NHS Foundation Trust", "Northbridge Community Health"],
    "sport": ["Northbridge Juniors FC", "Northbridge Swimming Club", "Valley Gymnastics"],
    "voluntary": ["Northbridge Youth Trust", "1st Northbridge Scouts", "Family Support Trust"],
    "faith": ["St Peter's Church", "Northbridge Islamic Centre", "Grace Community Church"],
    "police": ["Northbridge Police"],
    "transport": ["Northbridge Cars", "County Travel Ltd", "Northbridge Council transport"],
    "other": ["Self-employed", "Northbridge Music Service", "Kids Party Co"],
}
REGULATOR = {
    "education": FollowOn.TRA,
    "early_years": FollowOn.OFSTED,
    "foster_carer": FollowOn.OFSTED,
    "health": FollowOn.NMC,
    "social_care": FollowOn.SWE,
}
ALLEGATIONS = {
    "physical": "Alleged to have grabbed a child by the arm and pushed them.",
    "sexual": "Alleged to have sent sexualised messages to a child on social media.",
    "emotional": "Alleged to have repeatedly shouted at and humiliated a child in front of others.",
    "neglect": "Alleged to have left young children unsupervised for a long period.",
    "suitability": "Arrested for an offence outside work that may bear on suitability.",
}
AGENCIES = ["Northbridge Police", "Children's social care", "Employer", "HR adviser"]


@dataclass
class LadoPlan:
    referrals: list[LadoReferral] = field(default_factory=list)
    children: list[LadoChild] = field(default_factory=list)
    considerations: list[LadoConsideration] = field(default_factory=list)
    meetings: list[LadoMeeting] = field(default_factory=list)
    attendees: list[LadoAttendee] = field(default_factory=list)
    actions: list[LadoAction] = field(default_factory=list)


def _draw(rng: random.Random, table: tuple[list[str], list[float]]) -> str:
    values, cum = table
    x = rng.random() * cum[-1]
    for value, edge in zip(values, cum, strict=True):
        if x < edge:
            return value
    return values[-1]


def _working_moment(rng: random.Random, cal: WorkingDayCalendar, day: date) -> datetime:
    day = cal.next_working_day(day)
    return local(day, time(8 + randint(rng, 0, 9), randint(rng, 0, 59)))


def _rules() -> dict[str, tuple[str, int]]:
    rules = dict(DEFAULT_RULES)
    rules.update({r.applies_to: (r.basis, r.years) for r in LadoRetentionRule.objects.all()})
    return rules


def plan_lado(
    rng: random.Random,
    *,
    start: date,
    until: date,
    now: datetime,
    calendar: WorkingDayCalendar,
    officers: list[Any],
    children: list[Person],
) -> LadoPlan:
    plan = LadoPlan()
    rules = _rules()
    # From 1 April two reporting years back: the annual report compares two full years.
    reporting_year = until.year if until.month >= 4 else until.year - 1
    first = min(start, date(reporting_year - 2, 4, 1))
    days = (until - first).days
    total = max(1, round(PER_MONTH * days / 30.4))
    numbers: dict[int, int] = {}
    adults: list[tuple[str, str, date]] = []
    received_days = sorted(
        [first + timedelta(days=randint(rng, 0, days)) for _ in range(total)]
        # A few from the last two days, so the tray has live work.
        + [until - timedelta(days=randint(rng, 0, 1)) for _ in range(3)]
    )
    for day in received_days:
        received_at = _working_moment(rng, calendar, day)
        if received_at > now:
            continue
        sector = _draw(rng, SECTORS)
        if adults and rng.random() < 0.05:  # the same adult again, years or employers apart
            first_name, last_name, dob = pick(rng, adults)
        else:
            first_name = pick(
                rng, words.FIRST_NAMES_MALE if rng.random() < 0.6 else words.FIRST_NAMES_FEMALE
            )
            last_name = pick(rng, words.LAST_NAMES)
            dob = date(randint(rng, 1955, 2002), randint(rng, 1, 12), randint(rng, 1, 28))
            adults.append((first_name, last_name, dob))
        year = received_at.year
        numbers[year] = numbers.get(year, 0) + 1
        officer = pick(rng, officers)
        category = _draw(rng, CATEGORIES)
        referral = LadoReferral(
            reference=f"LADO-{year}-{numbers[year]:05d}",
            kind="advice" if rng.random() < 0.3 else "referral",
            received_at=received_at,
            source=_draw(rng, SOURCES),
            referrer_name=f"{pick(rng, words.FIRST_NAMES_FEMALE)} {pick(rng, words.LAST_NAMES)}",
            adult_first_name=first_name,
            adult_last_name=last_name,
            adult_first_name_key=name_key(first_name),
            adult_last_name_key=name_key(last_name),
            adult_date_of_birth=dob if rng.random() < 0.85 else None,
            adult_role=pick(rng, ROLES[sector]),
            employer=(
                f"{pick(rng, words.STREET_WORDS)} {pick(rng, ('Primary School', 'Academy'))}"
                if sector == "education"
                else pick(rng, EMPLOYERS[sector])
            ),
            sector=sector,
            regulated_activity="yes" if rng.random() < 0.8 else pick(rng, ("no", "unknown")),
            category=category,
            allegation=ALLEGATIONS[category],
            incident_on=received_at.date() - timedelta(days=randint(rng, 0, 10)),
            recorded_by=officer,
            created_at=received_at,
        )
        referral.referrer_organisation = referral.employer if referral.source == "employer" else ""
        plan.referrals.append(referral)
        for _ in range(1 if rng.random() < 0.75 else 2):
            child = pick(rng, children) if children and rng.random() < 0.35 else None
            plan.children.append(
                LadoChild(
                    referral=referral,
                    person_id=child.pk if child else None,
                    name=child.full_name
                    if child
                    else f"{pick(rng, words.FIRST_NAMES_FEMALE)} {pick(rng, words.LAST_NAMES)}",
                    date_of_birth=child.date_of_birth if child else None,
                )
            )
        _consider(rng, plan, referral, officer, now, calendar, rules)
    return plan


def _consider(
    rng: random.Random,
    plan: LadoPlan,
    referral: LadoReferral,
    officer: Any,
    now: datetime,
    calendar: WorkingDayCalendar,
    rules: dict[str, tuple[str, int]],
) -> None:
    # 86% within one working day; the rest a day or three late.
    late = 0 if rng.random() < 0.86 else randint(rng, 1, 3)
    decided_at = local(
        calendar.add_working_days(referral.received_at.date(), late),
        referral.received_at.time(),
    ) - timedelta(minutes=randint(rng, 0, 240) if not late else 0)
    decided_at = max(decided_at, referral.received_at + timedelta(minutes=20))
    fresh = now - referral.received_at < timedelta(days=1)
    if decided_at > now or (fresh and rng.random() < 0.7):
        return  # still awaiting the LADO: the live edge of the tray
    decision = _draw(rng, DECISIONS)
    limbs = {
        "harmed_child": False,
        "possible_offence": False,
        "behaviour_risk": False,
        "unsuitability": False,
    }
    if decision == "met":
        for limb in rng.sample(sorted(limbs), randint(rng, 1, 3)):
            limbs[limb] = True
    plan.considerations.append(
        LadoConsideration(
            referral=referral,
            decision=decision,
            rationale={
                "met": "The information meets the harm threshold; an allegations management meeting is needed.",
                "advice": "Conduct and practice concern below the threshold; advice given to the employer.",
                "not_met": "The harm test is not met; no role for the LADO.",
            }[decision],
            decided_at=decided_at,
            decided_by=officer,
            **limbs,
        )
    )
    if decision != "met":
        referral.closed_at = decided_at
        basis, years = rules[decision]
        referral.review_on = review_date(
            basis=basis,
            years=years,
            closed_on=decided_at.date(),
            date_of_birth=referral.adult_date_of_birth,
        )
        return
    _manage(rng, plan, referral, officer, decided_at, now, calendar, rules)


def _manage(
    rng: random.Random,
    plan: LadoPlan,
    referral: LadoReferral,
    officer: Any,
    decided_at: datetime,
    now: datetime,
    calendar: WorkingDayCalendar,
    rules: dict[str, tuple[str, int]],
) -> None:
    """The allegations management meeting, its actions, a review, and the outcome."""
    today = now.date()
    held_on = calendar.add_working_days(decided_at.date(), randint(rng, 1, 8))
    if held_on > today:
        return
    meeting = LadoMeeting(
        referral=referral,
        kind="initial",
        held_on=held_on,
        decisions="Agreed the actions below; to review in four weeks.",
        recorded_by=officer,
        recorded_at=local(held_on, time(16, 0)),
    )
    plan.meetings.append(meeting)
    plan.attendees.extend(
        LadoAttendee(
            meeting=meeting,
            name=f"{pick(rng, words.FIRST_NAMES_FEMALE)} {pick(rng, words.LAST_NAMES)}",
            agency=agency,
        )
        for agency in AGENCIES[: randint(rng, 2, 4)]
    )
    types = rng.sample(
        ["employer_investigation", "suspension", "police_investigation", "csc_enquiries"],
        randint(rng, 1, 3),
    )
    plan.actions.extend(
        LadoAction(
            referral=referral,
            meeting=meeting,
            action_type=kind,
            owner={
                "police_investigation": "Northbridge Police",
                "csc_enquiries": "Children's social care",
            }.get(kind, referral.employer),
            due_on=held_on + timedelta(days=28),
            done_on=held_on + timedelta(days=randint(rng, 7, 40)),
        )
        for kind in types
    )
    # Most conclude within three months; some run long (police investigations).
    duration = randint(rng, 20, 90) if rng.random() < 0.7 else randint(rng, 91, 420)
    concluded_on = held_on + timedelta(days=duration)
    if duration > 45 and held_on + timedelta(days=30) <= today:
        review = held_on + timedelta(days=30)
        rm = LadoMeeting(
            referral=referral,
            kind="review",
            held_on=review,
            decisions="Reviewed progress; investigation continues.",
            recorded_by=officer,
            recorded_at=local(review, time(16, 0)),
        )
        plan.meetings.append(rm)
        plan.attendees.append(LadoAttendee(meeting=rm, name="Employer HR", agency="Employer"))
    for action in plan.actions[-len(types) :]:
        if action.done_on and action.done_on > today:
            action.done_on = None
    if concluded_on > today:
        return
    outcome = _draw(rng, OUTCOMES)
    followed: list[str] = []
    if outcome == "substantiated":
        followed = [
            pick(rng, (FollowOn.DISMISSAL, FollowOn.DISCIPLINARY, FollowOn.RESIGNATION)),
            FollowOn.DBS,
        ]
        if referral.sector in REGULATOR:
            followed.append(REGULATOR[referral.sector])
    elif outcome == "unsubstantiated":
        followed = [pick(rng, (FollowOn.TRAINING, FollowOn.NO_FURTHER_ACTION))]
    else:
        followed = [FollowOn.NO_FURTHER_ACTION]
    referral.outcome = outcome
    referral.concluded_on = concluded_on
    referral.followed_by = [str(f) for f in followed]
    referral.closed_at = local(concluded_on, time(17, 0))
    basis, years = rules[outcome]
    referral.review_on = review_date(
        basis=basis, years=years, closed_on=concluded_on, date_of_birth=referral.adult_date_of_birth
    )


def seed_lado(
    *,
    seed: int,
    start: date,
    until: date,
    now: datetime,
    calendar: WorkingDayCalendar,
    result: Any = None,
) -> LadoPlan:
    """Plan and write the caseload; counts go into ``result.counts`` when given."""
    rng = random.Random(seed ^ SEED_SALT)  # noqa: S311 (synthetic data, not security)
    officers = list(
        User.objects.filter(role_assignments__role=Role.LADO).distinct().order_by("username")
    )
    if not officers:
        return LadoPlan()
    children = list(
        Person.objects.filter(date_of_birth__gt=until - timedelta(days=17 * 365)).order_by(
            "council_id"
        )[:5000]
    )
    plan = plan_lado(
        rng,
        start=start,
        until=until,
        now=now,
        calendar=calendar,
        officers=officers,
        children=children,
    )
    LadoReferral.objects.bulk_create(plan.referrals, batch_size=1000)
    LadoChild.objects.bulk_create(plan.children, batch_size=2000)
    LadoConsideration.objects.bulk_create(plan.considerations, batch_size=1000)
    LadoMeeting.objects.bulk_create(plan.meetings, batch_size=1000)
    LadoAttendee.objects.bulk_create(plan.attendees, batch_size=2000)
    LadoAction.objects.bulk_create(plan.actions, batch_size=2000)
    if result is not None:
        result.counts.update(
            lado_referrals=len(plan.referrals),
            lado_meetings=len(plan.meetings),
        )
    return plan
