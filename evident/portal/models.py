"""The partner portal keeps unfinished submissions in the database, so a partner can
stop, sign out and come back to them on another day."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


def empty_draft() -> dict[str, Any]:
    return {"children": [], "concern": None, "consent": None, "referrer": None}


class PortalDraft(models.Model):
    """A concern being written: each step's answers as typed (re-checked on submitting).

    On submitting, the contact takes the draft's id and the draft is deleted in the same
    transaction, so a second press of the button finds the contact, not a second draft.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_drafts"
    )
    data = models.JSONField(default=empty_draft)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Draft {self.pk} by {self.user}"

    @property
    def child_names(self) -> list[str]:
        return [
            f"{c.get('first_name', '')} {c.get('last_name', '')}".strip() or "A child"
            for c in self.data.get("children") or []
            if isinstance(c, dict)
        ]
