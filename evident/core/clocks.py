"""One clock: every time limit is a rule here, and trays, indicators and lists ask it.

A rule says what starts the clock, how long it runs (working days for now; calendar days
and months come with the casework clocks) and when it turns amber. A council that changes
a local standard changes it in one place.
"""

from __future__ import annotations

import enum
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from evident.core.working_days import WorkingDayCalendar, council_calendar

LONDON = ZoneInfo("Europe/London")


class Rag(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return {"red": "Overdue", "amber": "Due soon", "green": "On track"}[self.value]


@dataclass(frozen=True)
class ClockRule:
    code: str
    title: str
    working_days: int
    statutory: bool
    # Amber once less than this share of the allowed time is left.
    amber_fraction: float = 0.25

    def due_at(self, started_at: datetime, calendar: WorkingDayCalendar | None = None) -> datetime:
        """The same local clock time, ``working_days`` working days after the start.

        A clock started on a weekend or holiday starts at 00:00 on the next working day:
        a contact received on Saturday is due at 00:00 on Tuesday, the end of Monday.
        """
        cal = calendar or council_calendar()
        local = started_at.astimezone(LONDON)
        day = local.date()
        if not cal.is_working_day(day):
            day = cal.next_working_day(day)
            local = datetime.combine(day, time.min, tzinfo=LONDON)
        due_day = cal.add_working_days(day, self.working_days)
        return datetime.combine(due_day, local.timetz().replace(tzinfo=None), tzinfo=LONDON)

    def rag(self, started_at: datetime, due_at: datetime, now: datetime) -> Rag:
        if now > due_at:
            return Rag.RED
        allowed = (due_at - started_at).total_seconds()
        left = (due_at - now).total_seconds()
        if allowed > 0 and left / allowed < self.amber_fraction:
            return Rag.AMBER
        return Rag.GREEN


CONTACT_DECISION = ClockRule(
    code="contact_decision",
    title="Decision on a contact",
    working_days=1,
    statutory=True,
)

# A manager's authorisation is part of the decision: no decision is final until it is
# authorised, so an authorisation is overdue once the contact's decision is (the same one
# working day from receipt), however recently the practitioner proposed it.
DECISION_AUTHORISATION = ClockRule(
    code="decision_authorisation",
    title="Manager's authorisation of the decisions on a contact",
    working_days=1,
    statutory=True,
)

# A partner's answer to a MASH information request: by default one working day.
INFORMATION_REQUEST = ClockRule(
    code="information_request",
    title="Partner's answer to an information request",
    working_days=1,
    statutory=False,
)

# The LADO's initial consideration of an allegation against an adult: 1 working day.
LADO_INITIAL_CONSIDERATION = ClockRule(
    code="lado_initial_consideration",
    title="LADO's initial consideration of an allegation",
    working_days=1,
    statutory=False,
)

RULES = {
    rule.code: rule
    for rule in (
        CONTACT_DECISION,
        DECISION_AUTHORISATION,
        INFORMATION_REQUEST,
        LADO_INITIAL_CONSIDERATION,
    )
}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months on; the month's last day when it is shorter
    (31 August + 6 months is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


@dataclass(frozen=True)
class DayClockRule:
    """A limit on a dated casework step, in working days or calendar months from the day
    the clock starts (the referral, the strategy discussion, the conference...).

    ``days_left`` counts working days (negative once overdue) so every tray speaks the same
    unit whatever the rule is measured in.
    """

    code: str
    title: str
    statutory: bool
    working_days: int = 0
    months: int = 0
    # Amber once this many working days or fewer are left.
    amber_days: int = 5

    def due_on(self, start: date, calendar: WorkingDayCalendar | None = None) -> date:
        if self.months:
            return add_months(start, self.months)
        cal = calendar or council_calendar()
        return cal.add_working_days(start, self.working_days)

    def rag_on(self, due: date, today: date, calendar: WorkingDayCalendar | None = None) -> Rag:
        left = working_days_left(due, today, calendar)
        if left < 0:
            return Rag.RED
        return Rag.AMBER if left <= self.amber_days else Rag.GREEN


def working_days_left(due: date, today: date, calendar: WorkingDayCalendar | None = None) -> int:
    """Working days from today to the due day: 0 on the day, negative once it has passed."""
    cal = calendar or council_calendar()
    return cal.working_days_between(today, due)


# Casework (reference.md §3; Working Together 2023). Statutory unless marked local.
STRATEGY_DISCUSSION = DayClockRule(
    code="strategy_discussion",
    title="Strategy discussion (the same working day as the decision: a local standard)",
    statutory=False,
    working_days=0,
    amber_days=0,
)
ASSESSMENT = DayClockRule(
    code="assessment",
    title="Child and family assessment authorised (45 working days from the referral)",
    statutory=True,
    working_days=45,
    amber_days=10,
)
INITIAL_CONFERENCE = DayClockRule(
    code="initial_conference",
    title="Initial child protection conference (15 working days from the strategy discussion)",
    statutory=True,
    working_days=15,
    amber_days=5,
)
FIRST_CORE_GROUP = DayClockRule(
    code="first_core_group",
    title="First core group (10 working days from the initial conference)",
    statutory=True,
    working_days=10,
    amber_days=3,
)
FIRST_REVIEW_CONFERENCE = DayClockRule(
    code="first_review_conference",
    title="First review conference (3 months from the initial conference)",
    statutory=True,
    months=3,
    amber_days=10,
)
REVIEW_CONFERENCE = DayClockRule(
    code="review_conference",
    title="Review conference (at most 6 months after the last)",
    statutory=True,
    months=6,
    amber_days=10,
)
CP_VISIT = DayClockRule(
    code="cp_visit",
    title="Visit to a child on a protection plan (every 10 working days: a local standard)",
    statutory=False,
    working_days=10,
    amber_days=2,
)
CIN_PLAN_REVIEW = DayClockRule(
    code="cin_plan_review",
    title="Child-in-need plan review (every 3 months: a local standard)",
    statutory=False,
    months=3,
    amber_days=10,
)
CIN_VISIT = DayClockRule(
    code="cin_visit",
    title="Visit to a child on a child-in-need plan (every 20 working days: a local standard)",
    statutory=False,
    working_days=20,
    amber_days=4,
)

CASEWORK_RULES = {
    rule.code: rule
    for rule in (
        STRATEGY_DISCUSSION,
        ASSESSMENT,
        INITIAL_CONFERENCE,
        FIRST_CORE_GROUP,
        FIRST_REVIEW_CONFERENCE,
        REVIEW_CONFERENCE,
        CP_VISIT,
        CIN_PLAN_REVIEW,
        CIN_VISIT,
    )
}

# Working hours run from 09:00 to 17:00 (London time) on working days.
WORKING_DAY_STARTS = time(9, 0)
WORKING_DAY_ENDS = time(17, 0)


@dataclass(frozen=True)
class WorkingHoursRule:
    """A limit in working hours, for the MASH's red urgency ("4 working hours").

    A clock started outside working hours starts at 09:00 on the next working day; the
    hours count only between 09:00 and 17:00 on working days.
    """

    code: str
    title: str
    working_hours: int
    statutory: bool
    amber_fraction: float = 0.25

    def due_at(self, started_at: datetime, calendar: WorkingDayCalendar | None = None) -> datetime:
        cal = calendar or council_calendar()
        local = started_at.astimezone(LONDON)
        day, at = local.date(), local.time().replace(tzinfo=None)
        if not cal.is_working_day(day):
            day, at = cal.next_working_day(day), WORKING_DAY_STARTS
        elif at >= WORKING_DAY_ENDS:
            day, at = cal.add_working_days(day, 1), WORKING_DAY_STARTS
        elif at < WORKING_DAY_STARTS:
            at = WORKING_DAY_STARTS
        left = timedelta(hours=self.working_hours)
        while True:
            start = datetime.combine(day, at, tzinfo=LONDON)
            room = datetime.combine(day, WORKING_DAY_ENDS, tzinfo=LONDON) - start
            if left <= room:
                return start + left
            left -= room
            day, at = cal.add_working_days(day, 1), WORKING_DAY_STARTS

    def rag(self, started_at: datetime, due_at: datetime, now: datetime) -> Rag:
        # As ``ClockRule.rag``: red once overdue, amber in the last share of the time.
        if now > due_at:
            return Rag.RED
        allowed = (due_at - started_at).total_seconds()
        left = (due_at - now).total_seconds()
        if allowed > 0 and left / allowed < self.amber_fraction:
            return Rag.AMBER
        return Rag.GREEN


def urgency_rule(*, urgency: str, amount: int, unit: str) -> ClockRule | WorkingHoursRule:
    """The clock for a contact's red/amber/green urgency, from the council's standard
    (``unit`` is "hours" for working hours or "days" for working days)."""
    code, title = f"urgency_{urgency}", f"Response to a {urgency} contact"
    if unit == "hours":
        return WorkingHoursRule(code=code, title=title, working_hours=amount, statutory=False)
    return ClockRule(code=code, title=title, working_days=amount, statutory=False)


def describe_time_left(due_at: datetime, now: datetime) -> str:
    """'3 hours 5 minutes left' or 'Overdue by 2 days 1 hour', for trays."""
    delta = due_at - now
    overdue = delta < timedelta(0)
    seconds = int(abs(delta).total_seconds())
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    if seconds < 60:
        return "Overdue by less than a minute" if overdue else "Less than a minute left"
    parts: list[str] = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days and minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    text = " ".join(parts[:2])
    return f"Overdue by {text}" if overdue else f"{text} left"
