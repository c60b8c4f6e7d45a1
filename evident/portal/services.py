"""Writes for the partner portal: keeping a draft, and submitting it exactly once."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from evident.front_door.models import Contact
from evident.front_door.services import contact_submit
from evident.portal.models import PortalDraft, empty_draft

STEPS = ("children", "concern", "consent", "referrer")


def portal_draft_create(*, actor: Any) -> PortalDraft:
    if actor.works_for_council:
        raise PermissionDenied("Council staff record contacts at the front door")
    return PortalDraft.objects.create(user=actor, data=empty_draft())


def portal_draft_update(*, actor: Any, draft: PortalDraft, step: str, answers: Any) -> PortalDraft:
    """Keep one step's answers (only ever called with answers that passed the step)."""
    if draft.user_id != actor.pk:
        raise PermissionDenied("Only the person writing a draft can change it")
    if step not in STEPS:
        raise ValueError(f"Unknown step {step!r}")
    draft.data = {**empty_draft(), **draft.data, step: answers}
    draft.updated_at = timezone.now()
    draft.save(update_fields=["data", "updated_at"])
    return draft


def portal_draft_delete(*, actor: Any, draft: PortalDraft) -> None:
    if draft.user_id != actor.pk:
        raise PermissionDenied("Only the person writing a draft can delete it")
    draft.delete()


@transaction.atomic
def portal_draft_submit(
    *, actor: Any, draft_id: uuid.UUID, submission: dict[str, Any]
) -> Contact | None:
    """Submit the draft as a contact and delete the draft, in one transaction.

    The draft row is locked first, so a second press of the button waits, then finds
    the draft gone and gets the contact already saved (it has the draft's id). Returns
    None when there is neither the draft nor a contact from it.
    """
    draft = PortalDraft.objects.select_for_update().filter(pk=draft_id, user=actor).first()
    if draft is None:
        return Contact.objects.filter(pk=draft_id, submitted_by=actor).first()
    contact = contact_submit(actor=actor, contact_id=draft.pk, **submission)
    draft.delete()
    return contact
