"""The MASH around the planned contacts: partner submissions through the portal and the API,
urgency, the threshold and the child's voice, information requests to partners and their
answers, and what authorised decisions start (early help, referrals to the duty teams).

Runs over the contact plan before it is written, and makes the rows the app's own services
would have made (``contact_submit``, ``contact_set_urgency``, ``contact_decide``,
``information_request_send``/``_answer``, ``decision_carry_on``, ``episode_allocate``),
with the same fields set and the same derived values. The rates are assumptions, stated in
``shape``: no national statistics are published for them.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from evident.accounts.models import User
from evident.casework.models import Episode
from evident.core.clocks import INFORMATION_REQUEST, LONDON, urgency_rule
from evident.core.working_days import WorkingDayCalendar
from evident.front_door.models import (
    Contact,
    ContactChild,
    Decision,
    EarlyHelpEpisode,
    InformationRequest,
    LevelOfNeed,
    SubmittedChild,
    UrgencyStandard,
)
from evident.people.models import Person
from evident.synthetic import shape, words
from evident.synthetic.clock import (
    moment_between,
    pick,
    randint,
    shift_working_days,
    weighted,
    working_or_any_moment,
)
from evident.synthetic.contacts import ContactPlan
from evident.synthetic.people import Family, Population, seeded_uuid
from evident.synthetic.rows import Maker
from evident.synthetic.staff import (
    ACUTE_TRUST,
    COMMUNITY_TRUST,
    GP_FEDERATION,
    HOUSING,
    POLICE,
    PROBATION,
    VOLUNTARY,
    Staff,
)

URGENCIES = ("red", "amber", "green")
REFERRAL_OUTCOMES = frozenset({Decision.Outcome.REFERRAL, Decision.Outcome.STRATEGY_DISCUSSION})
# The organisation a portal contact comes from, by source (2A and 3F: the one planned).
PORTAL_ORGANISATION = {
    "6": POLICE,
    "3A": GP_FEDERATION,
    "3B": COMMUNITY_TRUST,
    "3C": COMMUNITY_TRUST,
    "3D": COMMUNITY_TRUST,
    "3E": ACUTE_TRUST,
}
EARLY_HELP_TEAM = "Early Help"  # staff.py's team; ``early_help_organisation()`` names it
VOICE_OBTAINED = [c for c, _ in shape.VOICE_OBTAINED_WEIGHTS]
VOICE_OBTAINED_CUM = list(itertools.accumulate(w for _, w in shape.VOICE_OBTAINED_WEIGHTS))
REQUESTS_CUM = list(itertools.accumulate(shape.REQUESTS_PER_CONTACT_WEIGHTS))
ALLOCATION = (0, shape.ALLOCATION_WORKING_DAYS)


@dataclass
class MashPlan:
    submitted: list[SubmittedChild] = field(default_factory=list)
    requests: list[InformationRequest] = field(default_factory=list)
    # Made once the children's rows are written (their ids come back from the insert).
    early_help: list[tuple[ContactChild, EarlyHelpEpisode]] = field(default_factory=list)
    episodes: list[tuple[ContactChild, Episode]] = field(default_factory=list)
    portal_contacts: int = 0
    api_notices: int = 0
    unlinked_children: int = 0
    urgency_set: int = 0
    open_requests: int = 0
    overdue_requests: int = 0
    unallocated_referrals: int = 0
    strategy_discussions: int = 0

    def carried_on(self) -> tuple[list[EarlyHelpEpisode], list[Episode]]:
        """The early-help episodes and referrals, pointing at their written rows."""
        for row, early_help in self.early_help:
            early_help.contact_child_id = row.pk
        for row, episode in self.episodes:
            episode.contact_child_id = row.pk
        return [e for _, e in self.early_help], [e for _, e in self.episodes]


def _age_on(person: Person, day: date) -> int:
    born = person.date_of_birth
    if born is None:
        return -1
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


class _Mash:
    def __init__(
        self,
        rng: random.Random,
        *,
        plan: ContactPlan,
        population: Population,
        staff: Staff,
        now: datetime,
        calendar: WorkingDayCalendar,
        levels: list[LevelOfNeed],
    ) -> None:
        self.rng = rng
        self.urgency_rules = {
            s.urgency: urgency_rule(urgency=s.urgency, amount=s.amount, unit=s.unit)
            for s in UrgencyStandard.objects.all()
        }
        self.plan = plan
        self.staff = staff
        self.now = now
        self.today = _day(now)
        self.calendar = calendar
        self.level_ids = {level.number: level.pk for level in levels}
        self.people = {p.pk: p for p in population.people}
        self.families: dict[Any, Family] = {
            c.pk: f for f in population.families for c in f.children
        }
        self.rows: dict[Any, list[ContactChild]] = {}
        for row in plan.children:
            self.rows.setdefault(row.contact_id, []).append(row)
        self.decisions: dict[int, Decision] = {id(d.contact_child): d for d in plan.decisions}
        self.organisations = staff.organisations
        self.duty_teams = sorted(
            name for name in staff.team_workers if name.startswith("Duty and Assessment")
        )
        self.early_help_workers = staff.team_workers.get(EARLY_HELP_TEAM, [])
        self.make_submitted = Maker(SubmittedChild)
        self.make_request = Maker(InformationRequest)
        self.make_early_help = Maker(EarlyHelpEpisode)
        self.make_episode = Maker(Episode)
        self.sender_sequence: dict[int, int] = {}
        self.last_working_day = shift_working_days(calendar, now, -1)

    # --- per contact ----------------------------------------------------------------------

    def run(self) -> MashPlan:
        mash = MashPlan()
        unlinked: set[int] = set()
        for contact in self.plan.contacts:
            rows = self.rows.get(contact.pk, [])
            decisions = [d for row in rows if (d := self.decisions.get(id(row)))]
            if self._portal(mash, contact, rows, decisions, unlinked):
                mash.portal_contacts += 1
            self._urgency(mash, contact, decisions)
            for row in rows:
                decision = self.decisions.get(id(row))
                if decision is not None:
                    self._threshold_and_voice(contact, row, decision)
                    if decision.status == Decision.Status.AUTHORISED:
                        self._carry_on(mash, contact, row, decision)
            self._requests(mash, contact, rows, decisions)
            self._after(contact, decisions)
        if unlinked:
            self.plan.children = [r for r in self.plan.children if id(r) not in unlinked]
        self._leave_some_unallocated(mash)
        self._leave_some_overdue(mash)
        return mash

    def _portal(
        self,
        mash: MashPlan,
        contact: Contact,
        rows: list[ContactChild],
        decisions: list[Decision],
        unlinked: set[int],
    ) -> bool:
        """A share of police, school and health contacts came through the portal or API:
        recorded by no one, received and recorded at the same moment (``contact_submit``)."""
        rng = self.rng
        source = contact.source
        if rng.random() >= shape.PORTAL_SHARES.get(source, 0.0):
            return False
        name = PORTAL_ORGANISATION.get(source, contact.referrer_organisation)
        organisation = self.organisations.get(name)
        users = self.staff.partners.get(name)
        if organisation is None or not users:
            return False
        by_api = source == "6" and rng.random() < shape.POLICE_API_SHARE
        user = self.staff.api_account if by_api and self.staff.api_account else pick(rng, users)
        contact.submitted_by_id = user.pk
        contact.submitting_organisation_id = organisation.pk
        contact.recorded_by_id = None
        contact.recorded_at = contact.received_at
        contact.referrer_organisation = organisation.name
        kind = {"6": "police", "2A": "school"}.get(source, "health")
        contact.actions_taken = pick(rng, words.ACTIONS_TAKEN[kind])
        if by_api:
            year = _day(contact.received_at).year
            self.sender_sequence[year] = self.sender_sequence.get(year, 0) + 1
            contact.sender_reference = f"NBP/PPN/{year}/{self.sender_sequence[year]:05d}"
            # As the API writes it: when it happened, then the notice's own words.
            occurred = contact.received_at - timedelta(minutes=randint(rng, 30, 36 * 60))
            when = occurred.astimezone(LONDON)
            contact.concern = f"When it happened: {when:%-d %B %Y at %H:%M}.\n\n{contact.concern}"
            mash.api_notices += 1
        else:
            # The portal fills in the signed-in partner's name and email.
            contact.referrer_name = f"{user.first_name} {user.last_name}"
            contact.referrer_email = user.email
        # A new submission nobody has looked at yet: its children not yet found.
        keep_unlinked = (
            not decisions
            and contact.received_at >= self.last_working_day
            and rng.random() < shape.UNLINKED_NEW_PORTAL_SHARE
        )
        for row in rows:
            mash.submitted.append(self._submitted(contact, row, linked=not keep_unlinked))
            if keep_unlinked:
                unlinked.add(id(row))
                mash.unlinked_children += 1
        return True

    def _submitted(self, contact: Contact, row: ContactChild, *, linked: bool) -> SubmittedChild:
        """The child as the partner described them (address as the family gives it)."""
        rng = self.rng
        person = self.people[row.person_id]
        family = self.families[row.person_id]
        received = _day(contact.received_at)
        age = _age_on(person, received)
        born: date | None = person.date_of_birth or person.expected_date_of_birth
        approximate = ""
        if age >= 0 and rng.random() < shape.APPROXIMATE_AGE_SHARE:
            born, approximate = None, f"About {age}"
        school = ""
        if contact.source == "2A":
            school = contact.referrer_organisation
        elif age >= 4 and rng.random() < 0.5:
            school = (family.primary if age < 11 else family.secondary).name
        return self.make_submitted(
            contact_id=contact.pk,
            first_name=person.first_name,
            last_name=person.last_name,
            date_of_birth=born,
            approximate_age=approximate,
            address=f"{family.line_1}, {words.TOWN}",
            postcode=family.postcode,
            school=school,
            person_id=person.pk if linked else None,
        )

    def _urgency(self, mash: MashPlan, contact: Contact, decisions: list[Decision]) -> None:
        """Rated soon after it is recorded, by whoever picked it up."""
        rng = self.rng
        if not decisions and rng.random() < shape.URGENCY_UNSET_UNDECIDED_SHARE:
            return
        outcome = decisions[0].outcome if decisions else "undecided"
        weights = shape.URGENCY_BY_OUTCOME[outcome]
        urgency = weighted(rng, URGENCIES, list(itertools.accumulate(weights)))
        setter = contact.recorded_by_id
        if setter is None:
            setter = decisions[0].decided_by_id if decisions else pick(rng, self._mash_staff()).pk
        latest = min([self.now, *(d.decided_at for d in decisions)])
        lo = contact.recorded_at
        hi = min(latest, lo + timedelta(hours=2))
        contact.urgency = urgency
        contact.urgency_reason = pick(rng, words.URGENCY_REASONS[urgency])
        contact.urgency_set_by_id = setter
        contact.urgency_set_at = moment_between(rng, lo, hi) if hi > lo else lo
        mash.urgency_set += 1

    def _mash_staff(self) -> list[User]:
        return self.staff.practitioners

    def _threshold_and_voice(self, contact: Contact, row: ContactChild, decision: Decision) -> None:
        """The level of need and the child's voice, recorded with the decision."""
        rng = self.rng
        weights = shape.LEVEL_BY_OUTCOME[decision.outcome]
        number = weighted(rng, (1, 2, 3, 4), list(itertools.accumulate(weights)))
        decision.level_of_need_id = self.level_ids.get(number)
        person = self.people[row.person_id]
        if _age_on(person, _day(contact.received_at)) < shape.VOICE_NOT_APPLICABLE_UNDER:
            row.voice_known = "not_applicable"
        elif rng.random() < shape.VOICE_KNOWN_SHARE:
            row.voice_known = "yes"
            row.voice_views = pick(rng, words.VOICE_VIEWS).format(child=person.first_name)
            row.voice_obtained = weighted(rng, VOICE_OBTAINED, VOICE_OBTAINED_CUM)
        else:
            row.voice_known = "no"

    # --- information requests -------------------------------------------------------------

    def _agencies(self, contact: Contact, rows: list[ContactChild]) -> list[tuple[str, str]]:
        """(organisation name, kind) the MASH might ask about these children."""
        ages = [_age_on(self.people[r.person_id], _day(contact.received_at)) for r in rows]
        young = any(a < 5 for a in ages)
        options = [(POLICE, "police"), (COMMUNITY_TRUST if young else ACUTE_TRUST, "health")]
        options += [(GP_FEDERATION, "health"), (HOUSING, "housing"), (PROBATION, "probation")]
        options.append((VOLUNTARY, "voluntary"))
        if rows and max(ages) >= 4:
            oldest = rows[ages.index(max(ages))]
            family = self.families[oldest.person_id]
            options.append(
                ((family.primary if max(ages) < 11 else family.secondary).name, "school")
            )
        sender = contact.referrer_organisation
        return [(name, kind) for name, kind in options if name != sender]

    def _requests(
        self,
        mash: MashPlan,
        contact: Contact,
        rows: list[ContactChild],
        decisions: list[Decision],
    ) -> None:
        rng = self.rng
        if rng.random() >= shape.REQUEST_SHARE_BY_URGENCY[contact.urgency]:
            return
        start = contact.urgency_set_at or contact.recorded_at
        end = min([self.now, *(d.decided_at for d in decisions)])
        if end - start < timedelta(minutes=10):
            return
        asker = contact.recorded_by_id
        if asker is None:
            asker = decisions[0].decided_by_id if decisions else pick(rng, self._mash_staff()).pk
        count = weighted(rng, (1, 2, 3), REQUESTS_CUM)
        agencies = self._agencies(contact, rows)
        for name, kind in rng.sample(agencies, min(count, len(agencies))):
            requested = working_or_any_moment(rng, self.calendar, start + timedelta(minutes=5), end)
            due = self._default_due(contact, requested)
            request = self.make_request(
                contact_id=contact.pk,
                organisation_id=self.organisations[name].pk,
                question=pick(rng, words.INFORMATION_QUESTIONS[kind]),
                requested_by_id=asker,
                requested_at=requested,
                due_at=due,
            )
            self._answer(mash, request, name, kind)
            mash.requests.append(request)

    def _default_due(self, contact: Contact, requested: datetime) -> datetime:
        """The due time the send page offers (practitioners keep it): one working day,
        or sooner when the contact's urgency clock runs out before then, as
        ``information_request_default_due`` works it out."""
        due = INFORMATION_REQUEST.due_at(requested, self.calendar)
        rule = self.urgency_rules.get(contact.urgency)
        if rule is not None:
            urgent = rule.due_at(contact.received_at, self.calendar)
            if requested < urgent < due:
                return urgent
        return due

    def _answer(self, mash: MashPlan, request: InformationRequest, name: str, kind: str) -> None:
        """Most answered on time, some late, a few from the last month never answered."""
        rng = self.rng
        requested, due, now = request.requested_at, request.due_at, self.now
        earliest = requested + timedelta(minutes=15)
        answered: datetime | None = None
        if due <= now:
            recent = now - requested < timedelta(days=shape.REQUEST_NEVER_ANSWERED_DAYS)
            draw = rng.random()
            if recent and draw < shape.REQUEST_NEVER_ANSWERED_SHARE:
                answered = None
            elif draw < shape.REQUEST_ON_TIME_SHARE and due > earliest:
                answered = working_or_any_moment(rng, self.calendar, earliest, due)
            else:
                late_by = shift_working_days(self.calendar, due, randint(rng, 1, 3))
                answered = working_or_any_moment(
                    rng, self.calendar, due + timedelta(minutes=1), min(late_by, now)
                )
        elif now > earliest and rng.random() < 0.5:
            answered = working_or_any_moment(rng, self.calendar, earliest, now)
        if answered is None or answered > now or answered <= requested:
            mash.open_requests += 1
            mash.overdue_requests += due < now
            return
        request.status = InformationRequest.Status.ANSWERED
        request.answer = pick(rng, words.INFORMATION_ANSWERS[kind])
        request.answered_by_id = pick(rng, self.staff.partners[name]).pk
        request.answered_at = answered

    # --- what authorised decisions start ---------------------------------------------------

    def _carry_on(
        self, mash: MashPlan, contact: Contact, row: ContactChild, decision: Decision
    ) -> None:
        authorised_at = decision.authorised_at
        assert authorised_at is not None  # noqa: S101 (authorised decisions have it)
        if decision.outcome in REFERRAL_OUTCOMES:
            mash.episodes.append((row, self._episode(mash, contact, row, decision, authorised_at)))
        elif decision.outcome == Decision.Outcome.EARLY_HELP:
            mash.early_help.append((row, self._early_help(row, decision, authorised_at)))

    def _episode(
        self,
        mash: MashPlan,
        contact: Contact,
        row: ContactChild,
        decision: Decision,
        authorised_at: datetime,
    ) -> Episode:
        """As ``episode_open_for_referral`` opens it, then a team manager allocates it.

        The app sends every referral to the first duty and assessment team; the seeded
        council's three teams take duty a week each in turn (a common rota), so each has
        a tray of its own."""
        rng = self.rng
        strategy = decision.outcome == Decision.Outcome.STRATEGY_DISCUSSION
        week = _day(authorised_at).isocalendar().week
        team = self.duty_teams[week % len(self.duty_teams)]
        episode = self.make_episode(
            id=seeded_uuid(rng),
            person_id=row.person_id,
            contact_child_id=None,
            referral_date=_day(contact.received_at),
            referral_source=contact.source,
            team_id=self.staff.teams[team].pk,
            strategy_discussion_required=strategy,
            strategy_discussion_due=(
                self.calendar.next_working_day(_day(authorised_at)) if strategy else None
            ),
            created_by_id=decision.authorised_by_id,
            created_at=authorised_at,
        )
        mash.strategy_discussions += strategy
        by = shift_working_days(self.calendar, authorised_at, randint(rng, *ALLOCATION))
        allocated = working_or_any_moment(
            rng, self.calendar, authorised_at + timedelta(minutes=10), by + timedelta(hours=2)
        )
        if allocated <= self.now:
            episode.worker_id = pick(rng, self.staff.team_workers[team]).pk
            episode.allocated_at = allocated
        return episode

    def _leave_some_unallocated(self, mash: MashPlan) -> None:
        """However small the council, the newest few referrals (and each duty team's
        newest) wait for a worker."""
        newest = sorted((e for _, e in mash.episodes), key=lambda e: e.created_at)
        waiting = newest[-shape.MIN_UNALLOCATED_REFERRALS :]
        latest_by_team = {e.team_id: e for e in newest}  # sorted: the last one wins
        waiting += list(latest_by_team.values())
        for episode in waiting:
            episode.worker_id = None
            episode.allocated_at = None
        mash.unallocated_referrals = sum(1 for e in newest if e.worker_id is None)

    def _leave_some_overdue(self, mash: MashPlan) -> None:
        """However small the council, at least one request past its due time is still
        waiting for an answer (the flag the MASH tray shows)."""
        if mash.overdue_requests or not mash.requests:
            return
        due = [r for r in mash.requests if r.due_at < self.now and r.status == "answered"]
        if not due:
            return
        request = max(due, key=lambda r: r.due_at)
        request.status = InformationRequest.Status.OPEN
        request.answer = ""
        request.answered_by_id = None
        request.answered_at = None
        mash.open_requests += 1
        mash.overdue_requests += 1

    def _early_help(
        self, row: ContactChild, decision: Decision, authorised_at: datetime
    ) -> EarlyHelpEpisode:
        """As ``early_help_open`` opens it on authorisation, then as the early help
        practitioner keeps it up to date (``early_help_update``): start corrected to when
        the assessment really began, completion, lead professional, the end of support."""
        rng = self.rng
        cal = self.calendar
        opened = _day(authorised_at)
        start = cal.add_working_days(opened, randint(rng, *shape.EARLY_HELP_START_WORKING_DAYS))
        if start > self.today:
            start = opened
        organisation = EARLY_HELP_TEAM
        lead = ""
        if rng.random() < shape.EARLY_HELP_OTHER_ORGANISATION_SHARE:
            organisation = pick(rng, words.EARLY_HELP_OTHER_ORGANISATIONS)
            first = pick(rng, words.FIRST_NAMES_FEMALE)
            last = weighted(rng, words.LAST_NAMES, words.LAST_NAME_CUM_WEIGHTS)
            lead = f"{first} {last}"
        elif self.early_help_workers:
            worker = pick(rng, self.early_help_workers)
            lead = f"{worker.first_name} {worker.last_name}"
        if start == opened and start >= self.today - timedelta(days=3):
            lead = ""  # just opened: not yet given a lead professional
        completed: date | None = None
        ended: date | None = None
        if rng.random() >= shape.EARLY_HELP_NOT_COMPLETED_SHARE:
            days = randint(rng, *shape.EARLY_HELP_ASSESSMENT_WORKING_DAYS)
            completed = cal.add_working_days(start, days)
            if completed > self.today:
                completed = None
            else:
                support = timedelta(days=randint(rng, *shape.EARLY_HELP_SUPPORT_DAYS))
                ended = completed + support if completed + support <= self.today else None
        else:
            gave_up = start + timedelta(days=randint(rng, 20, 60))
            ended = gave_up if gave_up <= self.today else None
        return self.make_early_help(
            person_id=row.person_id,
            contact_child_id=None,
            assessment_start_date=start,
            assessment_completion_date=completed,
            organisation_completing=organisation,
            lead_professional=lead,
            ended_on=ended,
            created_by_id=decision.authorised_by_id,
            created_at=authorised_at,
        )

    # --- after the decision ---------------------------------------------------------------

    def _after(self, contact: Contact, decisions: list[Decision]) -> None:
        """An open contact is with whoever is working on it; a closed one's referrer (not a
        portal user, who gets their own email) was emailed the outcome as it closed."""
        rng = self.rng
        if contact.closed_at is None:
            if decisions:
                contact.allocated_to_id = decisions[0].decided_by_id
            elif contact.recorded_by_id is not None and rng.random() < 0.5:
                contact.allocated_to_id = contact.recorded_by_id
        elif contact.submitted_by_id is None and contact.referrer_email:
            contact.referrer_told_at = contact.closed_at + timedelta(seconds=randint(rng, 1, 20))
            contact.referrer_told_at = min(contact.referrer_told_at, self.now)


def plan_mash(
    rng: random.Random,
    *,
    plan: ContactPlan,
    population: Population,
    staff: Staff,
    now: datetime,
    calendar: WorkingDayCalendar,
    levels: list[LevelOfNeed],
) -> MashPlan:
    """Change the planned contacts, children and decisions in place (before they are
    written) and plan the MASH's own rows."""
    return _Mash(
        rng,
        plan=plan,
        population=population,
        staff=staff,
        now=now,
        calendar=calendar,
        levels=levels,
    ).run()
