"""Contacts at the front door and the decisions on them.

A contact may name several children; each child's row (``ContactChild``) is one Annex A
List 1 row and carries its own decision, because siblings' outcomes can differ.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models

from evident.core.clocks import CONTACT_DECISION
from evident.core.codes import ReferralSource


class Contact(models.Model):
    class Consent(models.TextChoices):
        GIVEN = "given", "Given"
        DISPENSED = "dispensed", "Dispensed with"
        REFUSED = "refused", "Refused"
        NOT_SOUGHT = "not_sought", "Not yet sought"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    received_at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=2, choices=ReferralSource.choices)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_phone = models.CharField(max_length=40, blank=True)
    referrer_email = models.EmailField(blank=True)
    concern = models.TextField()
    consent = models.CharField(max_length=20, choices=Consent.choices)
    consent_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField()
    # Set when every child's decision has been authorised: the contact leaves the tray.
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def decision_due_at(self) -> datetime:
        return CONTACT_DECISION.due_at(self.received_at)


class ContactChild(models.Model):
    """One child on one contact: the Annex A List 1 row."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="contact_rows"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "person"], name="unique_child_per_contact")
        ]

    def __str__(self) -> str:
        return f"{self.contact}: {self.person}"


class Decision(models.Model):
    """What happens next for one child on a contact, and the manager's authorisation."""

    class Outcome(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        INFORMATION_AND_ADVICE = "advice", "Information and advice"
        EARLY_HELP = "early_help", "Early help"
        REFERRAL = "referral", "Referral to children's social care"
        STRATEGY_DISCUSSION = "strategy", "Strategy discussion"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Awaiting authorisation"
        AUTHORISED = "authorised", "Authorised"
        RETURNED = "returned", "Returned for more work"

    contact_child = models.OneToOneField(
        ContactChild, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    rationale = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    authorised_at = models.DateTimeField(null=True, blank=True)
    manager_comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status="authorised", authorised_at__isnull=False, authorised_by__isnull=False
                )
                | ~models.Q(status="authorised"),
                name="authorised_decision_has_manager",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_child}: {self.get_outcome_display()}"
