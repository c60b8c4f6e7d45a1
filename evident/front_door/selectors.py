"""Reads for the front door: who may see which contacts, the tray, the authorisations list.

Showing a child's name is a read of the child's record, so the functions that return
pages with children on them write the audit events first (one per child shown), inside
one transaction, before anything is rendered.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import Http404

from evident.accounts.roles import CASEWORK_ROLES
from evident.audit.models import AuditEvent
from evident.audit.services import audit_people_read, audit_record
from evident.core.clocks import CONTACT_DECISION, Rag, describe_time_left
from evident.core.working_days import WorkingDayCalendar
from evident.front_door.models import Contact, ContactChild, Decision
from evident.people.models import Person
from evident.people.selectors import people_search, people_visible_to

TRAY_PAGE_SIZE = 50
CHILD_SEARCH_LIMIT = 25


def contacts_visible_to(user: Any) -> QuerySet[Contact]:
    """Council practitioners, social workers and team managers see every contact.

    Partners see none here: seeing their own organisation's submissions comes later.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Contact.objects.none()
    if not user.works_for_council or not user.roles & CASEWORK_ROLES:
        return Contact.objects.none()
    return Contact.objects.all()


def _with_children(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    # One query for every child on every contact, with the person and the decision.
    return contacts.prefetch_related(
        Prefetch(
            "children",
            queryset=ContactChild.objects.select_related("person", "decision").order_by("id"),
        )
    )


def contact_get_for_user(*, user: Any, contact_id: uuid.UUID | str) -> Contact:
    """The contact with its children and decisions; 404 when unknown or out of scope.

    Not audited: callers that show the children call ``contact_read_audit``.
    """
    try:
        return _with_children(contacts_visible_to(user).select_related("recorded_by")).get(
            pk=contact_id
        )
    except (Contact.DoesNotExist, ValueError) as exc:
        raise Http404("No such contact") from exc


def contact_read_audit(*, user: Any, contact: Contact, section: str, path: str = "") -> None:
    """One VIEW event per child shown on a page about one contact."""
    with transaction.atomic():
        for row in contact.children.all():
            audit_record(
                actor=user,
                action=AuditEvent.Action.VIEW,
                record=row,
                person=row.person,
                section=section,
                path=path,
                detail={"contact": contact.reference},
            )


def _uuids(raw: Iterable[Any]) -> list[uuid.UUID]:
    found = []
    for value in raw:
        try:
            found.append(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


# Recording a contact ----------------------------------------------------------------------


@dataclass(frozen=True)
class DraftRead:
    people: dict[str, Person]  # by str(id): the children already on the draft
    results: list[Person] | None  # the search results, when there was a search


@transaction.atomic
def contact_draft_read(
    *,
    user: Any,
    person_ids: Sequence[str],
    search: Mapping[str, Any] | None = None,
    path: str = "",
) -> DraftRead:
    """The children on a contact being recorded, and a search for more, as shown on the
    page: one SEARCH event with the criteria, then one read per person shown."""
    people = {str(p.pk): p for p in people_visible_to(user).filter(pk__in=_uuids(person_ids))}
    results: list[Person] | None = None
    if search is not None:
        name = str(search.get("name") or "")
        born: date | None = search.get("date_of_birth")
        nhs_number = str(search.get("nhs_number") or "")
        postcode = str(search.get("postcode") or "")
        criteria = {
            "name": name,
            "date_of_birth": born,
            "nhs_number": nhs_number,
            "postcode": postcode,
        }
        try:
            results = people_search(
                user=user,
                name=name,
                date_of_birth=born,
                nhs_number=nhs_number,
                postcode=postcode,
                limit=CHILD_SEARCH_LIMIT,
            )
        except ValueError:  # nothing searchable in what was typed (a name of commas)
            results = []
        audit_record(
            actor=user,
            action=AuditEvent.Action.SEARCH,
            record_type="people.person",
            section="front_door.contact_search",
            path=path,
            detail={
                "criteria": {k: str(v) for k, v in criteria.items() if v},
                "results": len(results),
            },
        )
    shown = {**people, **{str(p.pk): p for p in results or []}}
    audit_people_read(
        actor=user, people=list(shown.values()), section="front_door.contact_draft", path=path
    )
    return DraftRead(people=people, results=results)


# The clock --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactClock:
    due_at: datetime
    rag: Rag
    time_left: str


def contact_clock(
    *, received_at: datetime, now: datetime, calendar: WorkingDayCalendar | None = None
) -> ContactClock:
    """Due time, red/amber/green and time left for the decision on a contact."""
    due_at = CONTACT_DECISION.due_at(received_at, calendar)
    return ContactClock(
        due_at=due_at,
        rag=CONTACT_DECISION.rag(received_at, due_at, now),
        time_left=describe_time_left(due_at, now),
    )


class ContactStatus(enum.StrEnum):
    AWAITING_DECISION = "awaiting_decision"
    AWAITING_AUTHORISATION = "awaiting_authorisation"
    RETURNED = "returned"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            "awaiting_decision": "Awaiting decision",
            "awaiting_authorisation": "Awaiting authorisation",
            "returned": "Returned",
            "closed": "Decided",
        }[self.value]


def decision_of(row: ContactChild) -> Decision | None:
    """The child's decision, or None (the reverse one-to-one raises when there is none)."""
    return getattr(row, "decision", None)


def contact_status(rows: Iterable[ContactChild]) -> ContactStatus:
    """Where the contact stands: a returned decision needs work first; then any child
    still without a decision; then decisions waiting for a manager."""
    statuses = [d.status if (d := decision_of(row)) else None for row in rows]
    if Decision.Status.RETURNED in statuses:
        return ContactStatus.RETURNED
    if None in statuses or not statuses:
        return ContactStatus.AWAITING_DECISION
    if Decision.Status.PROPOSED in statuses:
        return ContactStatus.AWAITING_AUTHORISATION
    return ContactStatus.CLOSED


# The tray ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrayRow:
    contact: Contact
    children: list[ContactChild]
    status: ContactStatus
    clock: ContactClock


def open_contacts(*, user: Any) -> QuerySet[Contact]:
    """Open contacts, soonest due first.

    The due time only ever moves forward as the received time does (a later contact is
    never due earlier), so ordering by received time orders by due time, overdue first,
    and the database can paginate.
    """
    return _with_children(
        contacts_visible_to(user).filter(closed_at__isnull=True).order_by("received_at", "id")
    )


def tray_rows(
    contacts: Iterable[Contact], *, now: datetime, calendar: WorkingDayCalendar | None = None
) -> list[TrayRow]:
    rows = []
    for contact in contacts:
        children = list(contact.children.all())
        rows.append(
            TrayRow(
                contact=contact,
                children=children,
                status=contact_status(children),
                clock=contact_clock(received_at=contact.received_at, now=now, calendar=calendar),
            )
        )
    return rows


@dataclass(frozen=True)
class TrayPage:
    page: Page[Contact]
    rows: list[TrayRow]


def tray_page(*, user: Any, page_number: Any, now: datetime, path: str = "") -> TrayPage:
    """One page of the front-door tray; the children listed are audited as read."""
    paginator = Paginator(open_contacts(user=user), TRAY_PAGE_SIZE)
    page = paginator.get_page(page_number)
    rows = tray_rows(page.object_list, now=now)
    audit_people_read(
        actor=user,
        people=[child.person for row in rows for child in row.children],
        section="front_door.tray",
        path=path,
    )
    return TrayPage(page=page, rows=rows)


def tray_clocks(*, user: Any, contact_ids: Sequence[str], now: datetime) -> list[TrayRow]:
    """Only the clocks of the given open contacts (for the tray's live time left).

    No children are loaded and nothing personal is returned, so this is not audited.
    """
    contacts = (
        contacts_visible_to(user)
        .filter(pk__in=_uuids(contact_ids[:TRAY_PAGE_SIZE]), closed_at__isnull=True)
        .only("id", "received_at")
        .order_by("received_at", "id")
    )
    return [
        TrayRow(
            contact=contact,
            children=[],
            status=ContactStatus.AWAITING_DECISION,
            clock=contact_clock(received_at=contact.received_at, now=now),
        )
        for contact in contacts
    ]


# Management oversight ---------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorisationRow:
    contact: Contact
    children: list[ContactChild]
    waiting_since: datetime
    clock: ContactClock
    proposed_by_me: bool


def contacts_awaiting_authorisation(*, user: Any) -> QuerySet[Contact]:
    """Open contacts with at least one proposed decision, the longest waiting first.

    A contact waits from its latest proposal: until then someone was still deciding.
    """
    proposed = Q(children__decision__status=Decision.Status.PROPOSED)
    return _with_children(
        contacts_visible_to(user)
        .filter(closed_at__isnull=True)
        .filter(proposed)
        .annotate(waiting_since=Max("children__decision__decided_at", filter=proposed))
        .order_by("waiting_since", "received_at")
    )


@dataclass(frozen=True)
class AuthorisationPage:
    page: Page[Contact]
    rows: list[AuthorisationRow]


def authorisation_page(
    *, user: Any, page_number: Any, now: datetime, path: str = ""
) -> AuthorisationPage:
    """The management oversight list; the children listed are audited as read."""
    paginator = Paginator(contacts_awaiting_authorisation(user=user), TRAY_PAGE_SIZE)
    page = paginator.get_page(page_number)
    rows = []
    for contact in page.object_list:
        children = list(contact.children.all())
        rows.append(
            AuthorisationRow(
                contact=contact,
                children=children,
                waiting_since=contact.waiting_since,
                clock=contact_clock(received_at=contact.received_at, now=now),
                proposed_by_me=any(
                    d.decided_by_id == user.pk
                    for row in children
                    if (d := decision_of(row)) and d.status == Decision.Status.PROPOSED
                ),
            )
        )
    audit_people_read(
        actor=user,
        people=[child.person for row in rows for child in row.children],
        section="front_door.authorisations",
        path=path,
    )
    return AuthorisationPage(page=page, rows=rows)
