"""Reads for the MASH: the council's front-door standards, a contact's urgency clock and
the information requests sent to partner agencies.

Partners reach requests only through ``information_requests_for_partner`` and
``information_request_get_for_partner``: their own organisation's, and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from evident.accounts.models import Organisation
from evident.accounts.roles import Role
from evident.core.clocks import (
    INFORMATION_REQUEST,
    ClockRule,
    Rag,
    WorkingHoursRule,
    describe_time_left,
    urgency_rule,
)
from evident.front_door.models import (
    Contact,
    InformationRequest,
    LevelOfNeed,
    Urgency,
    UrgencyStandard,
)

# Used when a council has deleted a standard's row: red 4 working hours, amber 1 working
# day, green 3 working days (the data migration creates the same rows).
DEFAULT_STANDARDS: dict[str, tuple[int, str]] = {
    Urgency.RED: (4, UrgencyStandard.Unit.WORKING_HOURS),
    Urgency.AMBER: (1, UrgencyStandard.Unit.WORKING_DAYS),
    Urgency.GREEN: (3, UrgencyStandard.Unit.WORKING_DAYS),
}


def urgency_standards() -> dict[str, UrgencyStandard]:
    """The response time for each urgency, red first."""
    saved = {s.urgency: s for s in UrgencyStandard.objects.all()}
    return {
        urgency: saved.get(urgency) or UrgencyStandard(urgency=urgency, amount=amount, unit=unit)
        for urgency, (amount, unit) in DEFAULT_STANDARDS.items()
    }


def urgency_clock_rule(urgency: str) -> ClockRule | WorkingHoursRule:
    standard = urgency_standards()[urgency]
    return urgency_rule(urgency=urgency, amount=standard.amount, unit=standard.unit)


def levels_of_need() -> QuerySet[LevelOfNeed]:
    return LevelOfNeed.objects.order_by("number")


@dataclass(frozen=True)
class UrgencyClock:
    urgency: str
    label: str
    standard: str
    due_at: datetime
    rag: Rag
    time_left: str


def urgency_clock(
    *,
    contact: Contact,
    now: datetime,
    standards: Mapping[str, UrgencyStandard] | None = None,
) -> UrgencyClock | None:
    """The council's own response time for the contact's urgency, counted from receipt
    (None until a practitioner sets the urgency). Lists pass ``standards`` read once."""
    if not contact.urgency:
        return None
    standard = (standards or urgency_standards())[contact.urgency]
    rule = urgency_rule(urgency=contact.urgency, amount=standard.amount, unit=standard.unit)
    due_at = rule.due_at(contact.received_at)
    return UrgencyClock(
        urgency=contact.urgency,
        label=contact.get_urgency_display(),
        standard=standard.length,
        due_at=due_at,
        rag=rule.rag(contact.received_at, due_at, now),
        time_left=describe_time_left(due_at, now),
    )


# Information requests ---------------------------------------------------------------------


def partner_organisations() -> QuerySet[Organisation]:
    """Who the MASH can ask: every organisation but the council itself."""
    return Organisation.objects.exclude(kind=Organisation.Kind.COUNCIL).order_by("name")


def information_request_default_due(*, contact: Contact, now: datetime) -> datetime:
    """One working day from now (``INFORMATION_REQUEST``), or sooner when the contact's
    urgency needs an answer before then."""
    due = INFORMATION_REQUEST.due_at(now)
    clock = urgency_clock(contact=contact, now=now)
    if clock is not None and now < clock.due_at < due:
        return clock.due_at
    return due


@dataclass(frozen=True)
class RequestRow:
    request: InformationRequest
    overdue: bool


def information_requests_of(*, contact: Contact, now: datetime) -> list[RequestRow]:
    """The requests sent about a contact, for the contact page, with overdue flagged."""
    requests = contact.information_requests.select_related(
        "organisation", "requested_by", "answered_by__organisation"
    ).order_by("requested_at", "id")
    return [RequestRow(request=r, overdue=r.is_overdue(now)) for r in requests]


def _partner_organisation_id(user: Any) -> int | None:
    """The partner's organisation, or None for anyone who is not a partner-agency user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if Role.PARTNER not in user.roles or user.works_for_council:
        return None
    organisation_id: int | None = user.organisation_id
    return organisation_id


def information_requests_for_partner(user: Any) -> QuerySet[InformationRequest]:
    """The open requests to the partner's own organisation, soonest due first."""
    organisation_id = _partner_organisation_id(user)
    if organisation_id is None:
        return InformationRequest.objects.none()
    return (
        InformationRequest.objects.filter(
            organisation_id=organisation_id, status=InformationRequest.Status.OPEN
        )
        .select_related("contact", "requested_by")
        .order_by("due_at", "id")
    )


def information_request_get_for_partner(*, user: Any, request_id: int) -> InformationRequest:
    """One request to the partner's organisation (open or answered); 404 otherwise."""
    organisation_id = _partner_organisation_id(user)
    if organisation_id is None:
        raise Http404("No such information request")
    try:
        return InformationRequest.objects.select_related(
            "contact", "requested_by", "answered_by", "organisation"
        ).get(pk=request_id, organisation_id=organisation_id)
    except InformationRequest.DoesNotExist as exc:
        raise Http404("No such information request") from exc
