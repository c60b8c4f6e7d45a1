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
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from evident.accounts.models import Team, User
from evident.accounts.roles import CASEWORK_ROLES, Role
from evident.audit.models import AuditEvent
from evident.audit.services import audit_people_read, audit_record
from evident.core.clocks import (
    CONTACT_DECISION,
    DECISION_AUTHORISATION,
    LONDON,
    Rag,
    describe_time_left,
)
from evident.core.working_days import WorkingDayCalendar, council_calendar
from evident.front_door.models import Contact, ContactChild, Decision, SubmittedChild
from evident.front_door.selectors_mash import UrgencyClock, urgency_clock, urgency_standards
from evident.people.matching import Match, MatchQuery, people_matching
from evident.people.models import Person
from evident.people.selectors import people_search, people_visible_to

# A screenful to work from: every row is audited and carries two live clocks, so a
# shorter page is also what keeps the tray quick under a full front door's load.
TRAY_PAGE_SIZE = 25
CHILD_SEARCH_LIMIT = 25


def contacts_visible_to(user: Any) -> QuerySet[Contact]:
    """Council practitioners, social workers and team managers see every contact.

    A partner-agency user sees exactly the contacts their own organisation submitted, and
    only through the portal's pages (every council page refuses partners outright).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Contact.objects.none()
    if (
        Role.PARTNER in user.roles
        and user.organisation_id is not None
        and not user.works_for_council
    ):
        return Contact.objects.filter(submitting_organisation_id=user.organisation_id)
    if not user.works_for_council or not user.roles & CASEWORK_ROLES:
        return Contact.objects.none()
    return Contact.objects.all()


def _with_children(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    # One query for every child on every contact, with the person and the decision.
    return contacts.prefetch_related(
        Prefetch(
            "children",
            queryset=ContactChild.objects.select_related(
                "person", "decision", "decision__level_of_need"
            ).order_by("id"),
        ),
        "submitted_children",
    )


def contact_get_for_user(*, user: Any, contact_id: uuid.UUID | str) -> Contact:
    """The contact with its children and decisions; 404 when unknown or out of scope.

    Not audited: callers that show the children call ``contact_read_audit``.
    """
    try:
        return _with_children(
            contacts_visible_to(user).select_related(
                "recorded_by", "submitted_by", "submitting_organisation"
            )
        ).get(pk=contact_id)
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
    results: list[Match] | None  # the ranked matches, when there was a search


@transaction.atomic
def contact_draft_read(
    *,
    user: Any,
    person_ids: Sequence[str],
    search: Mapping[str, Any] | None = None,
    path: str = "",
) -> DraftRead:
    """The children on a contact being recorded, and the likely matches for a search, as
    shown on the page: one SEARCH event with the criteria, then one read per person shown.

    Matches are ranked (``evident.people.matching``); the household members of the
    children already on the draft are among the candidates."""
    people = {str(p.pk): p for p in people_visible_to(user).filter(pk__in=_uuids(person_ids))}
    results: list[Match] | None = None
    if search is not None:
        query = MatchQuery(
            name=str(search.get("name") or ""),
            date_of_birth=search.get("date_of_birth"),
            nhs_number=str(search.get("nhs_number") or ""),
            postcode=str(search.get("postcode") or ""),
        )
        # Nothing searchable in what was typed (a name of commas) finds no one.
        results = people_matching(
            user=user, query=query, on_contact=list(people.values()), limit=CHILD_SEARCH_LIMIT
        )
        criteria = {
            "name": query.name,
            "date_of_birth": query.date_of_birth,
            "nhs_number": query.nhs,
            "postcode": query.post,
        }
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
    shown = {**people, **{str(m.person.pk): m.person for m in results or []}}
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
    # The MASH's red/amber/green and its own response time; None until it is set.
    urgency: UrgencyClock | None = None

    # Dates as the tray prints them, formatted here: the template's date filter, three
    # times a row, cost more than the rest of the row.
    @property
    def received_label(self) -> str:
        return _short(self.contact.received_at)

    @property
    def due_label(self) -> str:
        return _short(self.clock.due_at)

    @property
    def respond_by_label(self) -> str:
        return _short(self.urgency.due_at, year=False) if self.urgency else ""


def _short(moment: datetime, *, year: bool = True) -> str:
    """The moment in UK time, as "27 Nov 2026 14:05" (or "27 Nov 14:05" without the year)."""
    here = moment.astimezone(LONDON)
    day = f"{here.day} {here:%b %Y}" if year else f"{here.day} {here:%b}"
    return f"{day} {here:%H:%M}"


def tray_rows(
    contacts: Iterable[Contact], *, now: datetime, calendar: WorkingDayCalendar | None = None
) -> list[TrayRow]:
    standards = urgency_standards()  # read once for the page, not once per row
    rows = []
    for contact in contacts:
        children = list(contact.children.all())
        rows.append(
            TrayRow(
                contact=contact,
                children=children,
                status=contact_status(children),
                clock=contact_clock(received_at=contact.received_at, now=now, calendar=calendar),
                urgency=urgency_clock(contact=contact, now=now, standards=standards),
            )
        )
    return rows


# What the tray shows of each contact and child: loading whole rows (referrer details,
# free text, every person field) for fifty contacts a page cost more than the page itself.
_TRAY_CONTACT_FIELDS = (
    "id",
    "reference",
    "received_at",
    "source",
    "urgency",
    "submitted_by_id",
    "allocated_to__id",
    "allocated_to__first_name",
    "allocated_to__last_name",
    "allocated_to__username",
)


def _tray_contacts(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    children = ContactChild.objects.select_related("person", "decision").only(
        "id",
        "contact_id",
        "person__id",
        "person__first_name",
        "person__last_name",
        "decision__id",
        "decision__status",
    )
    return (
        contacts.select_related("allocated_to")
        .only(*_TRAY_CONTACT_FIELDS)
        .prefetch_related(
            Prefetch("children", queryset=children.order_by("id")),
            Prefetch(
                "submitted_children",
                queryset=SubmittedChild.objects.filter(person__isnull=True).only(
                    "id", "contact_id", "first_name", "last_name", "person_id"
                ),
            ),
        )
    )


@dataclass(frozen=True)
class TrayPage:
    page: Page[Contact]
    rows: list[TrayRow]


def front_door_practitioners() -> QuerySet[User]:
    """Active council practitioners in a front-door team: who contacts are allocated to."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.PRACTITIONER,
            teams__kind=Team.Kind.FRONT_DOOR,
            organisation__kind="council",
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def contacts_chosen(*, user: Any, contact_ids: Sequence[str]) -> list[Contact]:
    """The contacts ticked in the tray that the user may see (unknown ids are left out)."""
    return list(contacts_visible_to(user).filter(pk__in=_uuids(contact_ids)))


def teams_of(user: Any) -> QuerySet[Team]:
    return Team.objects.filter(members=user) if getattr(user, "pk", None) else Team.objects.none()


class TraySort(enum.StrEnum):
    DUE = "due"
    RECEIVED = "received"
    REFERENCE = "reference"

    @property
    def label(self) -> str:
        return {
            "due": "Due time (overdue first)",
            "received": "Received (newest first)",
            "reference": "Reference",
        }[self.value]


TRAY_STATUSES = (
    ContactStatus.AWAITING_DECISION,
    ContactStatus.AWAITING_AUTHORISATION,
    ContactStatus.RETURNED,
)
ALLOCATED_TO_ME = "me"
UNALLOCATED = "unallocated"


@dataclass(frozen=True)
class TrayFilters:
    """What the tray is narrowed to: codes, dates and user ids only, never child data.

    ``allocated`` is ``"me"``, ``"unallocated"``, a user id, or empty for anyone;
    ``team`` narrows to contacts allocated to that team's members."""

    statuses: tuple[ContactStatus, ...] = ()
    rags: tuple[Rag, ...] = ()
    sources: tuple[str, ...] = ()
    allocated: str = ""
    received_from: date | None = None
    received_to: date | None = None
    team: Team | None = None
    sort: TraySort = TraySort.DUE


def _status_q(status: ContactStatus) -> Q:
    """The contact status (``contact_status``) as a condition the database can check."""
    decisions = Decision.objects.filter(contact_child__contact=OuterRef("pk"))
    returned = Exists(decisions.filter(status=Decision.Status.RETURNED))
    proposed = Exists(decisions.filter(status=Decision.Status.PROPOSED))
    undecided = Exists(ContactChild.objects.filter(contact=OuterRef("pk"), decision__isnull=True))
    has_children = Exists(ContactChild.objects.filter(contact=OuterRef("pk")))
    if status == ContactStatus.RETURNED:
        return Q(returned)
    if status == ContactStatus.AWAITING_DECISION:
        return ~Q(returned) & (Q(undecided) | ~Q(has_children))
    return ~Q(returned) & ~Q(undecided) & Q(has_children) & Q(proposed)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def filtered_contacts(*, user: Any, filters: TrayFilters, now: datetime) -> QuerySet[Contact]:
    """Open contacts visible to ``user`` narrowed by ``filters``, in the order asked for."""
    contacts = contacts_visible_to(user).filter(closed_at__isnull=True)
    if filters.statuses:
        condition = Q()
        for status in filters.statuses:
            condition |= _status_q(status)
        contacts = contacts.filter(condition)
    if filters.sources:
        contacts = contacts.filter(source__in=filters.sources)
    if filters.allocated == ALLOCATED_TO_ME:
        contacts = contacts.filter(allocated_to_id=user.pk)
    elif filters.allocated == UNALLOCATED:
        contacts = contacts.filter(allocated_to__isnull=True)
    elif filters.allocated.isdigit():
        contacts = contacts.filter(allocated_to_id=int(filters.allocated))
    if filters.team is not None:
        contacts = contacts.filter(allocated_to__teams=filters.team)
    if filters.received_from is not None:
        contacts = contacts.filter(received_at__gte=_start_of(filters.received_from))
    if filters.received_to is not None:
        contacts = contacts.filter(
            received_at__lt=_start_of(filters.received_to + timedelta(days=1))
        )
    if filters.rags:
        # Red/amber/green needs the working-day calendar, so it is worked out here over
        # the (few hundred) open contacts' receipt times, then handed back as ids.
        wanted = set(filters.rags)
        calendar = council_calendar()
        contacts = contacts.filter(
            pk__in=[
                pk
                for pk, received_at in contacts.values_list("pk", "received_at")
                if CONTACT_DECISION.rag(
                    received_at, CONTACT_DECISION.due_at(received_at, calendar), now
                )
                in wanted
            ]
        )
    order = {
        TraySort.DUE: ("received_at", "id"),
        TraySort.RECEIVED: ("-received_at", "id"),
        TraySort.REFERENCE: ("reference",),
    }[filters.sort]
    return contacts.order_by(*order)


def tray_page(
    *,
    user: Any,
    page_number: Any,
    now: datetime,
    path: str = "",
    filters: TrayFilters | None = None,
) -> TrayPage:
    """One page of the front-door tray; the children listed are audited as read."""
    # The due time only ever moves forward as the received time does (a later contact is
    # never due earlier), so ordering by received time orders by due time, overdue first,
    # and the database can paginate.
    contacts = _tray_contacts(
        contacts_visible_to(user).filter(closed_at__isnull=True).order_by("received_at", "id")
        if filters is None
        else filtered_contacts(user=user, filters=filters, now=now)
    )
    paginator = Paginator(contacts, TRAY_PAGE_SIZE)
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
        .only("id", "received_at", "urgency")
        .order_by("received_at", "id")
    )
    standards = urgency_standards()
    return [
        TrayRow(
            contact=contact,
            children=[],
            status=ContactStatus.AWAITING_DECISION,
            clock=contact_clock(received_at=contact.received_at, now=now),
            urgency=urgency_clock(contact=contact, now=now, standards=standards),
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
    # Past DECISION_AUTHORISATION's due time: the manager's authorisation is overdue.
    authorisation_overdue: bool = False


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
                authorisation_overdue=now > DECISION_AUTHORISATION.due_at(contact.received_at),
            )
        )
    audit_people_read(
        actor=user,
        people=[child.person for row in rows for child in row.children],
        section="front_door.authorisations",
        path=path,
    )
    return AuthorisationPage(page=page, rows=rows)


# The child's previous contacts ------------------------------------------------------------

HISTORY_MONTHS = 12


def year_before(moment: datetime) -> datetime:
    """The same moment a year earlier (28 February for 29 February)."""
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:
        return moment.replace(year=moment.year - 1, day=28)


@dataclass(frozen=True)
class PreviousContact:
    contact: Contact
    decision: Decision | None

    @property
    def is_referral(self) -> bool:
        """A referral to children's social care, authorised (a proposal is not one yet)."""
        return (
            self.decision is not None
            and self.decision.outcome == Decision.Outcome.REFERRAL
            and self.decision.status == Decision.Status.AUTHORISED
        )


@dataclass(frozen=True)
class ChildHistory:
    row: ContactChild
    previous: list[PreviousContact]

    @property
    def referrals(self) -> int:
        return sum(1 for p in self.previous if p.is_referral)


def previous_contacts(*, user: Any, contact: Contact) -> list[ChildHistory]:
    """For each child on the contact, their other contacts received in the 12 months up to
    this one, newest first, each with the child's decision (one query for all children).

    Not audited: the page showing them audits its read of each child (the same records).
    """
    rows = list(contact.children.all())
    earlier: dict[Any, list[PreviousContact]] = {row.person_id: [] for row in rows}
    found = (
        ContactChild.objects.filter(
            person_id__in=list(earlier),
            contact__in=contacts_visible_to(user),
            contact__received_at__gte=year_before(contact.received_at),
            contact__received_at__lte=contact.received_at,
        )
        .exclude(contact_id=contact.pk)
        .select_related("contact", "decision")
        .order_by("-contact__received_at", "contact_id")
    )
    for other in found:
        earlier[other.person_id].append(
            PreviousContact(contact=other.contact, decision=decision_of(other))
        )
    return [ChildHistory(row=row, previous=earlier[row.person_id]) for row in rows]


# Children submitted through the partner portal --------------------------------------------


def submitted_child_get_for_user(
    *, user: Any, contact_id: uuid.UUID | str, submitted_id: int
) -> SubmittedChild:
    """A child as a partner submitted them, for council casework staff; 404 otherwise."""
    if not getattr(user, "works_for_council", False):
        raise Http404("No such child")
    try:
        return SubmittedChild.objects.select_related("contact").get(
            pk=submitted_id, contact__in=contacts_visible_to(user).filter(pk=contact_id)
        )
    except (SubmittedChild.DoesNotExist, ValueError) as exc:
        raise Http404("No such child") from exc


@transaction.atomic
def submitted_child_candidates(
    *, user: Any, submitted: SubmittedChild, path: str = ""
) -> list[Person]:
    """People in the records who may be the child a partner described: by name, and by
    postcode when one was given. The search and everyone shown are audited."""
    found: dict[Any, Person] = {}
    searches: list[dict[str, str]] = [{"name": submitted.full_name}]
    if submitted.postcode:
        searches.append({"postcode": submitted.postcode})
    for criteria in searches:
        try:
            people = people_search(
                user=user,
                name=criteria.get("name", ""),
                postcode=criteria.get("postcode", ""),
                limit=CHILD_SEARCH_LIMIT,
            )
        except ValueError:  # nothing searchable in the name as submitted
            people = []
        audit_record(
            actor=user,
            action=AuditEvent.Action.SEARCH,
            record_type="people.person",
            section="front_door.portal_link",
            path=path,
            detail={"criteria": criteria, "results": len(people)},
        )
        for person in people:
            found.setdefault(person.pk, person)
    shown = list(found.values())
    audit_people_read(actor=user, people=shown, section="front_door.portal_link", path=path)
    return shown
