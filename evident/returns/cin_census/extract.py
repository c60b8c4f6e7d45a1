"""Reading the census from the casework records (a selector: read-only, no audit here;
the service that hands the result to someone records that).

Who is in it: every child with a child-in-need episode open at any time in the census
period: referred on or before the reference date and not closed before 1 April
(reference.md §4.1: referrals, assessments, s47 enquiries, plans and reviews in the year).
Each such episode is one CINdetails module, with every step of it that had begun by the
reference date and was not over before 1 April (an assessment authorised, a plan ended or an
enquiry and its conference done before the year are last year's). Anything dated after the reference date is left out, so a check run "as
of today" sees the records as they stood today and a census for a past year is not
changed by later work (a plan ended in May shows as open on 31 March).

One query per kind of record, each over the same set of episodes (no per-child queries).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from evident.casework import models as casework
from evident.core.codes import Sex
from evident.people.models import Person, PersonDisability
from evident.returns.cin_census.records import (
    Assessment,
    CensusPeriod,
    Child,
    CINPlan,
    CPPlan,
    Episode,
    Section47,
)

# GenderCurrent (to 2023-24) from the person's recorded sex: 1 male, 2 female, 0 not
# recorded or unborn. Evident does not record "indeterminate" (9).
GENDER_CURRENT: dict[str, str] = {Sex.MALE: "1", Sex.FEMALE: "2", Sex.UNKNOWN: "0"}


def census_episodes(period: CensusPeriod) -> QuerySet[casework.Episode]:
    return casework.Episode.objects.filter(referral_date__lte=period.reference_date).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    )


def _by_episode(rows: Iterator[dict[str, Any]]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    grouped: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["episode_id"]].append(row)
    return grouped


def _upto(day: date | None, reference_date: date) -> date | None:
    """A date as it stood on the reference date: blank if it had not happened yet."""
    return day if day is not None and day <= reference_date else None


def _s47_in_year(enquiry: dict[str, Any], icpc: date | None, start: date) -> bool:
    """An enquiry belongs to the year unless it was over before 1 April: its outcome was
    recorded before then and its initial conference, if it had one, was held before then."""
    completed = enquiry["completed_on"]
    if completed is None or completed >= start:
        return True
    return icpc is not None and icpc >= start


def census_children(period: CensusPeriod) -> list[Child]:
    """Every child in the census, by LAchildID, each with their episodes by referral date."""
    ref = period.reference_date
    episodes = census_episodes(period)
    ids = episodes.values("pk")

    def steps(model: Any, *fields: str, ended: str | None) -> dict[uuid.UUID, list[dict[str, Any]]]:
        """The episode's records of one kind under way at some time in the census year:
        begun by the reference date and not ended (``ended``) before 1 April."""
        rows = model.objects.filter(episode__in=ids).filter(**{f"{fields[0]}__lte": ref})
        if ended is not None:
            rows = rows.exclude(**{f"{ended}__lt": period.start})
        rows = rows.order_by(fields[0], "pk").values("episode_id", *fields)
        return _by_episode(rows.iterator(chunk_size=10_000))

    assessments = steps(
        casework.Assessment, "start_date", "authorised_on", "factors", ended="authorised_on"
    )
    cin_plans = steps(casework.CINPlan, "start_date", "end_date", ended="end_date")
    section47s = steps(
        casework.Section47,
        "start_date",
        "conference_due",
        "conference_not_required",
        "completed_on",
        "id",
        ended=None,
    )
    cp_plans = steps(
        casework.ChildProtectionPlan,
        "start_date",
        "end_date",
        "initial_category",
        "latest_category",
        "previous_plans",
        "id",
        ended="end_date",
    )
    conferences = (
        casework.Conference.objects.filter(episode__in=ids, held_on__lte=ref)
        .order_by("held_on", "pk")
        .values("kind", "held_on", "section47_id", "plan_id")
    )
    icpc_of_s47: dict[int, date] = {}
    reviews_of_plan: dict[int, list[date]] = defaultdict(list)
    for conference in conferences.iterator(chunk_size=10_000):
        if conference["kind"] == casework.Conference.Kind.INITIAL:
            icpc_of_s47[conference["section47_id"]] = conference["held_on"]
        else:
            reviews_of_plan[conference["plan_id"]].append(conference["held_on"])

    person_ids = episodes.values("person_id")
    disabilities: dict[uuid.UUID, list[str]] = defaultdict(list)
    for person_id, code in (
        PersonDisability.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "code")
        .values_list("person_id", "code")
    ):
        disabilities[person_id].append(code)

    children: dict[uuid.UUID, Child] = {}
    for person in (
        Person.objects.filter(pk__in=person_ids)
        .order_by("council_id")
        .values(
            "id",
            "council_id",
            "upn",
            "former_upn",
            "upn_unknown_reason",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "date_of_death",
            "ethnicity",
        )
        .iterator(chunk_size=10_000)
    ):
        children[person["id"]] = Child(
            la_child_id=person["council_id"],
            upn=person["upn"],
            former_upn=person["former_upn"],
            upn_unknown=person["upn_unknown_reason"],
            birth_date=person["date_of_birth"],
            expected_birth_date=person["expected_date_of_birth"],
            sex=person["sex"] if period.uses_sex else GENDER_CURRENT.get(person["sex"], "0"),
            death_date=_upto(person["date_of_death"], ref),
            ethnicity=person["ethnicity"],
            disabilities=disabilities.get(person["id"], []),
            person_id=person["id"],
        )

    for row in (
        episodes.order_by("referral_date", "created_at")
        .values(
            "id",
            "person_id",
            "referral_date",
            "referral_source",
            "primary_need",
            "closed_on",
            "closure_reason",
            "referral_nfa",
        )
        .iterator(chunk_size=10_000)
    ):
        closed = _upto(row["closed_on"], ref)
        children[row["person_id"]].episodes.append(
            Episode(
                referral_date=row["referral_date"],
                referral_source=row["referral_source"],
                primary_need=row["primary_need"],
                closure_date=closed,
                closure_reason=row["closure_reason"] if closed else "",
                referral_nfa=bool(row["referral_nfa"]) and closed is not None,
                assessments=[
                    Assessment(
                        start_date=a["start_date"],
                        authorisation_date=_upto(a["authorised_on"], ref),
                        # Factors are recorded at the end of the assessment.
                        factors=list(a["factors"]) if _upto(a["authorised_on"], ref) else [],
                    )
                    for a in assessments.get(row["id"], [])
                ],
                cin_plans=[
                    CINPlan(start_date=p["start_date"], end_date=_upto(p["end_date"], ref))
                    for p in cin_plans.get(row["id"], [])
                ],
                section47s=[
                    Section47(
                        start_date=s["start_date"],
                        initial_cpc_target=s["conference_due"],
                        initial_cpc_date=icpc_of_s47.get(s["id"]),
                        icpc_not_required=bool(s["conference_not_required"]),
                    )
                    for s in section47s.get(row["id"], [])
                    if _s47_in_year(s, icpc_of_s47.get(s["id"]), period.start)
                ],
                cp_plans=[
                    CPPlan(
                        start_date=p["start_date"],
                        end_date=_upto(p["end_date"], ref),
                        initial_category=p["initial_category"],
                        latest_category=p["latest_category"],
                        previous_plans=p["previous_plans"],
                        review_dates=reviews_of_plan.get(p["id"], []),
                    )
                    for p in cp_plans.get(row["id"], [])
                ],
                episode_id=row["id"],
            )
        )
    return list(children.values())
