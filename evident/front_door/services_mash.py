"""Writes for the MASH: urgency, information requests to partners and their answers, the
council's front-door standards, and the rules for the child's voice.

Each service is one transaction with its audit events. Changes to a contact are audited
once per child on it, because they are changes to each child's front-door record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from evident.accounts.models import Organisation
from evident.accounts.roles import Role
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.front_door.models import (
    Contact,
    InformationRequest,
    LevelOfNeed,
    Urgency,
    UrgencyStandard,
    VoiceKnown,
    VoiceObtained,
)

MASH_ROLES = (Role.PRACTITIONER, Role.TEAM_MANAGER)


def _require_mash(actor: Any) -> None:
    if not actor.has_role(*MASH_ROLES):
        raise PermissionDenied("Only front-door practitioners and team managers do this")


def _audit_children(
    *, actor: Any, contact: Contact, record: Any, action: Any, section: str, detail: dict[str, Any]
) -> None:
    for row in contact.children.select_related("person"):
        audit_record(
            actor=actor,
            action=action,
            record=record,
            person=row.person,
            section=section,
            detail={"contact": contact.reference, **detail},
        )


# Urgency ----------------------------------------------------------------------------------


@transaction.atomic
def contact_set_urgency(
    *, actor: Any, contact: Contact, urgency: str, reason: str, now: datetime | None = None
) -> Contact:
    """Red, amber or green, with the reason; changing it is allowed (and audited) while
    the contact is open."""
    _require_mash(actor)
    problems: dict[str, str] = {}
    if urgency not in Urgency.values:
        problems["urgency"] = "Select how urgent the contact is"
    if not reason.strip():
        problems["reason"] = "Enter why the contact is this urgent"
    if problems:
        raise ValidationError(problems)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.closed_at is not None:
        raise ValidationError("The contact is closed: its urgency can no longer change")
    previous = contact.urgency
    contact.urgency = urgency
    contact.urgency_reason = reason.strip()
    contact.urgency_set_by = actor
    contact.urgency_set_at = now or timezone.now()
    contact.save(update_fields=["urgency", "urgency_reason", "urgency_set_by", "urgency_set_at"])
    _audit_children(
        actor=actor,
        contact=contact,
        record=contact,
        action=AuditEvent.Action.UPDATE,
        section="front_door.urgency",
        detail={"urgency": urgency, **({"previous": previous} if previous else {})},
    )
    return contact


# Information requests ---------------------------------------------------------------------


@transaction.atomic
def information_request_send(
    *,
    actor: Any,
    contact: Contact,
    organisation: Organisation,
    question: str,
    due_at: datetime,
    now: datetime | None = None,
) -> InformationRequest:
    """Ask a named partner agency about a contact, by a due time."""
    _require_mash(actor)
    now = now or timezone.now()
    problems: dict[str, str] = {}
    if organisation.is_council:
        problems["organisation"] = "Select a partner agency, not the council"
    if not question.strip():
        problems["question"] = "Enter what you are asking the partner"
    if due_at <= now:
        problems["due_date"] = "The answer must be due in the future"
    if problems:
        raise ValidationError(problems)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.closed_at is not None:
        raise ValidationError("The contact is closed: no more information can be requested")
    request = InformationRequest.objects.create(
        contact=contact,
        organisation=organisation,
        question=question.strip(),
        requested_by=actor,
        requested_at=now,
        due_at=due_at,
    )
    _audit_children(
        actor=actor,
        contact=contact,
        record=request,
        action=AuditEvent.Action.CREATE,
        section="front_door.information_request",
        detail={"organisation": organisation.name},
    )
    return request


@transaction.atomic
def information_request_answer(
    *, actor: Any, request: InformationRequest, answer: str, now: datetime | None = None
) -> InformationRequest:
    """A partner answers a request to their own organisation, once; who and when are kept."""
    if (
        not actor.has_role(Role.PARTNER)
        or actor.works_for_council
        or actor.organisation_id != request.organisation_id
    ):
        raise PermissionDenied("Only the partner agency asked can answer this request")
    if not answer.strip():
        raise ValidationError({"answer": "Enter your answer"})
    request = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == InformationRequest.Status.ANSWERED:
        raise ValidationError("This request has already been answered")
    request.answer = answer.strip()
    request.status = InformationRequest.Status.ANSWERED
    request.answered_by = actor
    request.answered_at = now or timezone.now()
    request.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    _audit_children(
        actor=actor,
        contact=request.contact,
        record=request,
        action=AuditEvent.Action.UPDATE,
        section="front_door.information_request",
        detail={"status": InformationRequest.Status.ANSWERED},
    )
    return request


# The council's standards ------------------------------------------------------------------


def _require_admin(actor: Any) -> None:
    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied("Only administrators change the front-door standards")


@transaction.atomic
def urgency_standards_update(
    *, actor: Any, standards: Mapping[str, tuple[int, str]]
) -> list[UrgencyStandard]:
    """Set the response time for each urgency given (urgency -> (amount, unit))."""
    _require_admin(actor)
    saved = []
    for urgency, (amount, unit) in standards.items():
        if urgency not in Urgency.values or unit not in UrgencyStandard.Unit.values:
            raise ValidationError("Unknown urgency or unit")
        if amount < 1:
            raise ValidationError({f"{urgency}_amount": "Enter a whole number, 1 or more"})
        standard, _ = UrgencyStandard.objects.update_or_create(
            urgency=urgency, defaults={"amount": amount, "unit": unit}
        )
        saved.append(standard)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record_type="front_door.urgencystandard",
        section="front_door.standards",
        detail={u: [a, unit] for u, (a, unit) in standards.items()},
    )
    return saved


@transaction.atomic
def level_of_need_save(
    *, actor: Any, number: int, name: str, description: str, level: LevelOfNeed | None = None
) -> LevelOfNeed:
    """Add a level to the continuum (``level`` None) or rename and describe one."""
    _require_admin(actor)
    if not name.strip():
        raise ValidationError({"name": "Enter the name of the level"})
    clash = LevelOfNeed.objects.filter(number=number)
    if level is not None:
        clash = clash.exclude(pk=level.pk)
    if clash.exists():
        raise ValidationError({"number": f"There is already a level {number}"})
    level = level or LevelOfNeed()
    level.number = number
    level.name = name.strip()
    level.description = description.strip()
    level.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        record=level,
        section="front_door.standards",
        detail={"number": number, "name": level.name},
    )
    return level


# The child's voice ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildVoice:
    known: str
    views: str = ""
    obtained: str = ""


def child_voice_problems(*, name: str, voice: ChildVoice) -> list[str]:
    """Whether the child's views are known; when they are, what they are and how."""
    if voice.known not in VoiceKnown.values:
        return [f"Select whether {name}'s views are known"]
    problems = []
    if voice.known == VoiceKnown.YES:
        if not voice.views.strip():
            problems.append(f"Enter {name}'s views")
        if voice.obtained not in VoiceObtained.values:
            problems.append(f"Select how {name}'s views were obtained")
    return problems


# The defaults ------------------------------------------------------------------------------

DEFAULT_LEVELS = (
    (1, "Universal", "Needs met by universal services: schools, GPs, health visitors."),
    (2, "Early help", "Additional needs met by a single agency or early help."),
    (3, "Targeted or complex", "Complex needs: coordinated multi-agency early help."),
    (
        4,
        "Statutory (children's social care)",
        "Acute needs or risk of significant harm: children's social care.",
    ),
)


def front_door_defaults_ensure() -> list[LevelOfNeed]:
    """The default standards and levels where none are saved (the data migration does the
    same; this is for seeding and for a database built without migrations)."""
    defaults = {"red": (4, "hours"), "amber": (1, "days"), "green": (3, "days")}
    for urgency, (amount, unit) in defaults.items():
        UrgencyStandard.objects.get_or_create(
            urgency=urgency, defaults={"amount": amount, "unit": unit}
        )
    for number, name, description in DEFAULT_LEVELS:
        LevelOfNeed.objects.get_or_create(
            number=number, defaults={"name": name, "description": description}
        )
    return list(LevelOfNeed.objects.order_by("number"))
