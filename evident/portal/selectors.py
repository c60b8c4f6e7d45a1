"""Reads for the partner portal. A partner sees their own organisation's submissions, each
with its status and, once every child's decision is authorised, the outcome in plain
words; never a person record, the council's notes, or another organisation's contacts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.front_door.models import Contact, ContactChild, Decision
from evident.front_door.selectors import contacts_visible_to
from evident.portal.models import PortalDraft

RECEIVED = "Received"
DECISION_MADE = "Decision made"

# What each decision means for the referrer, in plain words.
OUTCOME_WORDS: dict[str, str] = {
    Decision.Outcome.NO_FURTHER_ACTION: (
        "Children's social care will not take any further action."
    ),
    Decision.Outcome.INFORMATION_AND_ADVICE: (
        "The family will be given information and advice. Children's social care will not "
        "take any further action."
    ),
    Decision.Outcome.EARLY_HELP: "The family will be offered early help support.",
    Decision.Outcome.REFERRAL: (
        "Children's social care have accepted a referral and will assess the child's needs."
    ),
    Decision.Outcome.STRATEGY_DISCUSSION: (
        "Children's social care are holding a strategy discussion with partner agencies. "
        "They may contact you for information."
    ),
}


def submissions_for(user: Any) -> QuerySet[Contact]:
    """The contacts the user's organisation submitted through the portal, newest first."""
    if not getattr(user, "is_authenticated", False) or user.works_for_council:
        return Contact.objects.none()
    return (
        contacts_visible_to(user)
        .filter(submitted_by__isnull=False)
        .select_related("submitted_by")
        .prefetch_related("submitted_children")
        .order_by("-received_at", "-reference")
    )


def submission_get_for_user(*, user: Any, contact_id: uuid.UUID | str) -> Contact:
    """One submission, or 404 when it is not the user's organisation's."""
    try:
        return submissions_for(user).get(pk=contact_id)
    except (Contact.DoesNotExist, ValueError) as exc:
        raise Http404("No such submission") from exc


def submission_status(contact: Contact) -> str:
    # A contact is closed only when every child's decision is authorised.
    return DECISION_MADE if contact.closed_at is not None else RECEIVED


@dataclass(frozen=True)
class ChildOutcome:
    name: str  # as the partner submitted it (never the council's record)
    outcome: str


def submission_outcomes(*, user: Any, contact: Contact, path: str = "") -> list[ChildOutcome]:
    """The outcome for each child, in plain words, once the contact is decided; empty
    before. Telling the referrer a child's outcome is a read of that child's decision, so
    each one is audited before it is returned."""
    if contact.closed_at is None:
        return []
    rows = list(
        ContactChild.objects.filter(contact=contact, decision__status=Decision.Status.AUTHORISED)
        .select_related("decision", "person")
        .order_by("id")
    )
    submitted = {
        child.person_id: child.full_name
        for child in contact.submitted_children.all()
        if child.person_id is not None
    }
    outcomes = []
    with transaction.atomic():
        for row in rows:
            audit_record(
                actor=user,
                action=AuditEvent.Action.VIEW,
                record=row.decision,
                person=row.person,
                section="portal.outcome",
                path=path,
                detail={"contact": contact.reference},
            )
            outcomes.append(
                ChildOutcome(
                    name=submitted.get(row.person_id, "A child on your referral"),
                    outcome=OUTCOME_WORDS[row.decision.outcome],
                )
            )
    return outcomes


def drafts_of(user: Any) -> QuerySet[PortalDraft]:
    return PortalDraft.objects.filter(user=user).order_by("-updated_at")


def draft_get_for_user(*, user: Any, draft_id: uuid.UUID | str) -> PortalDraft:
    """The user's own draft, or 404 (nobody else's drafts, not even a colleague's)."""
    try:
        return drafts_of(user).get(pk=draft_id)
    except (PortalDraft.DoesNotExist, ValueError) as exc:
        raise Http404("No such draft") from exc
