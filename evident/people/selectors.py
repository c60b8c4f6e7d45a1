"""Reads of people's records. Every read starts from ``people_visible_to(user)``.

Nothing here writes the audit trail: the services that show a record to someone
(``evident.people.services``) audit first, then call these.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Upper
from django.http import Http404
from django.utils import timezone

from evident.accounts.roles import CASEWORK_ROLES
from evident.people.identifiers import format_nhs_number, normalise_nhs_number, normalise_postcode
from evident.people.models import (
    Address,
    HouseholdMember,
    Person,
    PersonAlias,
    PersonMerge,
    Relationship,
)

SEARCH_LIMIT_MAX = 200
# Past this many aliases for one name word (a single letter), let the database join.
SEARCH_CANDIDATES_MAX = 5_000
# More words than this is a sentence, not a name; the rest are ignored.
SEARCH_MAX_WORDS = 5


def _sees_council_people(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.works_for_council and user.roles & CASEWORK_ROLES)


def people_visible_to(user: Any) -> QuerySet[Person]:
    """The people whose records ``user`` may see (object-level scope, security.md R3).

    Council casework staff see every person of this council (one council per deployment);
    everyone else sees none through here. Restricted records will be taken out here.
    """
    if _sees_council_people(user):
        return Person.objects.all()
    return Person.objects.none()


def person_get_for_user(*, user: Any, person_id: Any) -> Person:
    """The person, or 404 when the id is malformed, unknown or outside the user's scope
    (the same answer for all three, so the page is no oracle for who exists)."""
    try:
        pk = person_id if isinstance(person_id, uuid.UUID) else uuid.UUID(str(person_id))
    except (TypeError, ValueError, AttributeError) as exc:
        raise Http404("No such person") from exc
    person = people_visible_to(user).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person


# -- Search -------------------------------------------------------------------------------


def name_words(name: str) -> list[str]:
    """'  smith,  Jo ' -> ['SMITH', 'JO']: upper-cased words, commas and spaces dropped."""
    return re.findall(r"[^\s,]+", (name or "").upper())[:SEARCH_MAX_WORDS]


def _alias_ids(word: str) -> QuerySet[Any]:
    first = PersonAlias.objects.alias(n=Upper("first_name")).filter(n__startswith=word)
    last = PersonAlias.objects.alias(n=Upper("last_name")).filter(n__startswith=word)
    return (
        first.order_by()
        .values_list("person_id", flat=True)
        .union(last.order_by().values_list("person_id", flat=True))
    )


def _matching_every_word(people: QuerySet[Person], words: list[str]) -> QuerySet[Person]:
    """People whose first name, last name or an alias starts with each word.

    The longest word is likely the rarest, so it finds the candidates: a UNION of a first
    name lookup, a last name lookup and the people with a matching alias, each an index
    range scan on UPPER(name) (migration 0002). The other words are checked on those rows
    only. (One OR across the three would make PostgreSQL read every person.)
    """
    driving = max(words, key=len)
    for word in words:
        if word != driving:
            people = people.filter(_word_matches(word))
    branches = [
        people.filter(Q(first_upper__startswith=driving)),
        people.filter(Q(last_upper__startswith=driving)),
    ]
    by_alias = _alias_ids(driving)
    alias_ids = list(by_alias[: SEARCH_CANDIDATES_MAX + 1])
    if alias_ids:
        # The ids themselves (usually a few hundred), so the lookup goes by primary key.
        few = len(alias_ids) <= SEARCH_CANDIDATES_MAX
        branches.append(people.filter(id__in=alias_ids if few else by_alias))
    return branches[0].union(*branches[1:])


def _word_matches(word: str) -> Q:
    """Whether a first name, last name or alias starts with ``word``."""
    return (
        Q(first_upper__startswith=word)
        | Q(last_upper__startswith=word)
        | Q(id__in=_alias_ids(word))
    )


def _current_addresses() -> QuerySet[Address]:
    today = timezone.localdate()
    return Address.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=today)).order_by(
        F("start_date").desc(nulls_last=True), "-id"
    )


def current_address_of(person: Person) -> Address | None:
    """The current address from a person fetched by ``people_search`` (no query)."""
    found: list[Address] = getattr(person, "current_addresses", [])
    return found[0] if found else None


def people_search(
    *,
    user: Any,
    name: str = "",
    date_of_birth: date | None = None,
    nhs_number: str = "",
    postcode: str = "",
    limit: int = 50,
) -> list[Person]:
    """People in the user's scope matching every criterion given.

    ``name``: each word starts a first name, last name or alias, in any order, any case
    ("smith jo" finds Jo Smith, and Joanne Smithson after her). NHS number and postcode
    are normalised and matched exactly; a postcode matches current and previous
    addresses. Exact surname matches come first, then by name. Each person's current
    address is prefetched (``current_address_of``).
    """
    words = name_words(name)
    nhs = normalise_nhs_number(nhs_number)
    post = normalise_postcode(postcode)
    if not (words or date_of_birth or nhs or post):
        raise ValueError("Search needs a name, date of birth, NHS number or postcode")

    exact_surname = (
        Case(
            When(Q(last_upper__in=words), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        if words
        else Value(1, output_field=IntegerField())
    )
    people: QuerySet[Person] = (
        people_visible_to(user)
        .filter(merged_into__isnull=True)  # a merged-away duplicate is found as the kept one
        .annotate(last_upper=Upper("last_name"), first_upper=Upper("first_name"))
        .annotate(exact_surname=exact_surname)
        .order_by()
    )
    if date_of_birth is not None:
        people = people.filter(date_of_birth=date_of_birth)
    if nhs:
        people = people.filter(nhs_number=nhs)
    if post:
        # Stored postcodes are normalised ('AB1 2CD'); older imports may lack the space.
        spellings = {post, post.replace(" ", "")}
        people = people.filter(
            id__in=Address.objects.filter(postcode__in=spellings).values("person_id")
        )
    if words:
        people = _matching_every_word(people, words)

    limit = max(1, min(limit, SEARCH_LIMIT_MAX))
    ordered = people.order_by(
        "exact_surname", "last_upper", "first_upper", "date_of_birth", "council_id"
    )
    found = list(ordered[:limit])
    # One query for every listed person's current address (the results' postcode);
    # prefetch_related() itself refuses a UNION.
    prefetch_related_objects(
        found, Prefetch("addresses", queryset=_current_addresses(), to_attr="current_addresses")
    )
    return found


# -- The person's record --------------------------------------------------------------------


# How ``other`` stands to ``person`` when ``person`` is ``kind`` of ``other``.
INVERSE_KIND_LABELS: dict[str, str] = {
    Relationship.Kind.PARENT: "Child",
    Relationship.Kind.STEP_PARENT: "Step-child",
    Relationship.Kind.SIBLING: "Sibling",
    Relationship.Kind.HALF_SIBLING: "Half-sibling",
    Relationship.Kind.GRANDPARENT: "Grandchild",
    Relationship.Kind.CARER: "Cared for by them",
    Relationship.Kind.PARTNER_OF_PARENT: "Partner's child",
    Relationship.Kind.OTHER_RELATIVE: "Other relative",
}


@dataclass(frozen=True)
class RelatedPerson:
    """Someone tied to the person, and what they are to the person ('Parent')."""

    person: Person
    label: str
    has_parental_responsibility: bool
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class HouseholdView:
    name: str
    start_date: date | None
    end_date: date | None
    members: list[HouseholdMember]


@dataclass(frozen=True)
class ContactSummary:
    reference: str
    received_at: Any
    source_label: str
    outcome_label: str
    status_label: str


@dataclass(frozen=True)
class PersonRecord:
    """Everything the record page shows, fetched up front so the template runs no queries."""

    person: Person
    age: int | None
    nhs_number_display: str
    aliases: list[PersonAlias]
    disability_labels: list[str]
    addresses: list[Address]
    relatives: list[RelatedPerson]
    households: list[HouseholdView]
    contacts: list[ContactSummary] = field(default_factory=list)
    # The merge in force that took this record into another, if it was a duplicate.
    merged_into: PersonMerge | None = None
    # Duplicates merged into this record (merges in force).
    merged_in: list[PersonMerge] = field(default_factory=list)


def _address_history(person: Person) -> list[Address]:
    """Current addresses first (no end date), then the rest, most recent first."""
    return list(
        person.addresses.order_by(
            F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True), "-id"
        )
    )


def _relatives(person: Person, visible: QuerySet[Person]) -> list[RelatedPerson]:
    relatives: list[RelatedPerson] = []
    # Rows where someone else is ``kind`` of this person ('Sam is the parent of Alex').
    for rel in (
        Relationship.objects.filter(other=person, person__in=visible)
        .select_related("person")
        .order_by("kind", "person__last_name", "person__first_name")
    ):
        relatives.append(
            RelatedPerson(
                rel.person,
                rel.get_kind_display(),
                rel.has_parental_responsibility,
                rel.start_date,
                rel.end_date,
            )
        )
    # Rows where this person is ``kind`` of someone else: show the other side. A symmetric tie
    # (siblings) is often recorded both ways; show it once.
    shown = {(r.person.pk, r.label) for r in relatives}
    for rel in (
        Relationship.objects.filter(person=person, other__in=visible)
        .select_related("other")
        .order_by("kind", "other__last_name", "other__first_name")
    ):
        label = INVERSE_KIND_LABELS.get(rel.kind, rel.get_kind_display())
        if (rel.other.pk, label) in shown:
            continue
        relatives.append(RelatedPerson(rel.other, label, False, rel.start_date, rel.end_date))
    return relatives


def _households(person: Person, visible: QuerySet[Person]) -> list[HouseholdView]:
    stays = list(
        person.household_memberships.select_related("household").order_by(
            F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True)
        )
    )
    if not stays:
        return []
    members_by_household: dict[int, list[HouseholdMember]] = {}
    for member in (
        HouseholdMember.objects.filter(household__in=[s.household_id for s in stays])
        .exclude(person=person)
        .filter(person__in=visible)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    ):
        members_by_household.setdefault(member.household_id, []).append(member)
    return [
        HouseholdView(
            name=str(stay.household),
            start_date=stay.start_date,
            end_date=stay.end_date,
            members=members_by_household.get(stay.household_id, []),
        )
        for stay in stays
    ]


def _contacts(person: Person) -> list[ContactSummary]:
    """The person's contacts at the front door, newest first (read only)."""
    summaries: list[ContactSummary] = []
    rows = person.contact_rows.select_related("contact", "decision").order_by(
        "-contact__received_at"
    )
    for row in rows:
        decision = getattr(row, "decision", None)
        summaries.append(
            ContactSummary(
                reference=row.contact.reference,
                received_at=row.contact.received_at,
                source_label=row.contact.get_source_display(),
                outcome_label=decision.get_outcome_display() if decision else "",
                status_label=decision.get_status_display() if decision else "",
            )
        )
    return summaries


def person_record_for_user(*, user: Any, person: Person) -> PersonRecord:
    """The record page's data for a person already fetched through ``person_get_for_user``."""
    visible = people_visible_to(user)
    return PersonRecord(
        person=person,
        age=person.age_on(timezone.localdate()),
        nhs_number_display=format_nhs_number(person.nhs_number),
        aliases=list(person.aliases.order_by("last_name", "first_name")),
        disability_labels=[d.get_code_display() for d in person.disabilities.order_by("code")],
        addresses=_address_history(person),
        relatives=_relatives(person, visible),
        households=_households(person, visible),
        contacts=_contacts(person),
        merged_into=(
            PersonMerge.objects.filter(merged_away=person, reversed_at__isnull=True)
            .select_related("kept", "merged_by")
            .first()
            if person.merged_into_id is not None
            else None
        ),
        merged_in=list(
            PersonMerge.objects.filter(
                kept=person, reversed_at__isnull=True, merged_away__in=visible
            ).select_related("merged_away", "merged_by")
        ),
    )
