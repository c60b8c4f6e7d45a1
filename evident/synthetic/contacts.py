"""Contacts at the front door and the decisions on them.

The year's contacts arrive the way a real front door's do: police at any hour and on
weekends, schools in term-time school hours, most others in office hours on working days.
Families differ in how often they are the subject of contacts (a gamma-distributed
"involvement"), so some children come back. Decisions are authorised within the one working
day clock for most children and late by 1-5 working days for the rest; the last two working
days are still open (some undecided, some awaiting a manager, one or two returned).
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings

from evident.accounts.models import User
from evident.core.clocks import CONTACT_DECISION
from evident.core.working_days import WorkingDayCalendar
from evident.front_door.models import Contact, ContactChild, Decision
from evident.people.models import Person
from evident.synthetic import shape, words
from evident.synthetic.clock import (
    LONDON,
    OFFICE_CLOSES,
    OFFICE_OPENS,
    local,
    moment_between,
    pick,
    randint,
    shift_working_days,
    weighted,
    working_or_any_moment,
)
from evident.synthetic.people import Family, Population, seeded_uuid
from evident.synthetic.rows import Maker
from evident.synthetic.staff import (
    ACUTE_TRUST,
    COMMUNITY_TRUST,
    HOUSING,
    POLICE,
    PROBATION,
    VOLUNTARY,
    Staff,
)

# When each kind of referrer calls: relative weights for the 24 hours of the day.
# fmt: off
HOURS: dict[str, tuple[float, ...]] = {
    "police": (0.8, 0.6, 0.5, 0.35, 0.25, 0.2, 0.25, 0.4, 0.7, 0.9, 1.0, 1.0,
               1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.3, 1.4, 1.4, 1.4, 1.3, 1.1),
    "ae": (0.6, 0.5, 0.4, 0.3, 0.25, 0.25, 0.3, 0.5, 0.8, 1.0, 1.1, 1.1,
           1.1, 1.1, 1.1, 1.1, 1.2, 1.2, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7),
    "school": (0, 0, 0, 0, 0, 0, 0, 0.05, 0.6, 1.0, 1.1, 1.0,
               1.0, 0.9, 1.0, 1.2, 0.7, 0.2, 0.02, 0, 0, 0, 0, 0),
    "office": (0, 0, 0, 0, 0, 0, 0, 0.03, 0.3, 1.0, 1.3, 1.3,
               0.9, 1.0, 1.2, 1.1, 0.8, 0.3, 0.05, 0.02, 0, 0, 0, 0),
    "individual": (0.05, 0.02, 0.01, 0, 0, 0, 0.02, 0.1, 0.5, 0.9, 1.0, 1.0,
                   1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.15, 0.1),
}
# fmt: on
PATTERN = {
    "6": "police",
    "3E": "ae",
    "2A": "school",
    "3C": "school",
    "1A": "individual",
    "1B": "individual",
    "1C": "individual",
    "1D": "individual",
    "9": "individual",
    "10": "individual",
}  # every other source: "office"
CONCERN_GROUP = {
    "1A": "family",
    "1B": "acquaintance",
    "1C": "self",
    "1D": "public",
    "2A": "school",
    "2B": "school",
    "4": "housing",
    "5A": "adult_social_care",
    "5B": "youth",
    "5C": "other_council",
    "5D": "early_help",
    "6": "police",
    "7": "legal",
    "8": "other",
    "9": "anonymous",
    "10": "unknown",
}  # 3x: health
PARENTS_AWARE = "The parents are aware of this contact."
SOURCE_CODES = [c for c, _ in shape.SOURCE_SHARES]
SOURCE_CUM = list(itertools.accumulate(w for _, w in shape.SOURCE_SHARES))
CONSENT_CODES = [c for c, _ in shape.CONSENT_SHARES]
CONSENT_CUM = list(itertools.accumulate(w for _, w in shape.CONSENT_SHARES))
OUTCOME_CODES = [c for c, _ in shape.OUTCOME_SHARES]
OUTCOME_CUM = list(itertools.accumulate(w for _, w in shape.OUTCOME_SHARES))
LATE_CUM = list(itertools.accumulate(shape.LATE_WORKING_DAYS_WEIGHTS))


def _concern_group(source: str) -> str:
    return CONCERN_GROUP.get(source, "health")


@dataclass
class ContactPlan:
    contacts: list[Contact] = field(default_factory=list)
    children: list[ContactChild] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    open_contacts: int = 0  # not closed: the three below
    undecided: int = 0  # no decision yet
    awaiting_authorisation: int = 0
    returned: int = 0
    live_edge_contacts: int = 0


def _age_on(person: Person, day: date) -> int:
    """Completed years; -1 for an unborn child."""
    born = person.date_of_birth
    if born is None:
        return -1
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _suits(source: str, child: Person, day: date) -> bool:
    """Would this referrer plausibly be calling about this child?"""
    age = _age_on(child, day)
    if source in ("2A", "2B", "3C"):
        return age >= 4
    if source == "3B":
        return age < 5
    if source == "1C":
        return age >= 10
    return True


def _largest_remainder(total: int, shares: tuple[tuple[str, float], ...]) -> list[str]:
    """Exactly ``total`` codes in the given shares (so small councils get the mix too)."""
    whole = sum(w for _, w in shares)
    raw = [(code, total * w / whole) for code, w in shares]
    counts = {code: int(x) for code, x in raw}
    left = total - sum(counts.values())
    by_remainder = sorted(raw, key=lambda cx: (-(cx[1] - int(cx[1])), cx[0]))
    for code, _ in by_remainder[:left]:
        counts[code] += 1
    return [code for code, _ in shares for _ in range(counts[code])]


class _Planner:
    def __init__(
        self,
        rng: random.Random,
        *,
        population: Population,
        staff: Staff,
        start: date,
        now: datetime,
        calendar: WorkingDayCalendar,
        school_holidays: set[date],
    ) -> None:
        self.rng = rng
        self.population = population
        self.staff = staff
        self.start = start
        self.now = now
        self.calendar = calendar
        self.school_holidays = school_holidays
        self.days = [
            start + timedelta(days=i)
            for i in range((now.astimezone(LONDON).date() - start).days + 1)
        ]
        self.day_cum = {pattern: self._day_cum(pattern) for pattern in HOURS}
        self.hour_cum = {p: list(itertools.accumulate(h)) for p, h in HOURS.items()}
        families = population.families
        self.families = families
        self.family_cum = list(itertools.accumulate(f.involvement for f in families))
        self.sibling_families = [f for f in families if len(f.children) >= 2]
        self.sibling_cum = list(itertools.accumulate(f.involvement for f in self.sibling_families))
        self.council = settings.EVIDENT_COUNCIL_NAME
        self.edge_start = shift_working_days(calendar, now, -shape.LIVE_EDGE_WORKING_DAYS)
        self._family_index = {id(c): f for f in families for c in f.children}

    # --- when -------------------------------------------------------------------------------

    def _day_weight(self, pattern: str, day: date) -> float:
        working = self.calendar.is_working_day(day)
        holiday = day in self.school_holidays
        weekday = day.weekday()
        if pattern == "police":
            return 1.15 if weekday >= 5 else 1.0
        if pattern == "ae":
            return 1.0
        if pattern == "school":
            if not working:
                return 0.01
            return (0.08 if holiday else 1.0) * (1.1 if weekday == 0 else 1.0)
        if pattern == "individual":
            return (0.9 if holiday else 1.0) if working else 0.35
        # office
        if not working:
            return 0.04
        return (0.9 if holiday else 1.0) * {0: 1.15, 4: 0.95}.get(weekday, 1.0)

    def _day_cum(self, pattern: str) -> list[float]:
        hours = HOURS[pattern]
        whole = sum(hours)
        now_local = self.now.astimezone(LONDON)
        weights = []
        for day in self.days:
            weight = self._day_weight(pattern, day)
            if day == now_local.date():  # today: only the part of the day gone by
                gone = sum(hours[: now_local.hour]) + hours[now_local.hour] * now_local.minute / 60
                weight *= gone / whole
            weights.append(weight)
        return list(itertools.accumulate(weights))

    def received_at(self, source: str) -> datetime:
        rng = self.rng
        pattern = PATTERN.get(source, "office")
        now_local = self.now.astimezone(LONDON)
        today = now_local.date()
        day = weighted(rng, self.days, self.day_cum[pattern])
        if day != today:
            hour = weighted(rng, range(24), self.hour_cum[pattern])
            return local(day, time(hour, randint(rng, 0, 59), randint(rng, 0, 59)))
        # Today: only the hours gone by (the day's weight was cut to match).
        hours = list(HOURS[pattern][: now_local.hour + 1])
        hours[-1] *= now_local.minute / 60
        if sum(hours) <= 0:
            return moment_between(rng, local(today, time.min), self.now)
        hour = weighted(rng, range(len(hours)), list(itertools.accumulate(hours)))
        at = local(today, time(hour, randint(rng, 0, 59), randint(rng, 0, 59)))
        return at if at <= self.now else moment_between(rng, local(today, time(hour)), self.now)

    # --- who ----------------------------------------------------------------------------------

    def children_for(self, source: str, received: datetime) -> list[Person]:
        rng = self.rng
        day = received.astimezone(LONDON).date()
        siblings = rng.random() < shape.SIBLING_CONTACT_SHARE
        for attempt in range(30):
            relax = attempt >= 20
            if siblings and attempt < 10 and self.sibling_families:
                family = weighted(rng, self.sibling_families, self.sibling_cum)
            else:
                family = weighted(rng, self.families, self.family_cum)
            known = [c for c in family.children if self._known(c, received)]
            suited = [c for c in known if relax or _suits(source, c, day)]
            if not suited:
                continue
            first = pick(rng, suited)
            if siblings and len(known) >= 2:
                others = [c for c in known if c is not first]
                many = 2 if len(others) >= 2 and rng.random() < shape.THREE_SIBLINGS_SHARE else 1
                chosen = {id(c) for c in [first, *rng.sample(others, many)]}
                return [c for c in family.children if id(c) in chosen]
            return [first]
        return [pick(rng, self.population.children)]  # pragma: no cover

    def _known(self, child: Person, received: datetime) -> bool:
        """On record by then (a pre-birth contact only in the last few months)."""
        if child.created_at > received:
            return False
        recent = self.now - received < timedelta(days=shape.UNBORN_CONTACT_DAYS)
        return child.date_of_birth is not None or recent

    def family_of(self, child: Person) -> Family:
        return self._family_index[id(child)]

    # --- what they said -----------------------------------------------------------------------

    def _name(self) -> tuple[str, str]:
        rng = self.rng
        names = words.FIRST_NAMES_FEMALE if rng.random() < 0.6 else words.FIRST_NAMES_MALE
        first = pick(rng, names)
        last = weighted(rng, words.LAST_NAMES, words.LAST_NAME_CUM_WEIGHTS)
        return first, last

    def _landline(self) -> str:
        return f"01632 960{randint(self.rng, 0, 999):03d}"  # Ofcom's drama range

    def _mobile(self) -> str:
        return f"07700 900{randint(self.rng, 0, 999):03d}"  # Ofcom's drama range

    @staticmethod
    def _email(first: str, last: str) -> str:
        local_part = re.sub(r"[^a-z.]", "", f"{first}.{last}".lower())
        return f"{local_part}@example.org"

    def referrer(self, source: str, child: Person, day: date) -> tuple[str, str, str, str]:
        """Name, organisation, phone and email, consistent with the source."""
        rng = self.rng
        council = self.council
        if source == "9":
            return "Anonymous", "", "", ""
        if source == "10":
            return "", "", "", ""
        first, last = self._name()
        email = self._email(first, last)
        if source == "1C":
            mobile = self._mobile() if rng.random() < 0.6 else ""
            return child.full_name, "", mobile, ""
        if source in ("1A", "1B", "1D"):
            name = f"{first} {last}"
            if source == "1D" and rng.random() < 0.3:
                name = "Member of the public"
            return name, "", self._mobile(), email if rng.random() < 0.4 else ""
        name = f"{first} {last}"
        organisation = {
            "2B": pick(rng, ("Education Welfare Service", "Virtual School", "SEND Team")),
            "3B": COMMUNITY_TRUST,
            "3C": COMMUNITY_TRUST,
            "3D": COMMUNITY_TRUST,
            "3E": ACUTE_TRUST,
            "3F": pick(rng, (ACUTE_TRUST, COMMUNITY_TRUST)),
            "4": pick(rng, (HOUSING, HOUSING, f"{council} Housing Options")),
            "5A": f"{council} Adult Social Care",
            "5B": pick(rng, ("Youth Justice Service", "Youth Service", "Community Safety Team")),
            "5C": f"{pick(rng, words.OTHER_COUNCILS)} Children's Services",
            "5D": f"{council} Early Help",
            "6": POLICE,
            "7": pick(rng, (PROBATION, PROBATION, "Cafcass", "Northbridge Family Court")),
            "8": pick(rng, (VOLUNTARY, VOLUNTARY, "Northbridge Children's Centre")),
        }.get(source, "")
        if source in ("2B", "5B"):
            organisation = f"{council} {organisation}"
        if source == "2A":
            family = self.family_of(child)
            school = family.primary if _age_on(child, day) < 11 else family.secondary
            organisation = school.name
        elif source == "3A":
            organisation = pick(rng, words.GP_PRACTICES)
        elif source == "6":
            name = f"{pick(rng, words.POLICE_RANKS)} {randint(rng, 1000, 9999)} {name}"
        elif source.startswith("3"):
            title = pick(rng, words.HEALTH_TITLES[source])
            name = f"{title} {name}" if title else name
        return name, organisation, self._landline(), email

    def concern(self, source: str, children: list[Person], consent: str) -> str:
        rng = self.rng
        first = children[0]
        group = "prebirth" if first.date_of_birth is None else _concern_group(source)
        text = pick(rng, words.CONCERNS[group]).format(child=first.first_name)
        if rng.random() < 0.35:
            text = f"{text} {pick(rng, words.CONCERN_CONTEXT)}"
        if len(children) > 1:
            names = [c.first_name if c.date_of_birth else "an unborn baby" for c in children]
            listed = ", ".join(names[:-1]) + f" and {names[-1]}"
            text = f"This contact is about {listed}. {text}"
        ending = pick(rng, words.CONCERN_ENDINGS)
        if ending == PARENTS_AWARE and consent != Contact.Consent.GIVEN:
            ending = words.CONCERN_ENDINGS[0]  # they have not been told
        return f"{text} {ending}"

    def consent(self, source: str) -> tuple[str, str]:
        rng = self.rng
        codes = CONSENT_CODES
        consent = weighted(rng, codes, CONSENT_CUM)
        if source == "9" and consent == Contact.Consent.GIVEN:
            consent = Contact.Consent.NOT_SOUGHT
        by_consent: dict[str, tuple[str, ...]] = {
            Contact.Consent.DISPENSED: words.CONSENT_DISPENSED_REASONS,
            Contact.Consent.REFUSED: words.CONSENT_REFUSED_REASONS,
            Contact.Consent.NOT_SOUGHT: words.CONSENT_NOT_SOUGHT_REASONS,
        }
        return consent, pick(rng, by_consent.get(consent, ("",)))

    # --- the decision ------------------------------------------------------------------------

    def recorded_at(self, received: datetime) -> datetime:
        """Within the hour in office hours; out of hours, first thing the next working day."""
        rng = self.rng
        here = received.astimezone(LONDON)
        day = here.date()
        if self.calendar.is_working_day(day) and OFFICE_OPENS <= here.time() < OFFICE_CLOSES:
            at = received + timedelta(minutes=randint(rng, 3, 45), seconds=randint(rng, 0, 59))
        else:
            if here.time() >= OFFICE_CLOSES or not self.calendar.is_working_day(day):
                day = self.calendar.next_working_day(day + timedelta(days=1))
            at = local(day, OFFICE_OPENS) + timedelta(minutes=randint(rng, 0, 90))
        if at > self.now:
            at = moment_between(rng, received, self.now)
        return at

    def planned_times(self, received: datetime, recorded: datetime) -> tuple[datetime, datetime]:
        """When the decision would be proposed and authorised (maybe after now)."""
        rng = self.rng
        cal = self.calendar
        due = CONTACT_DECISION.due_at(received, cal)
        if rng.random() < shape.ON_TIME_SHARE:
            lo, hi = recorded + timedelta(minutes=20), due - timedelta(minutes=1)
            if hi <= lo:
                lo = recorded
        else:
            late = weighted(rng, (1, 2, 3, 4, 5), LATE_CUM)
            lo = shift_working_days(cal, due, late - 1) + timedelta(minutes=1)
            hi = shift_working_days(cal, due, late)
        authorised = working_or_any_moment(rng, cal, lo, hi)
        lo_d, hi_d = recorded + timedelta(minutes=10), authorised - timedelta(minutes=5)
        if hi_d <= lo_d:
            decided = moment_between(rng, recorded, authorised)
        else:
            decided = working_or_any_moment(rng, cal, max(lo_d, hi_d - timedelta(hours=6)), hi_d)
        return decided, authorised

    def state(self, received: datetime, decided: datetime, authorised: datetime) -> str:
        """authorised, proposed or none: the live edge is still being worked."""
        rng = self.rng
        state = "authorised"
        if received >= self.edge_start:
            due = CONTACT_DECISION.due_at(received, self.calendar)
            # Past due: mostly done (the late ones stay open); not yet due: mostly in hand.
            cum = (10, 25, 100) if due <= self.now else (50, 80, 100)
            state = weighted(rng, ("none", "proposed", "authorised"), cum)
        if state == "authorised" and authorised > self.now:
            state = "proposed"
        return state

    def arrivals(self) -> list[tuple[datetime, str]]:
        """When each contact came in, and from whom, in order of receipt."""
        rng = self.rng
        span = (self.now - local(self.start, time.min)).total_seconds() / 86_400
        total = round(
            len(self.population.children) * shape.CONTACTS_PER_CHILD_PER_YEAR * span / 365.25
        )
        sources = _largest_remainder(total, shape.SOURCE_SHARES)
        rng.shuffle(sources)
        arrivals = [(self.received_at(s), s) for s in sources]
        # A small council still has a live front door: a few contacts in the last two days.
        in_edge = sum(1 for at, _ in arrivals if at >= self.edge_start)
        for _ in range(max(0, shape.MIN_LIVE_EDGE_CONTACTS - in_edge)):
            source = weighted(rng, SOURCE_CODES, SOURCE_CUM)
            at = working_or_any_moment(rng, self.calendar, self.edge_start, self.now)
            arrivals.append((at, source))
        arrivals.sort(key=lambda a: (a[0].timestamp(), a[1]))
        return arrivals

    def plan(self) -> ContactPlan:
        rng = self.rng
        plan = ContactPlan()
        make_contact = Maker(Contact)
        make_row = Maker(ContactChild)
        sequence: dict[int, int] = {}
        work: list[_Work] = []
        for received, source in self.arrivals():
            year = received.astimezone(LONDON).year
            sequence[year] = sequence.get(year, 0) + 1
            children = self.children_for(source, received)
            day = received.astimezone(LONDON).date()
            name, organisation, phone, email = self.referrer(source, children[0], day)
            consent, consent_reason = self.consent(source)
            recorder = pick(rng, self.staff.practitioners)
            recorded = self.recorded_at(received)
            contact = make_contact(
                id=seeded_uuid(rng),
                reference=f"C-{year}-{sequence[year]:06d}",
                received_at=received,
                source=source,
                referrer_name=name,
                referrer_organisation=organisation,
                referrer_phone=phone,
                referrer_email=email,
                concern=self.concern(source, children, consent),
                consent=consent,
                consent_reason=consent_reason,
                recorded_by_id=recorder.pk,
                recorded_at=recorded,
            )
            plan.contacts.append(contact)
            rows = [make_row(contact_id=contact.pk, person_id=c.pk) for c in children]
            plan.children.extend(rows)
            decided, authorised = self.planned_times(received, recorded)
            item = _Work(contact, rows, recorder, recorded, decided, authorised, "authorised")
            item.in_edge = received >= self.edge_start
            item.state = self.state(received, decided, authorised)
            if item.state == "proposed" and decided > self.now:
                # Proposed sooner than planned, or not yet decided at all.
                if recorded < self.now - timedelta(minutes=15):
                    lo = recorded + timedelta(minutes=5)
                    item.decided = working_or_any_moment(rng, self.calendar, lo, self.now)
                else:
                    item.state = "none"
            work.append(item)

        self._live_edge_mix([w for w in work if w.in_edge])
        proposed_in_edge: list[list[Decision]] = []
        for item in work:
            plan.live_edge_contacts += item.in_edge
            if item.state != "authorised":
                plan.open_contacts += 1
            if item.state == "none":
                plan.undecided += 1
                continue
            decisions = self._decisions(item)
            plan.decisions.extend(decisions)
            if item.state == "authorised":
                item.contact.closed_at = max(d.authorised_at for d in decisions if d.authorised_at)
            elif item.in_edge:
                proposed_in_edge.append(decisions)
        plan.returned = self._return_some(proposed_in_edge)
        plan.awaiting_authorisation = plan.open_contacts - plan.undecided - plan.returned
        return plan

    def _live_edge_mix(self, edge: list[_Work]) -> None:
        """However small the council, the tray shows an undecided contact and the manager's
        list at least two proposals (one of which will be returned)."""
        rng = self.rng
        undecided = [w for w in edge if w.state == "none"]
        if not undecided and len(edge) >= 3:
            latest = edge[-1]
            latest.state = "none"
            undecided.append(latest)
        proposed = [w for w in edge if w.state == "proposed"]
        keep = undecided[0] if undecided else None
        spare = [
            w
            for w in edge
            if w.state != "proposed"
            and w is not keep
            and w.recorded < self.now - timedelta(minutes=15)
        ]
        for item in rng.sample(spare, min(len(spare), max(0, 2 - len(proposed)))):
            item.state = "proposed"
            if item.decided > self.now or item.decided < item.recorded:
                lo = item.recorded + timedelta(minutes=5)
                item.decided = working_or_any_moment(rng, self.calendar, lo, self.now)

    def _decisions(self, item: _Work) -> list[Decision]:
        rng = self.rng
        shared = weighted(rng, OUTCOME_CODES, OUTCOME_CUM)
        decider = item.recorder if rng.random() < 0.7 else pick(rng, self.staff.practitioners)
        manager = pick(rng, self.staff.managers)
        comment = ""
        if rng.random() < shape.MANAGER_COMMENT_SHARE:
            comment = pick(rng, words.MANAGER_COMMENTS)
        decisions = []
        for n, row in enumerate(item.rows):
            outcome = shared
            if n and rng.random() > shape.SIBLING_SAME_OUTCOME_SHARE:
                outcome = weighted(rng, OUTCOME_CODES, OUTCOME_CUM)
            # Siblings' decisions are recorded a little apart, each before the last.
            step = timedelta(seconds=n * randint(rng, 20, 90))
            decision = Decision(
                contact_child=row,
                outcome=outcome,
                rationale=pick(rng, words.RATIONALES[outcome]),
                status=Decision.Status.PROPOSED,
                decided_by_id=decider.pk,
                decided_at=max(item.recorded, item.decided - step),
            )
            if item.state == "authorised":
                decision.status = Decision.Status.AUTHORISED
                decision.authorised_by_id = manager.pk
                decision.authorised_at = max(decision.decided_at, item.authorised - step)
                decision.manager_comment = comment
            decisions.append(decision)
        return decisions

    def _return_some(self, proposed: list[list[Decision]]) -> int:
        """One or two proposals the manager has sent back for more work."""
        if len(proposed) < 2:
            return 0
        count = 1 if len(proposed) < 20 else 2
        for decisions in self.rng.sample(proposed, count):
            comment = pick(self.rng, words.RETURN_COMMENTS)
            for decision in decisions:
                decision.status = Decision.Status.RETURNED
                decision.manager_comment = comment
        return count


@dataclass(eq=False)
class _Work:
    """A contact on its way through the front door."""

    contact: Contact
    rows: list[ContactChild]
    recorder: User
    recorded: datetime
    decided: datetime
    authorised: datetime
    state: str  # none, proposed or authorised
    in_edge: bool = False


def plan_contacts(
    rng: random.Random,
    *,
    population: Population,
    staff: Staff,
    start: date,
    now: datetime,
    calendar: WorkingDayCalendar,
    school_holidays: set[date],
) -> ContactPlan:
    planner = _Planner(
        rng,
        population=population,
        staff=staff,
        start=start,
        now=now,
        calendar=calendar,
        school_holidays=school_holidays,
    )
    return planner.plan()
