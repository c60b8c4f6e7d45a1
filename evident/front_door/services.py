"""Writes for the front door: recording a contact, proposing decisions, authorising them.

Each service is one transaction: either everything it was asked to do is saved, with its
audit events, or nothing is.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.core.clocks import LONDON
from evident.core.codes import ReferralSource
from evident.front_door.models import Contact, ContactChild, Decision
from evident.people.models import Person
from evident.people.selectors import people_visible_to
from evident.people.services import person_create

NO_CHILD_MESSAGE = "Add at least one child to the contact"
SAME_CHILD_TWICE_MESSAGE = "The same child cannot be added to a contact twice"
CONSENT_REASON_NEEDED = (Contact.Consent.DISPENSED, Contact.Consent.REFUSED)
RECORDING_ROLES = (Role.PRACTITIONER, Role.TEAM_MANAGER)
DECIDING_ROLES = (Role.PRACTITIONER, Role.TEAM_MANAGER)

# A child on a new contact: the id of a person already in the records, or the details of
# a new person (``person_create``'s keyword arguments) to create with the contact.
ChildOnContact = uuid.UUID | Mapping[str, Any]


# Recording a contact ----------------------------------------------------------------------


def contact_problems(
    *,
    received_at: datetime,
    source: str,
    concern: str,
    consent: str,
    consent_reason: str,
    children: Sequence[ChildOnContact],
    now: datetime,
) -> dict[str, str]:
    """What stops a contact being recorded, by field (empty when nothing does)."""
    problems: dict[str, str] = {}
    if not children:
        problems["children"] = NO_CHILD_MESSAGE
    existing = [child for child in children if not isinstance(child, Mapping)]
    if len(set(existing)) != len(existing):
        problems["children"] = SAME_CHILD_TWICE_MESSAGE
    if timezone.is_naive(received_at):
        problems["received_at"] = "The date and time received must include a time zone"
    elif received_at > now:
        problems["received_at"] = "The date and time received must be in the past"
    if source not in ReferralSource.values:
        problems["source"] = "Select who the contact came from"
    if not concern.strip():
        problems["concern"] = "Enter the concern"
    if consent not in Contact.Consent.values:
        problems["consent"] = "Select whether consent was given"
    elif consent in CONSENT_REASON_NEEDED and not consent_reason.strip():
        problems["consent_reason"] = (
            "Enter why consent was dispensed with"
            if consent == Contact.Consent.DISPENSED
            else "Enter why consent was refused and why the contact goes ahead"
        )
    return problems


# Serialises reference numbering across processes for the length of one transaction.
_REFERENCE_LOCK = 0x45564443  # "EVDC"
_REFERENCE_RE = re.compile(r"^C-(\d{4})-(\d{6})$")


def _next_reference(year: int) -> str:
    """``C-<year>-<6-digit sequence>``: the highest reference of the year the contact was
    received in, plus one (as the synthetic council numbers them).

    On PostgreSQL a transaction-scoped advisory lock per year makes concurrent recordings
    wait their turn, so two contacts never get the same number (the unique constraint on
    ``reference`` stays as the backstop). Rows written by other routes are counted too.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_REFERENCE_LOCK, year])
    last = (
        Contact.objects.filter(
            reference__gte=f"C-{year}-000000",
            reference__lte=f"C-{year}-999999",
            reference__regex=rf"^C-{year}-[0-9]{{6}}$",
        )
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    sequence = int(last[-6:]) + 1 if last else 1
    if sequence > 999_999:
        raise RuntimeError(f"Contact references for {year} have run out")
    return f"C-{year}-{sequence:06d}"


@transaction.atomic
def contact_record(
    *,
    actor: Any,
    received_at: datetime,
    source: str,
    concern: str,
    consent: str,
    children: Sequence[ChildOnContact],
    consent_reason: str = "",
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_phone: str = "",
    referrer_email: str = "",
    now: datetime | None = None,
) -> Contact:
    """Record a contact about one or more children, creating any new children with it.

    Raises ``ValidationError`` (a message per field, ``children`` for the children) and
    saves nothing when the contact cannot be recorded, including when a new child's
    details are refused by ``person_create``.
    """
    if not actor.has_role(*RECORDING_ROLES):
        raise PermissionDenied("Only front-door practitioners and team managers record contacts")
    now = now or timezone.now()
    problems = contact_problems(
        received_at=received_at,
        source=source,
        concern=concern,
        consent=consent,
        consent_reason=consent_reason,
        children=children,
        now=now,
    )
    existing_ids = [child for child in children if not isinstance(child, Mapping)]
    found = {p.pk: p for p in people_visible_to(actor).filter(pk__in=existing_ids)}
    if "children" not in problems and len(found) != len(set(existing_ids)):
        problems["children"] = "A child on the contact could not be found: search again"
    if problems:
        raise ValidationError(problems)

    contact = Contact.objects.create(
        reference=_next_reference(received_at.astimezone(LONDON).year),
        received_at=received_at,
        source=source,
        referrer_name=referrer_name.strip(),
        referrer_organisation=referrer_organisation.strip(),
        referrer_phone=referrer_phone.strip(),
        referrer_email=referrer_email.strip(),
        concern=concern.strip(),
        consent=consent,
        consent_reason=consent_reason.strip() if consent in CONSENT_REASON_NEEDED else "",
        recorded_by=actor,
        recorded_at=now,
    )
    for child in children:
        person: Person = (
            person_create(actor=actor, **child) if isinstance(child, Mapping) else found[child]
        )
        row = ContactChild.objects.create(contact=contact, person=person)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            record=row,
            person=person,
            section="front_door.contact",
            detail={
                "contact": contact.reference,
                "source": source,
                "new_person": isinstance(child, Mapping),
            },
        )
    return contact


# Decisions --------------------------------------------------------------------------------


def _locked(contact: Contact) -> tuple[Contact, list[ContactChild]]:
    """The contact locked for this transaction (decisions and authorisations queue behind
    each other), with its children and their decisions read afresh."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    rows = list(
        ContactChild.objects.filter(contact=locked)
        .select_related("person", "decision")
        .order_by("id")
    )
    return locked, rows


def _decision(row: ContactChild) -> Decision | None:
    return getattr(row, "decision", None)


def decision_problems(
    *, rows: Sequence[ContactChild], decisions: Mapping[int, tuple[str, str]]
) -> list[str]:
    """What stops these decisions being proposed: every child without an authorised
    decision needs an outcome and a rationale; an authorised decision cannot change."""
    problems: list[str] = []
    if set(decisions) - {row.pk for row in rows}:
        problems.append("A decision was given for a child who is not on this contact")
    for row in rows:
        current = _decision(row)
        name = row.person.full_name
        if current is not None and current.status == Decision.Status.AUTHORISED:
            if row.pk in decisions:
                problems.append(f"The decision for {name} has been authorised and cannot change")
            continue
        if row.pk not in decisions:
            problems.append(f"Record a decision for {name}")
            continue
        outcome, rationale = decisions[row.pk]
        if outcome not in Decision.Outcome.values:
            problems.append(f"Select the decision for {name}")
        if not rationale.strip():
            problems.append(f"Enter the rationale for the decision about {name}")
    return problems


@transaction.atomic
def contact_decide(
    *,
    actor: Any,
    contact: Contact,
    decisions: Mapping[int, tuple[str, str]],
    now: datetime | None = None,
) -> list[Decision]:
    """Propose a decision (outcome and rationale) for each child still to be decided.

    ``decisions`` maps a ContactChild id to (outcome, rationale). Every child without an
    authorised decision needs one; siblings' outcomes may differ. A returned or proposed
    decision is replaced by the new proposal; an authorised one can no longer change.
    """
    if not actor.has_role(*DECIDING_ROLES):
        raise PermissionDenied("Only front-door practitioners and team managers decide")
    now = now or timezone.now()
    contact, rows = _locked(contact)
    problems = decision_problems(rows=rows, decisions=decisions)
    if problems:
        raise ValidationError(problems)

    saved = []
    for row in rows:
        if row.pk not in decisions:
            continue
        outcome, rationale = decisions[row.pk]
        decision = _decision(row)
        previous = None
        if decision is None:
            decision = Decision(contact_child=row)
        else:
            previous = {"status": decision.status, "outcome": decision.outcome}
            if decision.manager_comment:
                previous["manager_comment"] = decision.manager_comment
        decision.outcome = outcome
        decision.rationale = rationale.strip()
        decision.status = Decision.Status.PROPOSED
        decision.decided_by = actor
        decision.decided_at = now
        decision.authorised_by = None
        decision.authorised_at = None
        # The manager's comment was on the earlier proposal; the audit trail keeps it.
        decision.manager_comment = ""
        decision.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE if previous is None else AuditEvent.Action.UPDATE,
            record=decision,
            person=row.person,
            section="front_door.decision",
            detail={
                "contact": contact.reference,
                "outcome": outcome,
                "status": Decision.Status.PROPOSED,
                **({"previous": previous} if previous else {}),
            },
        )
        saved.append(decision)
    return saved


def _proposed(rows: Sequence[ContactChild]) -> list[tuple[ContactChild, Decision]]:
    return [
        (row, d)
        for row in rows
        if (d := _decision(row)) is not None and d.status == Decision.Status.PROPOSED
    ]


def _require_manager(actor: Any) -> None:
    if not actor.has_role(Role.TEAM_MANAGER):
        raise PermissionDenied("Only team managers authorise decisions")


@transaction.atomic
def contact_authorise(
    *, actor: Any, contact: Contact, comment: str = "", now: datetime | None = None
) -> Contact:
    """A team manager authorises every proposed decision on the contact (management
    oversight). Nobody authorises their own proposal. When every child's decision is
    authorised the contact is closed and leaves the tray."""
    _require_manager(actor)
    now = now or timezone.now()
    contact, rows = _locked(contact)
    proposed = _proposed(rows)
    if not proposed:
        raise ValidationError("There are no decisions awaiting authorisation on this contact")
    if any(decision.decided_by_id == actor.pk for _, decision in proposed):
        raise ValidationError(
            "You proposed a decision on this contact, so another manager must authorise it"
        )
    for row, decision in proposed:
        decision.status = Decision.Status.AUTHORISED
        decision.authorised_by = actor
        decision.authorised_at = now
        decision.manager_comment = comment.strip()
        decision.save(update_fields=["status", "authorised_by", "authorised_at", "manager_comment"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            record=decision,
            person=row.person,
            section="front_door.authorisation",
            detail={
                "contact": contact.reference,
                "outcome": decision.outcome,
                "status": Decision.Status.AUTHORISED,
            },
        )
    if all(
        (d := _decision(row)) is not None and d.status == Decision.Status.AUTHORISED for row in rows
    ):
        contact.closed_at = now
        contact.save(update_fields=["closed_at"])
    return contact


@transaction.atomic
def contact_return(
    *, actor: Any, contact: Contact, comment: str, now: datetime | None = None
) -> Contact:
    """A team manager sends the proposed decisions back for more work, saying why."""
    _require_manager(actor)
    if not comment.strip():
        raise ValidationError(
            {"comment": "Enter a comment to say what more work is needed"}, code="required"
        )
    contact, rows = _locked(contact)
    proposed = _proposed(rows)
    if not proposed:
        raise ValidationError("There are no decisions awaiting authorisation on this contact")
    for row, decision in proposed:
        decision.status = Decision.Status.RETURNED
        decision.manager_comment = comment.strip()
        decision.save(update_fields=["status", "manager_comment"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            record=decision,
            person=row.person,
            section="front_door.authorisation",
            detail={
                "contact": contact.reference,
                "outcome": decision.outcome,
                "status": Decision.Status.RETURNED,
            },
        )
    return contact
