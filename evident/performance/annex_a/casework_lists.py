"""Annex A Lists 3-7 (reference.md §1.1-1.4): referrals, assessments, section 47 enquiries,
children in need and child protection, read from the casework records.

Each list is one main query streamed in chunks, plus one query per kind of side record the
derived columns need (earlier referrals, visits, plans...), each narrowed to the children
or episodes on the list and grouped in memory by child or episode. No query per row. The
rules themselves are casework's (``evident.casework.rules``) or the plain functions in
``derived``; this module only gathers their inputs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Case, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, When

from evident.casework import rules
from evident.casework.models import (
    Allocation,
    Assessment,
    ChildProtectionPlan,
    CINPlan,
    Conference,
    EmergencyProtection,
    Episode,
    Section47,
    Visit,
)
from evident.core.codes import (
    CATEGORY_OF_ABUSE_ANNEX_A,
    PRIMARY_NEED_ANNEX_A,
    REASON_FOR_CLOSURE_ANNEX_A,
    REFERRAL_SOURCE_ANNEX_A,
    CaseStatus,
    Disability,
)
from evident.people.models import PersonDisability
from evident.performance.annex_a.base import AnnexAList, Column, Kind, Row, field, register_list
from evident.performance.annex_a.columns import (
    ALLOCATION_COLUMNS,
    ALLOCATION_VALUES,
    CHILD_COLUMNS,
    DISABILITY_COLUMN,
    PERSON_VALUES,
    yes_no_column,
)
from evident.performance.annex_a.derived import (
    dates_by_key,
    earlier_within_12_months,
    on_or_before,
    within_12_months_to,
)
from evident.performance.annex_a.lists import reporting_window
from evident.performance.periods import same_day_months_before, start_of_day

CHUNK = 10_000
CASE_STATUS_ANNEX_A = {status.value: status.label for status in CaseStatus}


def _child_values(prefix: str, as_of: date) -> dict[str, Any]:
    """The common columns' keys, the disability answers and the allocation on the as-of
    date, for a query over a model whose episode is reached through ``prefix`` ("" for
    Episode itself)."""
    person = f"{prefix}person"
    values: dict[str, Any] = {key: F(f"{prefix}{path}") for key, path in PERSON_VALUES.items()}
    values.update(_allocation_on(prefix, as_of))
    values["child_pk"] = F(f"{person}_id")
    values["has_disability"] = Exists(
        PersonDisability.objects.filter(person=OuterRef(f"{person}_id")).exclude(
            code=Disability.NONE
        )
    )
    values["disability_recorded"] = Exists(
        PersonDisability.objects.filter(person=OuterRef(f"{person}_id"))
    )
    return values


def _allocation_on(prefix: str, as_of: date) -> dict[str, Any]:
    """Team and worker as they were at the end of the as-of day (an Annex A made for an
    earlier date names who held the case then, not who holds it now); the episode's
    current allocation when its history holds no row for that moment."""
    cutoff = start_of_day(as_of + timedelta(days=1))
    held = (
        Allocation.objects.filter(episode=OuterRef(f"{prefix}pk"), started_at__lt=cutoff)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=cutoff))
        .order_by("-started_at", "-pk")
    )
    return {
        key: Case(
            When(Exists(held), then=Subquery(held.values(path)[:1])),
            default=F(f"{prefix}{path}"),
        )
        for key, path in ALLOCATION_VALUES.items()
    }


@dataclass(slots=True)
class _Visit:
    """The fields of a visit casework's rules read (rules._Visit)."""

    purpose: str
    visited_on: date
    child_seen: bool
    seen_alone: bool


@dataclass(slots=True)
class _Period:
    start_date: date
    end_date: date | None


def _visits_by_episode(visits: QuerySet[Visit]) -> dict[Any, list[_Visit]]:
    grouped: dict[Any, list[_Visit]] = defaultdict(list)
    for episode_id, purpose, visited_on, child_seen, seen_alone in visits.values_list(
        "episode_id", "purpose", "visited_on", "child_seen", "seen_alone"
    ).iterator(chunk_size=CHUNK):
        grouped[episode_id].append(_Visit(purpose, visited_on, child_seen, seen_alone))
    return grouped


def _stream(rows: QuerySet[Any]) -> Iterator[dict[str, Any]]:
    return rows.iterator(chunk_size=CHUNK)


# List 3 - Referrals -----------------------------------------------------------------------


def list_3_rows(as_of: date) -> Iterator[Row]:
    """Every referral (episode) received in the window, by date then child ID; a child
    appears once per referral."""
    first, last = reporting_window(as_of)
    referrals = Episode.objects.filter(referral_date__gte=first, referral_date__lte=last)
    # Each child's referral dates over the window and the 12 months before it.
    earlier = dates_by_key(
        Episode.objects.filter(
            person__in=referrals.values("person_id"),
            referral_date__gte=same_day_months_before(first, 12),
            referral_date__lte=last,
        ).values_list("person_id", "referral_date")
    )
    for row in _stream(
        referrals.order_by("referral_date", "person__council_id", "created_at", "pk").values(
            "referral_date",
            "referral_source",
            "referral_nfa",
            "closed_on",
            **_child_values("", as_of),
        )
    ):
        # NFA is recorded at closure (RC8): not yet known while the episode is open.
        row["nfa"] = bool(row["referral_nfa"]) and on_or_before(row["closed_on"], as_of)
        row["referrals_12_months"] = earlier_within_12_months(
            earlier.get(row["child_pk"], []), row["referral_date"]
        )
        yield row


LIST_3 = register_list(
    AnnexAList(
        number=3,
        sheet="List 3",
        title="Referrals",
        population=(
            "One row for each referral received in the six months before the as-of date "
            "(same window as List 1); a child referred twice appears twice. Referrals in the "
            "last 12 months counts the child's earlier referrals in the 12 months before this "
            "one, not this one."
        ),
        columns=(
            *CHILD_COLUMNS,
            Column("Date of Referral", Kind.DATE, field("referral_date"), width=14),
            Column(
                "Referral Source",
                Kind.CODE,
                field("referral_source"),
                labels=REFERRAL_SOURCE_ANNEX_A,
                width=26,
            ),
            yes_no_column("Referral NFA?", "nfa"),
            Column(
                "Number of Referrals in Last 12 Months",
                Kind.INTEGER,
                field("referrals_12_months"),
                width=12,
            ),
            *ALLOCATION_COLUMNS,
        ),
        rows=list_3_rows,
    )
)


# List 4 - Assessments ---------------------------------------------------------------------

# Assessment.requires_support depends on the outcome alone: worked out once per outcome.
_REQUIRES_SUPPORT = {
    outcome: Assessment(outcome=outcome).requires_support for outcome in Assessment.Outcome.values
}


def list_4_rows(as_of: date) -> Iterator[Row]:
    """Every assessment under way at some time in the window: started by the as-of date
    and not authorised before the window began (so started in the window, authorised in
    it, or still open), by start date then child ID."""
    first, last = reporting_window(as_of)
    assessments = Assessment.objects.filter(start_date__lte=last).filter(
        Q(authorised_on__isnull=True) | Q(authorised_on__gte=first)
    )
    visits = _visits_by_episode(
        Visit.objects.filter(
            episode__in=assessments.values("episode_id"),
            purpose=Visit.Purpose.ASSESSMENT,
            child_seen=True,
            visited_on__lte=last,
        )
    )
    for row in _stream(
        assessments.order_by("start_date", "episode__person__council_id", "pk").values(
            "episode_id",
            "start_date",
            "authorised_on",
            "outcome",
            **_child_values("episode__", as_of),
        )
    ):
        authorised = row["authorised_on"] if on_or_before(row["authorised_on"], as_of) else None
        row["authorised"] = authorised
        row["seen"] = rules.child_seen_during_assessment(
            visits.get(row["episode_id"], []), start=row["start_date"], end=authorised, as_of=as_of
        )
        # The outcome counts once a manager has authorised it.
        row["requires_support"] = _REQUIRES_SUPPORT.get(row["outcome"]) if authorised else None
        yield row


LIST_4 = register_list(
    AnnexAList(
        number=4,
        sheet="List 4",
        title="Assessments",
        population=(
            "One row for each child and family assessment under way at some time in the six "
            "months before the as-of date: started by the as-of date and not authorised "
            "before the window began (started in it, finished in it, or still open)."
        ),
        columns=(
            *CHILD_COLUMNS,
            DISABILITY_COLUMN,
            Column("Continuous Assessment Start Date", Kind.DATE, field("start_date"), width=14),
            yes_no_column("Child Seen During Continuous Assessment", "seen"),
            Column(
                "Continuous Assessment Date of Authorisation",
                Kind.DATE,
                field("authorised"),
                blank_ok=True,
                width=14,
            ),
            yes_no_column(
                "Was the child assessed as requiring LA children's social care support?",
                "requires_support",
                blank_ok=True,
            ),
            *ALLOCATION_COLUMNS,
        ),
        rows=list_4_rows,
    )
)


# List 5 - Section 47 enquiries and ICPCs --------------------------------------------------


def list_5_rows(as_of: date) -> Iterator[Row]:
    """Every section 47 enquiry started in the window, plus every one still open on the
    as-of date, by start date then child ID."""
    first, last = reporting_window(as_of)
    enquiries = Section47.objects.filter(start_date__lte=last).filter(
        Q(start_date__gte=first) | Q(completed_on__isnull=True) | Q(completed_on__gt=last)
    )
    children = enquiries.values("episode__person_id")
    since = same_day_months_before(first, 12)
    earlier_enquiries = dates_by_key(
        Section47.objects.filter(
            episode__person__in=children, start_date__gte=since, start_date__lte=last
        ).values_list("episode__person_id", "start_date")
    )
    conferences = dates_by_key(
        Conference.objects.filter(
            episode__person__in=children,
            kind=Conference.Kind.INITIAL,
            held_on__gte=since,
            held_on__lte=last,
        ).values_list("episode__person_id", "held_on")
    )
    for row in _stream(
        enquiries.order_by("start_date", "episode__person__council_id", "pk").values(
            "start_date",
            "completed_on",
            "conference_not_required",
            strategy_date=F("strategy_discussion__held_on"),
            conference_held_on=F("conference__held_on"),
            conference_plan_made=F("conference__plan_made"),
            **_child_values("episode__", as_of),
        )
    ):
        held = on_or_before(row["conference_held_on"], as_of)
        row["icpc_date"] = row["conference_held_on"] if held else None
        row["icpc_plan"] = row["conference_plan_made"] if held else None
        # Answered with the enquiry's outcome; blank while the enquiry is open.
        row["icpc_unnecessary"] = (
            row["conference_not_required"] if on_or_before(row["completed_on"], as_of) else None
        )
        person = row["child_pk"]
        row["enquiries_12_months"] = earlier_within_12_months(
            earlier_enquiries.get(person, []), row["start_date"]
        )
        # Initial conferences up to this enquiry's own (its start while none is held yet).
        row["icpcs_12_months"] = within_12_months_to(
            conferences.get(person, []), row["icpc_date"] or row["start_date"]
        )
        yield row


LIST_5 = register_list(
    AnnexAList(
        number=5,
        sheet="List 5",
        title="Section 47 enquiries and ICPCs",
        population=(
            "One row for each section 47 enquiry started in the six months before the as-of "
            "date, plus every enquiry still open on the as-of date. Enquiries in the last 12 "
            "months counts the child's earlier enquiries in the 12 months before this one; "
            "ICPCs counts the child's initial conferences in the 12 months up to this "
            "enquiry's conference (or its start, while none is held)."
        ),
        columns=(
            *CHILD_COLUMNS,
            DISABILITY_COLUMN,
            Column(
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                Kind.DATE,
                field("strategy_date"),
                width=14,
            ),
            yes_no_column(
                "Was an Initial Child Protection Conference deemed unnecessary?",
                "icpc_unnecessary",
                blank_ok=True,
            ),
            Column(
                "Date of Initial Child Protection Conference",
                Kind.DATE,
                field("icpc_date"),
                blank_ok=True,
                width=14,
            ),
            yes_no_column(
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                "icpc_plan",
                blank_ok=True,
            ),
            Column(
                "Number of Section 47 Enquiries in the last 12 months",
                Kind.INTEGER,
                field("enquiries_12_months"),
                width=12,
            ),
            Column(
                "Number of ICPCs in the last 12 months",
                Kind.INTEGER,
                field("icpcs_12_months"),
                width=12,
            ),
            *ALLOCATION_COLUMNS,
        ),
        rows=list_5_rows,
    )
)


# List 6 - Children in need ----------------------------------------------------------------


def _open_on(model: Any, as_of: date) -> Exists:
    """A plan of the outer episode that has started and not ended on the as-of date."""
    return Exists(
        model.objects.filter(episode=OuterRef("pk"), start_date__lte=as_of).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=as_of)
        )
    )


def list_6_rows(as_of: date) -> Iterator[Row]:
    """Every episode open at some time in the window (referred by the as-of date, not
    closed before the window began) in which an assessment had started: a child who was
    only referred is left out. By CIN start date then child ID."""
    first, last = reporting_window(as_of)
    episodes = (
        Episode.objects.filter(referral_date__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .filter(Exists(Assessment.objects.filter(episode=OuterRef("pk"), start_date__lte=last)))
    )
    visits = _visits_by_episode(
        Visit.objects.filter(
            episode__in=episodes.values("pk"), child_seen=True, visited_on__lte=last
        )
    )
    for row in _stream(
        episodes.annotate(on_cp_plan=_open_on(ChildProtectionPlan, as_of))
        .annotate(on_cin_plan=_open_on(CINPlan, as_of))
        .order_by("referral_date", "person__council_id", "created_at", "pk")
        .values(
            "pk",
            "referral_date",
            "primary_need",
            "closed_on",
            "closure_reason",
            "on_cp_plan",
            "on_cin_plan",
            **_child_values("", as_of),
        )
    ):
        closed = on_or_before(row["closed_on"], as_of)
        row["closure_date"] = row["closed_on"] if closed else None
        row["reason"] = row["closure_reason"] if closed else None
        row["last_seen"] = rules.date_last_seen(visits.get(row["pk"], []), as_of=as_of)
        row["status"] = rules.case_status(
            closed=closed,
            # Children in care come with a later app: nobody is recorded as looked after.
            looked_after=False,
            on_cp_plan=row["on_cp_plan"],
            on_cin_plan=row["on_cin_plan"],
        ).value
        yield row


LIST_6 = register_list(
    AnnexAList(
        number=6,
        sheet="List 6",
        title="Children in need",
        population=(
            "One row for each child-in-need episode open at some time in the six months before "
            "the as-of date (referred by then and not closed before the window began) in which "
            "an assessment had started; children who were only referred are left out. Case "
            "status is on the as-of date: closed, else protection plan, else child-in-need "
            "plan, else open assessment."
        ),
        columns=(
            *CHILD_COLUMNS,
            DISABILITY_COLUMN,
            Column("CIN Start Date", Kind.DATE, field("referral_date"), width=14),
            Column(
                "Primary Need Code",
                Kind.CODE,
                field("primary_need"),
                labels=PRIMARY_NEED_ANNEX_A,
                width=26,
            ),
            Column(
                "Date Child Was Last Seen", Kind.DATE, field("last_seen"), blank_ok=True, width=14
            ),
            Column("CIN Closure Date", Kind.DATE, field("closure_date"), blank_ok=True, width=14),
            Column(
                "Reason for Closure",
                Kind.CODE,
                field("reason"),
                labels=REASON_FOR_CLOSURE_ANNEX_A,
                blank_ok=True,
                width=30,
            ),
            Column("Case Status", Kind.CODE, field("status"), labels=CASE_STATUS_ANNEX_A, width=22),
            *ALLOCATION_COLUMNS,
        ),
        rows=list_6_rows,
    )
)


# List 7 - Child protection ----------------------------------------------------------------


def list_7_rows(as_of: date) -> Iterator[Row]:
    """Every protection plan open on the as-of date, plus every one that ended in the
    window, by plan start date then child ID."""
    first, last = reporting_window(as_of)
    plans = ChildProtectionPlan.objects.filter(start_date__lte=last).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first)
    )
    children = plans.values("episode__person_id")
    starts = dates_by_key(
        ChildProtectionPlan.objects.filter(
            episode__person__in=children, start_date__lte=last
        ).values_list("episode__person_id", "start_date")
    )
    visits = _visits_by_episode(
        Visit.objects.filter(
            episode__in=plans.values("episode_id"),
            purpose=Visit.Purpose.CP_PLAN,
            visited_on__lte=last,
        )
    )
    protections: dict[Any, list[_Period]] = defaultdict(list)
    for person, start, end in EmergencyProtection.objects.filter(
        episode__person__in=children, start_date__lte=last
    ).values_list("episode__person_id", "start_date", "end_date"):
        protections[person].append(_Period(start, end))
    latest_review = Subquery(
        Conference.objects.filter(
            plan=OuterRef("pk"), kind=Conference.Kind.REVIEW, held_on__lte=last
        )
        .values("plan")
        .annotate(latest=Max("held_on"))
        .values("latest")[:1]
    )
    for row in _stream(
        plans.annotate(latest_review=latest_review)
        .order_by("start_date", "episode__person__council_id", "pk")
        .values(
            "episode_id",
            "start_date",
            "end_date",
            "initial_category",
            "latest_category",
            "latest_review",
            **_child_values("episode__", as_of),
        )
    ):
        ended = on_or_before(row["end_date"], as_of)
        row["ended_on"] = row["end_date"] if ended else None
        visit = rules.last_statutory_visit(
            visits.get(row["episode_id"], []),
            plan_start=row["start_date"],
            plan_end=row["ended_on"],
            as_of=as_of,
        )
        row["last_visit"] = visit.visited_on if visit else None
        row["seen_alone"] = visit.seen_alone if visit else None
        person = row["child_pk"]
        row["emergency_protection"] = rules.emergency_protection_within(
            protections.get(person, []), as_of=as_of
        )
        row["previous_plans"] = rules.previous_plan_count(starts.get(person, []), row["start_date"])
        yield row


LIST_7 = register_list(
    AnnexAList(
        number=7,
        sheet="List 7",
        title="Child protection",
        population=(
            "One row for each child protection plan open on the as-of date, plus every plan "
            "that ended in the six months before it. Previous plans counts the child's plans "
            "that started before this one, on any episode."
        ),
        columns=(
            *CHILD_COLUMNS,
            DISABILITY_COLUMN,
            Column("Child Protection Plan Start Date", Kind.DATE, field("start_date"), width=14),
            Column(
                "Initial Category of Abuse",
                Kind.CODE,
                field("initial_category"),
                labels=CATEGORY_OF_ABUSE_ANNEX_A,
                width=22,
            ),
            Column(
                "Latest Category of Abuse",
                Kind.CODE,
                field("latest_category"),
                labels=CATEGORY_OF_ABUSE_ANNEX_A,
                width=22,
            ),
            Column(
                "Date of the Last Statutory Visit",
                Kind.DATE,
                field("last_visit"),
                blank_ok=True,
                width=14,
            ),
            yes_no_column("Was the Child Seen Alone?", "seen_alone", blank_ok=True),
            Column(
                "Date of latest review conference",
                Kind.DATE,
                field("latest_review"),
                blank_ok=True,
                width=14,
            ),
            Column(
                "Child Protection Plan End Date",
                Kind.DATE,
                field("ended_on"),
                blank_ok=True,
                width=14,
            ),
            yes_no_column(
                "Subject to Emergency Protection Order or Protected Under Police Powers in "
                "Last Six Months (Y/N)",
                "emergency_protection",
            ),
            Column(
                "Number of Previous Child Protection Plans",
                Kind.INTEGER,
                field("previous_plans"),
                width=12,
            ),
            *ALLOCATION_COLUMNS,
        ),
        rows=list_7_rows,
    )
)


__all__ = ["LIST_3", "LIST_4", "LIST_5", "LIST_6", "LIST_7"]
