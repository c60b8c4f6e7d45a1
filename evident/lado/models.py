"""The LADO: allegations against adults who work with children.

These are restricted records (security.md R5): only LADO officers and the senior managers
named in ``LadoAccessGrant`` read them, through ``evident.lado.selectors``. The adult
concerned is held here as text, never as a ``people.Person``, so the people search and the
person pages cannot find an allegation by the adult's name.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Sector(models.TextChoices):
    EDUCATION = "education", "Education"
    EARLY_YEARS = "early_years", "Early years"
    HEALTH = "health", "Health"
    FAITH = "faith", "Faith organisation"
    SPORT = "sport", "Sport and leisure"
    FOSTER_CARER = "foster_carer", "Foster carer"
    SOCIAL_CARE = "social_care", "Social care"
    POLICE = "police", "Police"
    TRANSPORT = "transport", "Transport"
    VOLUNTARY = "voluntary", "Voluntary and community"
    OTHER = "other", "Other"


class Source(models.TextChoices):
    EMPLOYER = "employer", "Employer or agency"
    POLICE = "police", "Police"
    STAFF = "staff", "Council staff"
    PUBLIC = "public", "Member of the public"
    OTHER = "other", "Other"


class Category(models.TextChoices):
    PHYSICAL = "physical", "Physical abuse"
    SEXUAL = "sexual", "Sexual abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    NEGLECT = "neglect", "Neglect"
    SUITABILITY = "suitability", "Conduct outside work (suitability)"


class RegulatedActivity(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class Outcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", "Substantiated"
    MALICIOUS = "malicious", "Malicious"
    FALSE = "false", "False"
    UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
    UNFOUNDED = "unfounded", "Unfounded"


class FollowOn(models.TextChoices):
    """What followed the outcome (several may apply)."""

    DISCIPLINARY = "disciplinary", "Disciplinary action"
    DISMISSAL = "dismissal", "Dismissal"
    RESIGNATION = "resignation", "Resignation"
    DBS = "dbs", "Referral to the DBS"
    TRA = "tra", "Referral to the Teaching Regulation Agency"
    OFSTED = "ofsted", "Referral to Ofsted"
    NMC = "nmc", "Referral to the NMC"
    HCPC = "hcpc", "Referral to the HCPC"
    SWE = "swe", "Referral to Social Work England"
    TRAINING = "training", "Training or guidance"
    NO_FURTHER_ACTION = "nfa", "No further action"


class LadoReferral(models.Model):
    class Kind(models.TextChoices):
        REFERRAL = "referral", "Referral"
        ADVICE = "advice", "Asking for advice"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REFERRAL)
    received_at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField("Referrer's phone or email", max_length=200, blank=True)
    # The adult concerned.
    adult_first_name = models.CharField(max_length=100)
    adult_last_name = models.CharField(max_length=100)
    adult_date_of_birth = models.DateField(null=True, blank=True)
    adult_role = models.CharField("Role or job", max_length=200)
    employer = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    regulated_activity = models.CharField(
        max_length=10, choices=RegulatedActivity.choices, default=RegulatedActivity.UNKNOWN
    )
    # Metaphone keys of the adult's names, for repeat-concern matching by index.
    adult_first_name_key = models.CharField(max_length=20, blank=True, default="", editable=False)
    adult_last_name_key = models.CharField(max_length=20, blank=True, default="", editable=False)
    # What is alleged.
    category = models.CharField(max_length=20, choices=Category.choices)
    allegation = models.TextField()
    incident_on = models.DateField("Date of the incident", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Submitted by an employer or agency through the portal (both empty otherwise).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="lado_submissions",
        null=True,
        blank=True,
    )
    submitting_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="lado_submissions",
        null=True,
        blank=True,
    )
    # The conclusion.
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    followed_by = models.JSONField(default=list, blank=True)  # FollowOn codes
    outcome_notes = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Retention: the review or destruction date from the council's rule, and a legal hold.
    review_on = models.DateField(null=True, blank=True, db_index=True)
    legal_hold = models.BooleanField(default=False)
    legal_hold_reason = models.TextField(blank=True)
    legal_hold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    legal_hold_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["adult_last_name_key", "adult_first_name_key"], name="lado_adult_keys"
            ),
            models.Index(fields=["adult_date_of_birth"], name="lado_adult_dob"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(concluded_on__isnull=False),
                name="lado_outcome_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: object, **kwargs: object) -> None:
        from evident.people.matching import name_key

        self.adult_first_name_key = name_key(self.adult_first_name)
        self.adult_last_name_key = name_key(self.adult_last_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def adult_name(self) -> str:
        return f"{self.adult_first_name} {self.adult_last_name}".strip()

    @property
    def via_portal(self) -> bool:
        return self.submitting_organisation_id is not None

    def followed_by_labels(self) -> list[str]:
        labels = dict(FollowOn.choices)
        return [str(labels.get(code, code)) for code in self.followed_by]


class LadoChild(models.Model):
    """A child involved; linked to the child's record when there is one."""

    referral = models.ForeignKey(LadoReferral, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class LadoConsideration(models.Model):
    """The LADO's initial consideration: is the harm test met (any of four limbs)?"""

    class Decision(models.TextChoices):
        MET = "met", "Harm test met: allegations management"
        ADVICE = "advice", "Advice only"
        NOT_MET = "not_met", "Harm test not met"

    referral = models.OneToOneField(
        LadoReferral, on_delete=models.CASCADE, related_name="consideration"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    harmed_child = models.BooleanField("Behaved in a way that has harmed a child", default=False)
    possible_offence = models.BooleanField(
        "Possibly committed a criminal offence against or related to a child", default=False
    )
    behaviour_risk = models.BooleanField(
        "Behaved towards a child in a way that indicates they may pose a risk of harm",
        default=False,
    )
    unsuitability = models.BooleanField(
        "Behaved in a way that indicates they may not be suitable to work with children",
        default=False,
    )
    rationale = models.TextField()
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.get_decision_display()

    def limbs(self) -> list[str]:
        return [
            str(getattr(self._meta.get_field(name), "verbose_name", name))
            for name in ("harmed_child", "possible_offence", "behaviour_risk", "unsuitability")
            if getattr(self, name)
        ]


class LadoMeeting(models.Model):
    class Kind(models.TextChoices):
        INITIAL = "initial", "Allegations management meeting"
        REVIEW = "review", "Review meeting"

    referral = models.ForeignKey(LadoReferral, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    held_on = models.DateField()
    decisions = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%d %B %Y}"


class LadoAttendee(models.Model):
    meeting = models.ForeignKey(LadoMeeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    agency = models.CharField(max_length=200)

    class Meta:
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class LadoAction(models.Model):
    class Type(models.TextChoices):
        EMPLOYER_INVESTIGATION = "employer_investigation", "Employer investigation"
        SUSPENSION = "suspension", "Suspension"
        POLICE_INVESTIGATION = "police_investigation", "Police investigation"
        CSC_ENQUIRIES = "csc_enquiries", "Children's social care enquiries"
        OTHER = "other", "Other"

    referral = models.ForeignKey(LadoReferral, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        LadoMeeting, on_delete=models.CASCADE, related_name="actions", null=True, blank=True
    )
    action_type = models.CharField(max_length=30, choices=Type.choices)
    owner = models.CharField("Owner (person and agency)", max_length=200)
    description = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_action_type_display()} ({self.owner})"


class LadoAccessGrant(models.Model):
    """A named senior manager who may read LADO records. Revoked grants stay for the trail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lado_grants"
    )
    reason = models.TextField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="lado_one_live_grant",
            ),
        ]

    def __str__(self) -> str:
        return f"LADO access for {self.user}"


class LadoRetentionRule(models.Model):
    """The council's retention period for one way a LADO record ends (security.md 1.6)."""

    class Applies(models.TextChoices):
        SUBSTANTIATED = "substantiated", "Substantiated"
        MALICIOUS = "malicious", "Malicious"
        FALSE = "false", "False"
        UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
        UNFOUNDED = "unfounded", "Unfounded"
        ADVICE = "advice", "Advice only"
        NOT_MET = "not_met", "Harm test not met"

    class Basis(models.TextChoices):
        BIRTH = "birth", "From the adult's date of birth"
        CLOSURE = "closure", "From closure"

    applies_to = models.CharField(max_length=20, choices=Applies.choices, unique=True)
    basis = models.CharField(max_length=10, choices=Basis.choices)
    years = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["applies_to"]

    def __str__(self) -> str:
        return f"{self.get_applies_to_display()}: {self.years} years {self.get_basis_display().lower()}"
