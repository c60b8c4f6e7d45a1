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
from evident.front_door import outcomes
from evident.front_door.models import (
    Contact,
    ContactChild,
    Decision,
    LevelOfNeed,
    SubmittedChild,
)
from evident.front_door.services_mash import ChildVoice, child_voice_problems
from evident.people.models import Person
from evident.people.selectors import people_visible_to
from evident.people.services import person_create
from evident.portal.notifications import submission_decided

NO_CHILD_MESSAGE = "Add at least one child to the contact"
SAME_CHILD_TWICE_MESSAGE = "The same child cannot be added to a contact twice"
CONSENT_REASON_NEEDED = (
    Contact.Consent.DISPENSED,
    Contact.Consent.REFUSED,
    Contact.Consent.NOT_SOUGHT,
)
CONSENT_REASON_MESSAGES = {
    Contact.Consent.DISPENSED: "Enter why consent was dispensed with",
    Contact.Consent.REFUSED: "Enter why consent was refused and why the contact goes ahead",
    Contact.Consent.NOT_SOUGHT: "Enter why consent was not sought, for example a risk to the child",
}
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
        problems["consent_reason"] = CONSENT_REASON_MESSAGES[Contact.Consent(consent)]
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
    # A record merged into another since it was chosen (a stale draft) is not linked.
    current = people_visible_to(actor).filter(merged_into__isnull=True)
    found = {p.pk: p for p in current.filter(pk__in=existing_ids)}
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


# Partner submissions (the portal) ---------------------------------------------------------

# The census source for each kind of partner organisation (health may say which service).
PORTAL_SOURCES: dict[str, str] = {
    "police": ReferralSource.POLICE,
    "school": ReferralSource.SCHOOLS,
    "health": ReferralSource.HEALTH_OTHER,
    "housing": ReferralSource.HOUSING,
    "probation": ReferralSource.OTHER_LEGAL,
    "voluntary": ReferralSource.OTHER,
    "other": ReferralSource.OTHER,
}
HEALTH_SOURCES = frozenset(
    {
        ReferralSource.HEALTH_GP,
        ReferralSource.HEALTH_VISITOR,
        ReferralSource.HEALTH_SCHOOL_NURSE,
        ReferralSource.HEALTH_OTHER_PRIMARY,
        ReferralSource.HEALTH_AE,
        ReferralSource.HEALTH_OTHER,
    }
)
SUBMITTED_CHILD_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "approximate_age",
    "address",
    "postcode",
    "school",
)


def portal_source(*, organisation_kind: str, chosen: str = "") -> str:
    """The census source of a partner's submission, from the kind of organisation."""
    if organisation_kind == "health" and chosen in HEALTH_SOURCES:
        return chosen
    return PORTAL_SOURCES.get(organisation_kind, ReferralSource.OTHER)


def _submitted_child_problem(number: int, child: Mapping[str, Any]) -> str:
    if set(child) - set(SUBMITTED_CHILD_FIELDS):
        return f"Child {number} has details that cannot be saved"
    if not str(child.get("first_name") or "").strip():
        return f"Enter the first name of child {number}"
    if not str(child.get("last_name") or "").strip():
        return f"Enter the last name of child {number}"
    if not child.get("date_of_birth") and not str(child.get("approximate_age") or "").strip():
        return f"Enter the date of birth or approximate age of child {number}"
    return ""


def submission_problems(
    *,
    children: Sequence[Mapping[str, Any]],
    concern: str,
    consent: str,
    consent_reason: str,
    referrer_name: str,
    referrer_phone: str,
    referrer_email: str,
) -> dict[str, str]:
    """What stops a partner's submission being saved, by field (empty when nothing does)."""
    problems: dict[str, str] = {}
    if not children:
        problems["children"] = NO_CHILD_MESSAGE
    for number, child in enumerate(children, start=1):
        problem = _submitted_child_problem(number, child)
        if problem:
            problems["children"] = problem
    if not concern.strip():
        problems["concern"] = "Enter your concern"
    if consent not in Contact.Consent.values:
        problems["consent"] = "Select whether the family knows and agrees"
    elif consent == Contact.Consent.REFUSED and not consent_reason.strip():
        problems["consent_reason"] = "Enter why you are making the referral without consent"
    if not referrer_name.strip():
        problems["referrer_name"] = "Enter your name"
    if not referrer_phone.strip():
        problems["referrer_phone"] = "Enter a phone number we can call you on"
    if not referrer_email.strip():
        problems["referrer_email"] = "Enter your email address"
    return problems


@transaction.atomic
def contact_submit(
    *,
    actor: Any,
    children: Sequence[Mapping[str, Any]],
    concern: str,
    consent: str,
    referrer_name: str,
    referrer_phone: str,
    referrer_email: str,
    consent_reason: str = "",
    actions_taken: str = "",
    source: str = "",
    contact_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Contact:
    """A partner submits a concern: a contact received now, from their organisation.

    The children are kept as the partner described them (``SubmittedChild``); no person
    record is created or read. ``contact_id`` lets the portal give the contact its
    draft's id, so a second press of the button finds the contact already saved.
    Raises ``ValidationError`` by field and saves nothing when the submission is refused.
    """
    organisation = actor.organisation
    if not actor.has_role(Role.PARTNER) or organisation is None or organisation.is_council:
        raise PermissionDenied("Only partner-agency users submit concerns through the portal")
    now = now or timezone.now()
    problems = submission_problems(
        children=children,
        concern=concern,
        consent=consent,
        consent_reason=consent_reason,
        referrer_name=referrer_name,
        referrer_phone=referrer_phone,
        referrer_email=referrer_email,
    )
    if problems:
        raise ValidationError(problems)
    source = portal_source(organisation_kind=organisation.kind, chosen=source)
    contact = Contact(
        reference=_next_reference(now.astimezone(LONDON).year),
        received_at=now,
        source=source,
        referrer_name=referrer_name.strip(),
        referrer_organisation=organisation.name,
        referrer_phone=referrer_phone.strip(),
        referrer_email=referrer_email.strip(),
        concern=concern.strip(),
        actions_taken=actions_taken.strip(),
        consent=consent,
        consent_reason=consent_reason.strip(),
        recorded_by=None,
        recorded_at=now,
        submitted_by=actor,
        submitting_organisation=organisation,
    )
    if contact_id is not None:
        contact.pk = contact_id
    contact.save(force_insert=True)
    SubmittedChild.objects.bulk_create(
        SubmittedChild(
            contact=contact,
            first_name=str(child.get("first_name") or "").strip(),
            last_name=str(child.get("last_name") or "").strip(),
            date_of_birth=child.get("date_of_birth") or None,
            approximate_age=str(child.get("approximate_age") or "").strip(),
            address=str(child.get("address") or "").strip(),
            postcode=str(child.get("postcode") or "").strip().upper(),
            school=str(child.get("school") or "").strip(),
        )
        for child in children
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        record=contact,
        section="portal.submission",
        detail={
            "contact": contact.reference,
            "source": source,
            "organisation": organisation.name,
            "children": len(children),
        },
    )
    return contact


def _link(*, actor: Any, submitted: SubmittedChild, person: Person, new_person: bool) -> None:
    """Link a child as submitted to their person record, putting them on the contact."""
    contact = Contact.objects.select_for_update().get(pk=submitted.contact_id)
    submitted = SubmittedChild.objects.select_for_update().get(pk=submitted.pk)
    if contact.closed_at is not None:
        raise ValidationError("The contact has been decided: its children cannot change")
    if submitted.person_id is not None:
        raise ValidationError(f"{submitted.full_name} has already been found in the records")
    row, created = ContactChild.objects.get_or_create(contact=contact, person=person)
    submitted.person = person
    submitted.save(update_fields=["person"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        record=row,
        person=person,
        section="front_door.portal_link",
        detail={
            "contact": contact.reference,
            "submitted_child": submitted.pk,
            "new_person": new_person,
        },
    )


@transaction.atomic
def submitted_child_link(*, actor: Any, submitted: SubmittedChild, person_id: Any) -> Person:
    """A practitioner says which person in the records a partner's child is; the child
    joins the contact (a List 1 row) and can be decided on."""
    if not actor.has_role(*RECORDING_ROLES):
        raise PermissionDenied("Only front-door practitioners and team managers link children")
    current = people_visible_to(actor).filter(merged_into__isnull=True)  # not a merged-away one
    person = current.filter(pk__in=_uuid_or_none(person_id)).first()
    if person is None:
        raise ValidationError("That child could not be found: search again")
    _link(actor=actor, submitted=submitted, person=person, new_person=False)
    return person


@transaction.atomic
def submitted_child_add_person(
    *, actor: Any, submitted: SubmittedChild, details: Mapping[str, Any]
) -> Person:
    """The child is not in the records: add them (``person_create``'s arguments) and link
    them, in one transaction."""
    if not actor.has_role(*RECORDING_ROLES):
        raise PermissionDenied("Only front-door practitioners and team managers add children")
    person = person_create(actor=actor, **details)
    _link(actor=actor, submitted=submitted, person=person, new_person=True)
    return person


def _uuid_or_none(value: Any) -> list[uuid.UUID]:
    try:
        return [value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))]
    except ValueError:
        return []


# Decisions --------------------------------------------------------------------------------


CONFLICT_MESSAGE = (
    "Someone else changed this contact while you were working on it. Your text is below: "
    "check the latest version, then save again"
)


class ContactChangedError(ValidationError):
    """The contact changed after the page the user saved from was shown."""

    def __init__(self) -> None:
        super().__init__(CONFLICT_MESSAGE, code="conflict")


def _changed(contact: Contact) -> None:
    """One more change to a locked contact (decide, authorise, return, allocate)."""
    contact.version += 1
    contact.save(update_fields=["version"])


def _locked(contact: Contact, *, version: int | None = None) -> tuple[Contact, list[ContactChild]]:
    """The contact locked for this transaction (decisions and authorisations queue behind
    each other), with its children and their decisions read afresh.

    With ``version`` (the one the user's page was shown with), raises ``ContactChangedError``
    when someone else has changed the contact since: the lock makes check and change one
    step, so of two saves from the same version only the first goes through."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if version is not None and locked.version != version:
        raise ContactChangedError()
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


def unfound_children_problems(contact: Contact) -> list[str]:
    """A partner's child not yet found in the records would be left out of the decision
    (and of every return built on it), so the contact waits for them."""
    return [
        f"Find {submitted.full_name} (as the partner described them) in the records, "
        "or add them, before deciding"
        for submitted in contact.submitted_children.filter(person__isnull=True)
    ]


@transaction.atomic
def contact_decide(
    *,
    actor: Any,
    contact: Contact,
    decisions: Mapping[int, tuple[str, str]],
    version: int | None = None,
    now: datetime | None = None,
    levels_of_need: Mapping[int, int] | None = None,
    voices: Mapping[int, ChildVoice] | None = None,
) -> list[Decision]:
    """Propose a decision (outcome and rationale) for each child still to be decided.

    ``levels_of_need`` (ContactChild id -> LevelOfNeed id) and ``voices`` (ContactChild
    id -> the child's voice) are recorded with the decisions; the decide page requires
    both for every child it decides.

    ``decisions`` maps a ContactChild id to (outcome, rationale). Every child without an
    authorised decision needs one; siblings' outcomes may differ. A returned or proposed
    decision is replaced by the new proposal; an authorised one can no longer change.
    ``version`` is the contact's version the user worked from: ``ContactChangedError`` (and
    nothing saved) when it has changed since.
    """
    if not actor.has_role(*DECIDING_ROLES):
        raise PermissionDenied("Only front-door practitioners and team managers decide")
    now = now or timezone.now()
    contact, rows = _locked(contact, version=version)
    problems = decision_problems(rows=rows, decisions=decisions)
    problems.extend(unfound_children_problems(contact))
    levels = LevelOfNeed.objects.in_bulk(list((levels_of_need or {}).values()))
    names = {row.pk: row.person.full_name for row in rows}
    for row_id, level_id in (levels_of_need or {}).items():
        if level_id not in levels or row_id not in decisions:
            problems.append(f"Select the level of need for {names.get(row_id, 'the child')}")
    for row_id, voice in (voices or {}).items():
        problems.extend(child_voice_problems(name=names.get(row_id, "the child"), voice=voice))
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
        if levels_of_need and row.pk in levels_of_need:
            decision.level_of_need = levels[levels_of_need[row.pk]]
        if voices and row.pk in voices:
            voice = voices[row.pk]
            known = voice.known == "yes"
            row.voice_known = voice.known
            row.voice_views = voice.views.strip() if known else ""
            row.voice_obtained = voice.obtained if known else ""
            row.save(update_fields=["voice_known", "voice_views", "voice_obtained"])
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
                **(
                    {"level_of_need": decision.level_of_need.number}
                    if decision.level_of_need
                    else {}
                ),
                **({"voice_known": row.voice_known} if row.voice_known else {}),
                **({"previous": previous} if previous else {}),
            },
        )
        saved.append(decision)
    _changed(contact)
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
        # A referral opens a casework episode, early help an early-help episode.
        outcomes.decision_carry_on(
            actor=actor, contact=contact, row=row, decision=decision, now=now
        )
    _changed(contact)
    if all(
        (d := _decision(row)) is not None and d.status == Decision.Status.AUTHORISED for row in rows
    ):
        contact.closed_at = now
        contact.save(update_fields=["closed_at"])
        if contact.submitted_by_id is not None:
            # Feedback to the partner who sent it, once the decision is committed.
            contact_id = contact.pk
            transaction.on_commit(lambda: submission_decided(contact_id=contact_id))
        elif outcomes.referrer_should_be_told(contact):
            # Robust: a mail server failure is logged and leaves ``referrer_told_at`` empty,
            # never an error page for a decision already saved.
            told_id = contact.pk
            transaction.on_commit(lambda: outcomes.referrer_tell(contact_id=told_id), robust=True)
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
    _changed(contact)
    return contact


# Allocation -------------------------------------------------------------------------------

NOT_A_PRACTITIONER = "Choose a practitioner in the front-door team"


def _allocate(*, actor: Any, contact: Contact, to: Any, section: str) -> None:
    previous = contact.allocated_to_id
    contact.allocated_to = to
    contact.version += 1
    contact.save(update_fields=["allocated_to", "version"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=contact,
        section=section,
        detail={"contact": contact.reference, "allocated_to": to.pk, "previous": previous},
    )


@transaction.atomic
def contacts_allocate(*, actor: Any, contacts: Sequence[Contact], to: Any) -> list[Contact]:
    """A team manager allocates open contacts to a front-door practitioner (one audit
    event per contact). Refuses, saving nothing, a target who is not a front-door
    practitioner and contacts already decided. Contacts already with ``to`` are left."""
    from evident.front_door.selectors import front_door_practitioners

    if not actor.has_role(Role.TEAM_MANAGER):
        raise PermissionDenied("Only team managers reallocate contacts")
    if to is None or not front_door_practitioners().filter(pk=to.pk).exists():
        raise ValidationError({"to": NOT_A_PRACTITIONER})
    if not contacts:
        raise ValidationError({"contacts": "Select the contacts to allocate"})
    # Locked in one order, so two managers allocating overlapping sets never deadlock.
    locked = list(
        Contact.objects.select_for_update().filter(pk__in=[c.pk for c in contacts]).order_by("pk")
    )
    closed = [c.reference for c in locked if c.closed_at is not None]
    if closed:
        raise ValidationError(
            {"contacts": f"Contact {', '.join(closed)} has been decided and cannot be allocated"}
        )
    for contact in locked:
        if contact.allocated_to_id != to.pk:
            _allocate(actor=actor, contact=contact, to=to, section="front_door.allocation")
    return locked


@transaction.atomic
def contact_take(*, actor: Any, contact: Contact) -> Contact:
    """A front-door practitioner takes an unallocated open contact to work on."""
    from evident.front_door.selectors import front_door_practitioners

    if not front_door_practitioners().filter(pk=actor.pk).exists():
        raise PermissionDenied("Only front-door practitioners take contacts")
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    if locked.closed_at is not None:
        raise ValidationError("This contact has been decided")
    if locked.allocated_to_id is not None:
        if locked.allocated_to_id == actor.pk:
            return locked
        raise ValidationError(f"This contact has already been taken by {locked.allocated_to}")
    _allocate(actor=actor, contact=locked, to=actor, section="front_door.allocation")
    return locked
