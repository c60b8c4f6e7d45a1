"""Casework after the front door: the child-in-need episode a referral opens.

The episode is the spine the CIN census and Annex A Lists 3-7 hang off (model.md). This
first cut holds what the front door hands over; assessments, section 47 enquiries, plans
and closure reasons are added to it later.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from evident.core.codes import ReferralSource


class Episode(models.Model):
    """A referral to children's social care, and the episode it opens."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="episodes")
    # The child on the contact whose authorised decision was the referral.
    contact_child = models.OneToOneField(
        "front_door.ContactChild", on_delete=models.PROTECT, related_name="episode"
    )
    # The census referral date: the day the contact was received (UK time).
    referral_date = models.DateField(db_index=True)
    referral_source = models.CharField(max_length=2, choices=ReferralSource.choices)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="episodes")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="allocated_episodes",
        null=True,
        blank=True,
    )
    allocated_at = models.DateTimeField(null=True, blank=True)
    strategy_discussion_required = models.BooleanField(default=False)
    # The same working day as the decision (the next working day when made on a day off).
    strategy_discussion_due = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    # Closure (date and census reason RC1-RC9) is recorded by later casework.
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, blank=True)

    class Meta:
        ordering = ["-referral_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(strategy_discussion_required=False)
                | models.Q(strategy_discussion_due__isnull=False),
                name="strategy_discussion_has_due_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.referral_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None
