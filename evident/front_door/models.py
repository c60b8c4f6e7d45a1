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


class Urgency(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class Contact(models.Model):
    class Consent(models.TextChoices):
        GIVEN = "given", "Given"
        DISPENSED = "dispensed", "Dispensed with"
        REFUSED = "refused", "Refused"
        NOT_SOUGHT = "not_sought", "Not sought"

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
    # Submitted by a partner through the portal (both empty when recorded by the council).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="portal_submissions",
        null=True,
        blank=True,
    )
    submitting_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="portal_submissions",
        null=True,
        blank=True,
    )
    # What the partner has already done about the concern (portal submissions).
    actions_taken = models.TextField(blank=True)
    # The partner system's own reference for a notice sent through the API: the same
    # notice sent twice makes one contact (unique per submitting organisation).
    sender_reference = models.CharField(max_length=100, blank=True, default="")
    # When the referrer (not a portal user) was emailed the outcome; empty until then.
    referrer_told_at = models.DateTimeField(null=True, blank=True)
    # The MASH's red/amber/green urgency: its own response time (``UrgencyStandard``)
    # runs beside the statutory one working day for the decision.
    urgency = models.CharField(max_length=10, choices=Urgency.choices, blank=True)
    urgency_reason = models.TextField(blank=True)
    urgency_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    urgency_set_at = models.DateTimeField(null=True, blank=True)
    # The front-door practitioner working on the contact (none until someone takes it).
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="allocated_contacts",
        null=True,
        blank=True,
    )
    # Raised by every change to the contact or its decisions, so a save made from an
    # out-of-date page is refused (two practitioners working on one contact at once).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitting_organisation", "sender_reference"],
                condition=~models.Q(sender_reference=""),
                name="unique_sender_reference_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def decision_due_at(self) -> datetime:
        return CONTACT_DECISION.due_at(self.received_at)

    @property
    def came_through_portal(self) -> bool:
        return self.submitted_by_id is not None


class SubmittedChild(models.Model):
    """A child as a partner described them on a portal submission.

    Not a person record: partners never create or see people. A front-door practitioner
    finds the child in the records (or adds them) and links the two (``person``).
    """

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="submitted_children"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    # When the referrer does not know the date of birth: "about 7", "teenager".
    approximate_age = models.CharField(max_length=50, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    school = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.contact}: {self.full_name} (as submitted)"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class VoiceKnown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable (for example, a baby)"


class VoiceObtained(models.TextChoices):
    DIRECTLY = "directly", "Spoke to the child directly"
    REFERRER = "referrer", "Through the referrer"
    PARENT = "parent", "Through a parent or carer"
    OBSERVED = "observed", "Observed (non-verbal)"
    OTHER = "other", "Other"


class ContactChild(models.Model):
    """One child on one contact: the Annex A List 1 row."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="contact_rows"
    )
    # The child's voice at the front door, as fields (recorded with the decision).
    voice_known = models.CharField(max_length=20, choices=VoiceKnown.choices, blank=True)
    voice_views = models.TextField(blank=True)
    voice_obtained = models.CharField(max_length=20, choices=VoiceObtained.choices, blank=True)

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
    # The threshold: where the child's needs sit on the council's continuum. Empty only
    # on decisions proposed before levels were recorded; the decide form requires it.
    level_of_need = models.ForeignKey(
        "front_door.LevelOfNeed",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

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


# The MASH: the council's front-door standards and information sharing ----------------------


class UrgencyStandard(models.Model):
    """The council's own response time for one urgency (red, amber or green).

    A working hour is an hour between 09:00 and 17:00 on a working day (8 a day); a working
    day is as ``evident.core.working_days`` counts them. Edited on the standards page.
    """

    class Unit(models.TextChoices):
        WORKING_HOURS = "hours", "Working hours"
        WORKING_DAYS = "days", "Working days"

    urgency = models.CharField(max_length=10, choices=Urgency.choices, unique=True)
    amount = models.PositiveSmallIntegerField()
    unit = models.CharField(max_length=10, choices=Unit.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=1), name="urgency_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_urgency_display()}: {self.length}"

    @property
    def length(self) -> str:
        """The standard in words, singular for one: "1 working day", "4 working hours"."""
        unit = self.get_unit_display().lower()
        return f"{self.amount} {unit[:-1] if self.amount == 1 else unit}"


class LevelOfNeed(models.Model):
    """One level on the council's continuum of need (typically 1 to 4)."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Level {self.number}: {self.name}"


class InformationRequest(models.Model):
    """A question the MASH sends a named partner agency about a contact, and its answer.

    The partner sees the question and the contact's reference only: never the children's
    records, beyond what the practitioner chose to write in the question.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting answer"
        ANSWERED = "answered", "Answered"

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="information_requests"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="information_requests"
    )
    question = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="answered")
                | models.Q(answered_at__isnull=False, answered_by__isnull=False),
                name="answered_request_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact}: request to {self.organisation}"

    def is_overdue(self, now: datetime) -> bool:
        return self.status == self.Status.OPEN and now > self.due_at


class EarlyHelpEpisode(models.Model):
    """Early help for one child, opened when a manager authorises an early-help decision:
    the Annex A List 2 row (assessment start and completion, who completes it)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="early_help_episodes"
    )
    contact_child = models.OneToOneField(
        ContactChild, on_delete=models.PROTECT, related_name="early_help"
    )
    assessment_start_date = models.DateField(db_index=True)
    assessment_completion_date = models.DateField(null=True, blank=True)
    # Free text, as List 2 asks: an early help team, a school, a health visiting service.
    organisation_completing = models.CharField(max_length=200)
    lead_professional = models.CharField(max_length=200, blank=True)
    # The day the early help itself ended (support goes on after the assessment).
    ended_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessment_start_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assessment_completion_date__isnull=True)
                | models.Q(assessment_completion_date__gte=models.F("assessment_start_date")),
                name="early_help_completed_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("assessment_start_date")),
                name="early_help_ended_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Early help from {self.assessment_start_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None
