"""Seeding the synthetic council: plan in memory, write with ``bulk_create``, all or nothing.

Phases (each with a progress bar): staff (organisations, teams, workers, partner users),
people (and their disabilities), households (members, relationships, addresses), contacts
(and the children on them, partner submissions, information requests), decisions, outcomes
(the early help and referrals authorised decisions start). One transaction around everything: a failure leaves the database as it
was. One audit event for the whole run, not one per row.
"""

from __future__ import annotations

import random
import time as timer
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, TypeVar

from django.db import models, transaction
from django.utils import timezone
from tqdm import tqdm

from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.casework.models import Episode
from evident.core.models import ClosureDay
from evident.core.working_days import WorkingDayCalendar, bank_holidays
from evident.front_door.models import (
    Contact,
    ContactChild,
    Decision,
    EarlyHelpEpisode,
    InformationRequest,
    SubmittedChild,
)
from evident.front_door.services_mash import front_door_defaults_ensure
from evident.people.models import (
    Address,
    Household,
    HouseholdMember,
    Person,
    PersonDisability,
    Relationship,
)
from evident.synthetic.casework import CASEWORK_ROW_COUNTS, seed_casework
from evident.synthetic.clock import END_OF_DAY, local, months_before, school_holidays
from evident.synthetic.contacts import ContactPlan, plan_contacts
from evident.synthetic.inspection import seed_inspection_history
from evident.synthetic.lado import seed_lado
from evident.synthetic.mash import MashPlan, plan_mash
from evident.synthetic.people import Population, household_objects, household_rows, plan_population
from evident.synthetic.staff import Staff, create_staff

BATCH = 2_000
MAX_CHILDREN = 1_000_000
MAX_MONTHS = 120

M = TypeVar("M", bound=models.Model)


class CouncilNotEmptyError(Exception):
    """The database already holds people: seeding would mix two councils."""


@dataclass
class SeedResult:
    seed: int
    children: int
    months: int
    until: date
    now: datetime
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    @property
    def rows(self) -> int:
        """Rows written (every table; the open-contact tallies are not rows)."""
        return sum(v for k, v in self.counts.items() if k in ROW_COUNTS)


ROW_COUNTS = (
    "organisations",
    "teams",
    "users",
    "team_memberships",
    "role_assignments",
    "people",
    "disabilities",
    "households",
    "household_members",
    "relationships",
    "addresses",
    "contacts",
    "contact_children",
    "decisions",
    "api_tokens",
    "submitted_children",
    "information_requests",
    "early_help_episodes",
    "referral_episodes",
    "audit_events",
    *CASEWORK_ROW_COUNTS,
)


def resolve_now(until: date | None) -> tuple[date, datetime]:
    """The last day of records and "now": the current time when ``until`` is today (or not
    given), else the end of the ``until`` day in Europe/London."""
    today = timezone.localdate()
    if until is None or until == today:
        return today, timezone.now().replace(microsecond=0)
    return until, local(until, END_OF_DAY)


class _Phase:
    """Times a phase and shows its progress bar (on ``stream``, or nowhere)."""

    def __init__(self, result: SeedResult, name: str, total: int, stream: IO[str] | None):
        self.result = result
        self.name = name
        self.bar = tqdm(
            total=total,
            desc=f"{name:<10}",
            unit=" rows",
            file=stream,
            disable=stream is None,
            leave=True,
            dynamic_ncols=True,
        )
        self.started = timer.perf_counter()

    def insert(self, model: type[M], rows: Sequence[M]) -> None:
        for i in range(0, len(rows), BATCH):
            chunk = rows[i : i + BATCH]
            model._default_manager.bulk_create(chunk, batch_size=BATCH)
            self.bar.update(len(chunk))

    def close(self) -> None:
        self.bar.close()
        self.result.seconds[self.name] = timer.perf_counter() - self.started


def seed_council(
    *,
    children: int,
    months: int,
    seed: int,
    until: date | None = None,
    progress: IO[str] | None = None,
) -> SeedResult:
    """Build the synthetic council in one transaction; refuses a database that has people."""
    if not 1 <= children <= MAX_CHILDREN:
        raise ValueError(f"children must be between 1 and {MAX_CHILDREN:,}")
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be between 1 and {MAX_MONTHS}")
    until, now = resolve_now(until)
    start = months_before(until, months)
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    result = SeedResult(seed=seed, children=children, months=months, until=until, now=now)

    with transaction.atomic():
        if Person.objects.exists():
            raise CouncilNotEmptyError(
                "This database already has people in it: seeding would mix two councils. "
                "Seed an empty database (or use --if-empty to skip quietly)."
            )
        calendar = WorkingDayCalendar(
            ClosureDay.objects.values_list("day", flat=True),
            bank=bank_holidays(start.year - 1, until.year + 1),
        )
        staff = _staff(rng, result, children, start, progress)
        population = _people(rng, result, children, until, start, now, staff, progress)
        _households(result, population, progress)
        holidays = school_holidays(start.year, until.year, calendar)
        plan, mash = _contacts(
            rng, result, population, staff, start, now, calendar, holidays, progress
        )
        _decisions(result, plan, progress)
        _outcomes(result, mash, progress)
        seed_casework(result, population=population, calendar=calendar, progress=progress)
        seed_lado(seed=seed, start=start, until=until, now=now, calendar=calendar, result=result)
        result.counts.update(seed_inspection_history(until=until, seed=seed))
        result.counts["audit_events"] = 1
        audit_record(
            actor=None,
            action=AuditEvent.Action.CREATE,
            record_type="synthetic.seed",
            detail={
                "counts": dict(result.counts),
                "seed": seed,
                "until": until.isoformat(),
                "months": months,
                "children": children,
            },
        )
    return result


def _staff(
    rng: random.Random, result: SeedResult, children: int, start: date, progress: IO[str] | None
) -> Staff:
    phase = _Phase(result, "staff", 1, progress)
    staff = create_staff(rng, children=children, start=local(start, END_OF_DAY))
    phase.bar.update(1)
    phase.close()
    result.counts.update(
        organisations=staff.organisations_created,
        teams=len(staff.teams),
        users=len(staff.users),
        team_memberships=staff.memberships,
        role_assignments=staff.role_assignments,
        api_tokens=staff.api_tokens,
        partner_users=sum(len(users) for users in staff.partners.values()),
    )
    return staff


def _people(
    rng: random.Random,
    result: SeedResult,
    children: int,
    until: date,
    start: date,
    now: datetime,
    staff: Staff,
    progress: IO[str] | None,
) -> Population:
    started = timer.perf_counter()
    population = plan_population(
        rng, children=children, until=until, start=start, now=now, schools=staff.schools
    )
    total = len(population.people) + len(population.disabilities)
    phase = _Phase(result, "people", total, progress)
    phase.started = started
    phase.insert(Person, population.people)
    phase.insert(PersonDisability, population.disabilities)
    phase.close()
    result.counts.update(
        people=len(population.people),
        children=len(population.children),
        adults=len(population.people) - len(population.children),
        unborn=sum(1 for c in population.children if c.date_of_birth is None),
        disabilities=len(population.disabilities),
    )
    return population


def _households(result: SeedResult, population: Population, progress: IO[str] | None) -> None:
    started = timer.perf_counter()
    households = household_objects(population.families)
    people = len(population.people)
    # Members and addresses: one per person plus previous addresses; relationships vary.
    estimate = len(households) + 2 * people
    phase = _Phase(result, "households", estimate, progress)
    phase.started = started
    phase.insert(Household, households)
    rows = household_rows(population.families, households)
    phase.bar.total = len(households) + len(rows.members) + len(rows.relationships)
    phase.bar.total += len(rows.addresses)
    phase.bar.refresh()
    phase.insert(HouseholdMember, rows.members)
    phase.insert(Relationship, rows.relationships)
    phase.insert(Address, rows.addresses)
    phase.close()
    result.counts.update(
        households=len(households),
        household_members=len(rows.members),
        relationships=len(rows.relationships),
        addresses=len(rows.addresses),
    )


def _contacts(
    rng: random.Random,
    result: SeedResult,
    population: Population,
    staff: Staff,
    start: date,
    now: datetime,
    calendar: WorkingDayCalendar,
    holidays: set[date],
    progress: IO[str] | None,
) -> tuple[ContactPlan, MashPlan]:
    started = timer.perf_counter()
    plan = plan_contacts(
        rng,
        population=population,
        staff=staff,
        start=start,
        now=now,
        calendar=calendar,
        school_holidays=holidays,
    )
    mash = plan_mash(
        rng,
        plan=plan,
        population=population,
        staff=staff,
        now=now,
        calendar=calendar,
        levels=front_door_defaults_ensure(),
    )
    total = len(plan.contacts) + len(plan.children) + len(mash.submitted) + len(mash.requests)
    phase = _Phase(result, "contacts", total, progress)
    phase.started = started
    phase.insert(Contact, plan.contacts)
    phase.insert(ContactChild, plan.children)
    phase.insert(SubmittedChild, mash.submitted)
    phase.insert(InformationRequest, mash.requests)
    phase.close()
    result.counts.update(
        contacts=len(plan.contacts),
        contact_children=len(plan.children),
        open_contacts=plan.open_contacts,
        open_undecided=plan.undecided,
        open_awaiting_authorisation=plan.awaiting_authorisation,
        open_returned=plan.returned,
        live_edge_contacts=plan.live_edge_contacts,
        portal_contacts=mash.portal_contacts,
        api_notices=mash.api_notices,
        submitted_children=len(mash.submitted),
        unlinked_submitted_children=mash.unlinked_children,
        urgency_set=mash.urgency_set,
        information_requests=len(mash.requests),
        open_information_requests=mash.open_requests,
        overdue_information_requests=mash.overdue_requests,
    )
    return plan, mash


def _decisions(result: SeedResult, plan: ContactPlan, progress: IO[str] | None) -> None:
    phase = _Phase(result, "decisions", len(plan.decisions), progress)
    phase.insert(Decision, plan.decisions)
    phase.close()
    result.counts["decisions"] = len(plan.decisions)


def _outcomes(result: SeedResult, mash: MashPlan, progress: IO[str] | None) -> None:
    early_help, episodes = mash.carried_on()
    phase = _Phase(result, "outcomes", len(early_help) + len(episodes), progress)
    phase.insert(EarlyHelpEpisode, early_help)
    phase.insert(Episode, episodes)
    phase.close()
    result.counts.update(
        early_help_episodes=len(early_help),
        referral_episodes=len(episodes),
        unallocated_referrals=mash.unallocated_referrals,
        strategy_discussions=mash.strategy_discussions,
    )


def _n(count: int, thing: str, things: str = "") -> str:
    return f"{count:,} {thing if count == 1 else (things or thing + 's')}"


def describe(result: SeedResult) -> list[str]:
    """The summary the command prints: counts and seconds."""
    c = result.counts.get
    return [
        f"Seeded the synthetic council (seed {result.seed}, {result.months} months to "
        f"{result.until:%d %B %Y}):",
        f"  {_n(c('children', 0), 'child', 'children')} ({c('unborn', 0):,} unborn) and "
        f"{_n(c('adults', 0), 'adult')} in {_n(c('households', 0), 'household')}",
        f"  {_n(c('addresses', 0), 'address', 'addresses')}, "
        f"{_n(c('relationships', 0), 'relationship')}, "
        f"{_n(c('disabilities', 0), 'disability code')}",
        f"  {_n(c('contacts', 0), 'contact')} about {_n(c('contact_children', 0), 'child', 'children')}, "
        f"{_n(c('decisions', 0), 'decision')}; {c('open_contacts', 0):,} still open: "
        f"{c('open_undecided', 0):,} undecided, {c('open_awaiting_authorisation', 0):,} awaiting "
        f"authorisation, {c('open_returned', 0):,} returned",
        f"  {_n(c('portal_contacts', 0), 'contact')} from partners through the portal or API "
        f"({c('api_notices', 0):,} police notices by API), "
        f"{_n(c('information_requests', 0), 'information request')} "
        f"({c('overdue_information_requests', 0):,} overdue)",
        f"  {_n(c('referral_episodes', 0), 'referral')} ({c('unallocated_referrals', 0):,} "
        f"unallocated, {_n(c('strategy_discussions', 0), 'strategy discussion')}), "
        f"{_n(c('early_help_episodes', 0), 'early help episode')}",
        f"  casework: {_n(c('episodes', 0), 'referral')} recorded directly, "
        f"{_n(c('cp_plans', 0), 'protection plan')}, {_n(c('cin_plans', 0), 'child-in-need plan')}, "
        f"{_n(c('visits', 0), 'visit')}",
        f"  {_n(c('organisations', 0), 'organisation')}, {_n(c('teams', 0), 'team')}, "
        f"{_n(c('users', 0), 'user')} ({c('partner_users', 0):,} in partner agencies)",
        "  "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result.seconds.items())
        + f"; total {result.total_seconds:.1f} s, {result.rows:,} rows written",
    ]
