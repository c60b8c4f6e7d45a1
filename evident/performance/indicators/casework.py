"""Casework indicators (issue 4 item 10): timeliness of assessments, conferences and visits,
re-referrals, repeat and long protection plans, the child's voice (seen alone), partners at
strategy discussions and managers' authorisation.

Casework steps are dated, not timed: a step "started" at 00:00 on its day, was "done" at
00:00 on the day it was done, and was due by the end of its due day (23:59:59), so a step
done on its due day is on time and one due today is still pending until tomorrow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from evident.casework import rules
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
from evident.core.clocks import LONDON
from evident.core.working_days import council_calendar
from evident.performance.indicators.base import Indicator, Status, Unit, timed_status
from evident.performance.indicators.registry import register
from evident.performance.periods import local_date, start_of_day

_PERSON = (
    "episode__person_id",
    "episode__person__council_id",
    "episode__person__date_of_birth",
    "episode__person__expected_date_of_birth",
)
YES_NO = ((Status.MET, "Yes"), (Status.NOT_MET, "No"), (Status.PENDING, "Not counted"))


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def _days(start: datetime, end: datetime) -> tuple[date, date]:
    """The local days [first, last) of a period given as local midnights."""
    return local_date(start), local_date(end)


def _unit(
    person: tuple[Any, ...],
    *,
    status: Status,
    started: date,
    due: date | None = None,
    done: date | None = None,
    month: date | None = None,
) -> Unit:
    started_at = start_of_day(started)
    return Unit(
        month=month or started.replace(day=1),
        status=status,
        person_id=person[0],
        child_id=str(person[1]),
        date_of_birth=person[2],
        expected_date_of_birth=person[3],
        started_at=started_at,
        due_at=end_of_day(due) if due is not None else started_at,
        completed_at=start_of_day(done) if done is not None else None,
    )


def _timed(
    person: tuple[Any, ...], *, started: date, due: date, done: date | None, now: datetime
) -> Unit:
    completed_at = start_of_day(done) if done is not None else None
    status = timed_status(completed_at=completed_at, due_at=end_of_day(due), now=now)
    return _unit(person, status=status, started=started, due=due, done=done)


# Assessments within 45 working days -------------------------------------------------------


def assessment_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """One unit per assessment, in the month of the referral that started its clock: on
    time when authorised by its due day (45 working days after the referral)."""
    first, last = _days(start, end)
    rows = (
        Assessment.objects.filter(
            episode__referral_date__gte=first, episode__referral_date__lt=last
        )
        .order_by()
        .values_list(*_PERSON, "episode__referral_date", "due_date", "authorised_on")
    )
    for *person, referral, due, authorised in rows:
        yield _timed(tuple(person), started=referral, due=due, done=authorised, now=now)


ASSESSMENTS_ON_TIME = register(
    Indicator(
        code="assessments-within-45-working-days",
        title="Assessments authorised within 45 working days",
        definition=(
            "Of the child and family assessments of referrals received in the month, the share "
            "authorised by a manager within 45 working days of the referral (Working Together). "
            "An assessment still open whose 45 working days have not run out is not counted "
            "until it is authorised or its time runs out."
        ),
        numerator="Assessments authorised on or before the 45th working day after the referral",
        denominator="Assessments authorised, or open past their 45th working day",
        higher_is_better=True,
        units=assessment_units,
        unit_noun="assessment",
        started_label="Referral",
        due_label="Due (45 working days)",
        completed_label="Authorised",
        pending_phrase="open and still within 45 working days",
    )
)


# Initial conferences within 15 working days ------------------------------------------------


def conference_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """One unit per section 47 enquiry needing an initial conference (its outcome says so,
    or one was held), in the month of the strategy discussion that started it. Enquiries
    whose outcome is not yet known are not counted: they may not need a conference."""
    first, last = _days(start, end)
    held = dict(
        Conference.objects.filter(
            kind=Conference.Kind.INITIAL,
            section47__start_date__gte=first,
            section47__start_date__lt=last,
        )
        .order_by()
        .values_list("section47_id", "held_on")
    )
    rows = (
        Section47.objects.filter(
            strategy_discussion__held_on__gte=first,
            strategy_discussion__held_on__lt=last,
            conference_not_required=False,
        )
        .order_by()
        .values_list(*_PERSON, "pk", "outcome", "strategy_discussion__held_on", "conference_due")
    )
    for *person, pk, outcome, discussed, due in rows:
        if pk not in held and outcome != Section47.Outcome.CONFERENCE:
            continue
        yield _timed(tuple(person), started=discussed, due=due, done=held.get(pk), now=now)


CONFERENCES_ON_TIME = register(
    Indicator(
        code="initial-conferences-within-15-working-days",
        title="Initial child protection conferences within 15 working days",
        definition=(
            "Of the section 47 enquiries started in the month that needed an initial child "
            "protection conference, the share whose conference was held within 15 working "
            "days of the strategy discussion that started the enquiry (Working Together)."
        ),
        numerator="Initial conferences held on or before the 15th working day",
        denominator="Enquiries needing a conference: held, or past their 15th working day",
        higher_is_better=True,
        units=conference_units,
        unit_noun="enquiry",
        started_label="Strategy discussion",
        due_label="Conference due",
        completed_label="Conference held",
        pending_phrase="waiting for a conference and still within 15 working days",
    )
)


# Re-referrals within 12 months ---------------------------------------------------------------


def re_referral_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """One unit per referral received in the month: a re-referral when the child's
    previous referral was within the 12 months before it (the DfE's definition)."""
    first, last = _days(start, end)
    rows = list(
        Episode.objects.filter(referral_date__gte=first, referral_date__lt=last)
        .order_by()
        .values_list(
            "person_id",
            "person__council_id",
            "person__date_of_birth",
            "person__expected_date_of_birth",
            "referral_date",
        )
    )
    earlier: dict[Any, list[date]] = defaultdict(list)
    for person_id, day in (
        Episode.objects.filter(person_id__in={r[0] for r in rows}, referral_date__lt=last)
        .order_by()
        .values_list("person_id", "referral_date")
    ):
        earlier[person_id].append(day)
    for *person, referral in rows:
        again = rules.is_re_referral(earlier[person[0]], referral)
        yield _unit(tuple(person), status=Status.MET if again else Status.NOT_MET, started=referral)


RE_REFERRALS = register(
    Indicator(
        code="re-referrals-12-months",
        title="Re-referrals within 12 months",
        definition=(
            "Of the referrals received in the month, the share about a child whose previous "
            "referral was within the 12 months before (the DfE's children in need measure)."
        ),
        numerator="Referrals within 12 months of the child's previous referral",
        denominator="Referrals received in the month",
        higher_is_better=False,
        units=re_referral_units,
        unit_noun="referral",
        started_label="Referral",
        status_heading="Re-referral",
        met_phrase="re-referrals",
        status_labels=YES_NO,
        timed=False,
    )
)


# Second or subsequent protection plans ------------------------------------------------------


def second_plan_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    first, last = _days(start, end)
    rows = (
        ChildProtectionPlan.objects.filter(start_date__gte=first, start_date__lt=last)
        .order_by()
        .values_list(*_PERSON, "start_date", "previous_plans")
    )
    for *person, started, previous in rows:
        status = Status.MET if previous > 0 else Status.NOT_MET
        yield _unit(tuple(person), status=status, started=started)


SECOND_PLANS = register(
    Indicator(
        code="cp-plans-second-or-subsequent",
        title="Child protection plans that are a second or subsequent plan",
        definition=(
            "Of the child protection plans that started in the month, the share for a child "
            "who had been on a plan before (census NumberOfPreviousCPP above 0)."
        ),
        numerator="Plans started for a child with a previous plan",
        denominator="Plans started in the month",
        higher_is_better=False,
        units=second_plan_units,
        unit_noun="plan",
        started_label="Plan started",
        status_heading="Second or later",
        met_phrase="second or later plans",
        status_labels=YES_NO,
        timed=False,
    )
)


# Plans open 2 years or more -------------------------------------------------------------------


def two_year_plan_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """For each month, every plan open on its last day (today for the month so far): met
    when it had lasted 2 years or more that day. The DfE counts the same at 31 March."""
    first, last = _days(start, end)
    today = local_date(now)
    months: list[tuple[date, date]] = []
    month = first.replace(day=1)
    while month < last:
        following = (month + timedelta(days=32)).replace(day=1)
        snapshot = min(following - timedelta(days=1), today)
        if snapshot >= month:
            months.append((month, snapshot))
        month = following
    if not months:
        return
    rows = list(
        ChildProtectionPlan.objects.filter(start_date__lte=months[-1][1])
        .exclude(end_date__lt=months[0][1])
        .order_by()
        .values_list(*_PERSON, "start_date", "end_date")
    )
    for month, snapshot in months:
        for *person, started, ended in rows:
            if started > snapshot or (ended is not None and ended <= snapshot):
                continue
            two_years = clocks.add_months(started, 24)
            status = Status.MET if two_years <= snapshot else Status.NOT_MET
            yield _unit(tuple(person), status=status, started=started, due=two_years, month=month)


PLANS_OPEN_2_YEARS = register(
    Indicator(
        code="cp-plans-open-2-years",
        title="Child protection plans open for 2 years or more",
        definition=(
            "Of the child protection plans open on the last day of the month (today, for the "
            "month so far), the share that had lasted 2 years or more by then."
        ),
        numerator="Open plans that started 2 years or more before the day",
        denominator="Plans open on the last day of the month",
        higher_is_better=False,
        units=two_year_plan_units,
        unit_noun="plan",
        started_label="Plan started",
        status_heading="2 years or more",
        met_phrase="open 2 years or more",
        status_labels=YES_NO,
        timed=False,
    )
)


# Statutory visits on time ------------------------------------------------------------------


def visit_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """Each visit a child on a protection plan was due (10 working days after the plan
    started or the last visit), in the month its clock started: on time when the next
    visit came by then; late when it came after, or has still not come once overdue."""
    first, last = _days(start, end)
    calendar = council_calendar()
    today = local_date(now)
    plans = list(
        ChildProtectionPlan.objects.filter(start_date__lt=last)
        .exclude(end_date__lt=first)
        .order_by()
        .values_list(*_PERSON, "pk", "episode_id", "start_date", "end_date")
    )
    visits: dict[Any, list[date]] = defaultdict(list)
    for episode_id, visited in (
        Visit.objects.filter(purpose=Visit.Purpose.CP_PLAN, episode_id__in={p[5] for p in plans})
        .order_by("visited_on")
        .values_list("episode_id", "visited_on")
    ):
        visits[episode_id].append(visited)
    for *person, _pk, episode_id, started, ended in plans:
        stop = min(ended or today, today)
        within = [d for d in visits[episode_id] if started <= d <= stop]
        clock = started
        upcoming: list[date | None] = [*within, None]
        for day in upcoming:
            if clock >= last:
                break
            due = clocks.CP_VISIT.due_on(clock, calendar)
            if day is None and ended is not None and ended <= due:
                break  # the plan ended before another visit was due
            if clock >= first:
                yield _timed(tuple(person), started=clock, due=due, done=day, now=now)
            if day is None:
                break
            clock = day


VISITS_ON_TIME = register(
    Indicator(
        code="cp-visits-on-time",
        title="Statutory visits to children on protection plans on time",
        definition=(
            "Each visit due to a child on a child protection plan: on time when it happened "
            "within 10 working days of the plan starting or the last visit (the council's "
            "local standard; there is no national frequency), counted in the month the "
            "clock started."
        ),
        numerator="Visits made within 10 working days of the last",
        denominator="Visits due: made, or overdue",
        higher_is_better=True,
        units=visit_units,
        unit_noun="visit due",
        started_label="Clock started",
        due_label="Visit due",
        completed_label="Visited",
        pending_phrase="not yet visited and still within 10 working days",
    )
)


# Children seen alone --------------------------------------------------------------------------


def seen_alone_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    first, last = _days(start, end)
    rows = (
        Visit.objects.filter(visited_on__gte=first, visited_on__lt=last, child_seen=True)
        .order_by()
        .values_list(*_PERSON, "visited_on", "seen_alone")
    )
    for *person, day, alone in rows:
        yield _unit(tuple(person), status=Status.MET if alone else Status.NOT_MET, started=day)


SEEN_ALONE = register(
    Indicator(
        code="children-seen-alone",
        title="Children seen alone at visits",
        definition=(
            "Of the visits in the month at which the child was seen (assessment, enquiry and "
            "plan visits), the share at which the child was also seen alone."
        ),
        numerator="Visits at which the child was seen alone",
        denominator="Visits in the month at which the child was seen",
        higher_is_better=True,
        units=seen_alone_units,
        unit_noun="visit",
        started_label="Visited",
        status_heading="Seen alone",
        met_phrase="seen alone",
        status_labels=YES_NO,
        timed=False,
    )
)


# Police and health at strategy discussions ----------------------------------------------------


def strategy_attendance_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    first, last = _days(start, end)
    rows = (
        StrategyDiscussion.objects.filter(held_on__gte=first, held_on__lt=last)
        .order_by()
        .values_list(*_PERSON, "held_on", "police_attended", "health_attended")
    )
    for *person, day, police, health in rows:
        status = Status.MET if police and health else Status.NOT_MET
        yield _unit(tuple(person), status=status, started=day)


STRATEGY_ATTENDANCE = register(
    Indicator(
        code="strategy-discussions-police-health",
        title="Strategy discussions with police and health present",
        definition=(
            "Of the strategy discussions held in the month, the share at which both the "
            "police and health took part (Working Together expects both, with social care)."
        ),
        numerator="Discussions with the police and health present",
        denominator="Strategy discussions held in the month",
        higher_is_better=True,
        units=strategy_attendance_units,
        unit_noun="strategy discussion",
        started_label="Held",
        status_heading="Police and health",
        met_phrase="with police and health",
        status_labels=YES_NO,
        timed=False,
    )
)


# Authorised by a manager ----------------------------------------------------------------------

AUTHORISATION_WORKING_DAYS = 5  # a local standard: sign-off within a working week


def authorisation_units(start: datetime, end: datetime, now: datetime) -> Iterator[Unit]:
    """Assessments whose findings were completed in the month: met once a manager has
    authorised them; not met when still unauthorised 5 working days on; pending before."""
    first, last = _days(start, end)
    calendar = council_calendar()
    rows = (
        Assessment.objects.filter(completed_on__gte=first, completed_on__lt=last)
        .order_by()
        .values_list(*_PERSON, "completed_on", "authorised_on")
    )
    for *person, completed, authorised in rows:
        due = calendar.add_working_days(completed, AUTHORISATION_WORKING_DAYS)
        if authorised is not None:
            status = Status.MET
        else:
            status = Status.NOT_MET if local_date(now) > due else Status.PENDING
        yield _unit(tuple(person), status=status, started=completed, due=due, done=authorised)


AUTHORISED = register(
    Indicator(
        code="assessments-authorised-by-manager",
        title="Completed assessments authorised by a manager",
        definition=(
            "Of the assessments whose findings were completed in the month, the share a "
            "manager has authorised (with a rationale). One still unauthorised within 5 "
            "working days of completion is not counted yet."
        ),
        numerator="Completed assessments authorised by a manager",
        denominator="Completed assessments, less those completed in the last 5 working days "
        "and not yet authorised",
        higher_is_better=True,
        units=authorisation_units,
        unit_noun="assessment",
        started_label="Completed",
        due_label="Sign-off expected",
        completed_label="Authorised",
        status_heading="Authorised",
        met_phrase="authorised",
        status_labels=((Status.MET, "Yes"), (Status.NOT_MET, "No"), (Status.PENDING, "Waiting")),
        pending_phrase="completed in the last 5 working days and not yet authorised",
    )
)
