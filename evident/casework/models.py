"""Casework after the front door: the child-in-need episode a referral opens, and every
statutory step in it.

The episode is the spine the CIN census and Annex A Lists 3-7 hang off (model.md): each
step below belongs to one episode, so a returns builder walks records, it does not
reconstruct them. Every dated step records who recorded it; the steps a manager signs off
record who and why. Concurrent edits are refused through the episode's ``version``: every
write to an episode or one of its steps locks the episode, checks the version the user's
page was shown with, and bumps it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from evident.core.codes import (
    CategoryOfAbuse,
    PrimaryNeed,
    ReasonForClosure,
    ReferralSource,
)


class Episode(models.Model):
    """A referral to children's social care, and the episode it opens."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="episodes")
    # The child on the contact whose authorised decision was the referral; none when the
    # referral was recorded directly in casework (another route in, e.g. a transfer).
    contact_child = models.OneToOneField(
        "front_door.ContactChild",
        on_delete=models.PROTECT,
        related_name="episode",
        null=True,
        blank=True,
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
    # Census PrimaryNeedCode: set when the episode is assessed or closed (blank until then).
    primary_need = models.CharField(max_length=2, choices=PrimaryNeed.choices, blank=True)
    # Census ReferralNFA: the referral ended in no further action (set at closure: RC8).
    referral_nfa = models.BooleanField(default=False)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=3, choices=ReasonForClosure.choices, blank=True)
    closure_rationale = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referral_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(strategy_discussion_required=False)
                | models.Q(strategy_discussion_due__isnull=False),
                name="strategy_discussion_has_due_date",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True, closure_reason="")
                | (models.Q(closed_on__isnull=False) & ~models.Q(closure_reason="")),
                name="episode_closure_has_date_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.referral_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Allocation(models.Model):
    """Who held the episode, when: one row per allocation (the episode's ``team`` and
    ``worker`` are the current one). A caseload and the allocation history both read it."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="allocations")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="casework_allocations",
        null=True,
        blank=True,
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"Allocation to {self.team_id} from {self.started_at:%d/%m/%Y}"


class Step(models.Model):
    """What every dated step carries: its episode, who recorded it and when."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        abstract = True


class Assessment(Step):
    """A child and family assessment (census Assessments; Annex A List 4)."""

    class Outcome(models.TextChoices):
        NO_FURTHER_ACTION = "nfa", "No further action"
        CIN_PLAN = "cin_plan", "Child-in-need plan"
        EARLY_HELP = "early_help", "Early help"
        STRATEGY_DISCUSSION = "strategy", "Strategy discussion"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="assessments")
    start_date = models.DateField()
    # 45 working days from the referral (clocks.ASSESSMENT), fixed when it starts.
    due_date = models.DateField()
    # Census AssessmentFactors codes (codes.AssessmentFactor), in the order chosen.
    factors = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    # The child's voice: what the child said and how it shaped the assessment.
    child_views = models.TextField(blank=True)
    # Census AssessmentAuthorisationDate: the manager's sign-off ends the assessment.
    authorised_on = models.DateField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    authorisation_rationale = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(authorised_on__isnull=True)
                | models.Q(authorised_on__gte=models.F("start_date")),
                name="assessment_authorised_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment started {self.start_date:%d/%m/%Y}"

    @property
    def requires_support(self) -> bool | None:
        """Annex A List 4: was the child assessed as requiring social care support?"""
        if not self.outcome:
            return None
        return self.outcome in {self.Outcome.CIN_PLAN, self.Outcome.STRATEGY_DISCUSSION}


class StrategyDiscussion(Step):
    """A strategy discussion, with attendance recorded per agency."""

    class Decision(models.TextChoices):
        SECTION_47 = "s47", "Start a section 47 enquiry"
        CHILD_IN_NEED = "cin", "No section 47: continue as a child in need"
        NO_FURTHER_ACTION = "nfa", "No further action"

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="strategy_discussions"
    )
    held_on = models.DateField()
    police_attended = models.BooleanField(default=False)
    health_attended = models.BooleanField(default=False)
    education_attended = models.BooleanField(default=False)
    social_care_attended = models.BooleanField(default=False)
    decision = models.CharField(max_length=3, choices=Decision.choices)
    rationale = models.TextField()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"Strategy discussion {self.held_on:%d/%m/%Y}"


class Section47(Step):
    """A section 47 enquiry (census Section47; Annex A List 5), started by a strategy
    discussion whose date starts the initial conference's clock."""

    class Outcome(models.TextChoices):
        CONFERENCE = "icpc", "Concerns substantiated: initial conference needed"
        SUBSTANTIATED_NO_CONFERENCE = "no_icpc", "Concerns substantiated: no conference needed"
        NOT_SUBSTANTIATED = "unsubstantiated", "Concerns not substantiated"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="section47s")
    strategy_discussion = models.OneToOneField(
        StrategyDiscussion, on_delete=models.PROTECT, related_name="section47"
    )
    start_date = models.DateField()
    # Census InitialCPCtarget: 15 working days from the strategy discussion.
    conference_due = models.DateField()
    outcome = models.CharField(max_length=15, choices=Outcome.choices, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    # Census ICPCnotRequired, and why (recorded with the outcome).
    conference_not_required = models.BooleanField(default=False)
    conference_not_required_reason = models.TextField(blank=True)
    child_views = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "pk"]

    def __str__(self) -> str:
        return f"Section 47 enquiry started {self.start_date:%d/%m/%Y}"


class ChildProtectionPlan(Step):
    """A child protection plan (census ChildProtectionPlans; Annex A List 7)."""

    class EndReason(models.TextChoices):
        NO_LONGER_AT_RISK = "no_risk", "Child no longer at continuing risk"
        STEPPED_DOWN_CIN = "to_cin", "Stepped down to a child-in-need plan"
        LOOKED_AFTER = "in_care", "Child became looked after"
        MOVED_AWAY = "moved", "Child moved to another local authority"
        TURNED_18 = "adult", "Child reached 18"
        DIED = "died", "Child died"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="cp_plans")
    start_date = models.DateField()
    initial_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    latest_category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices)
    # Census NumberOfPreviousCPP: the child's plans that started before this one, counted
    # when it starts (casework.rules.previous_plan_count).
    previous_plans = models.PositiveSmallIntegerField(default=0)
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=8, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="cp_plan_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Child protection plan from {self.start_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class Conference(Step):
    """A child protection conference: the initial one after a section 47 enquiry, or a
    review of a plan (census DateOfInitialCPC; CPPreviewDate)."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial child protection conference"
        REVIEW = "review", "Review child protection conference"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="conferences")
    kind = models.CharField(max_length=7, choices=Kind.choices)
    # An initial conference answers a section 47 enquiry; a review reviews a plan.
    section47 = models.OneToOneField(
        Section47,
        on_delete=models.PROTECT,
        related_name="conference",
        null=True,
        blank=True,
    )
    plan = models.ForeignKey(
        ChildProtectionPlan,
        on_delete=models.PROTECT,
        related_name="conferences",
        null=True,
        blank=True,
    )
    due_date = models.DateField()
    held_on = models.DateField()
    # Initial: the conference made a plan. Review: the plan continues.
    plan_made = models.BooleanField()
    category = models.CharField(max_length=3, choices=CategoryOfAbuse.choices, blank=True)
    decision_rationale = models.TextField()
    child_views = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="initial") & models.Q(section47__isnull=False))
                | (models.Q(kind="review") & models.Q(plan__isnull=False)),
                name="conference_answers_an_enquiry_or_reviews_a_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d/%m/%Y}"


class CoreGroup(Step):
    """A core group meeting of a protection plan (the first within 10 working days)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="core_groups")
    plan = models.ForeignKey(
        ChildProtectionPlan, on_delete=models.CASCADE, related_name="core_groups"
    )
    held_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"Core group {self.held_on:%d/%m/%Y}"


class CINPlan(Step):
    """A child-in-need plan (census CINPlanDates)."""

    class EndReason(models.TextChoices):
        NEEDS_MET = "met", "Needs met: no longer a child in need"
        STEPPED_UP_CP = "to_cp", "Stepped up to a child protection plan"
        STEPPED_DOWN_EH = "to_eh", "Stepped down to early help"
        LOOKED_AFTER = "in_care", "Child became looked after"
        MOVED_AWAY = "moved", "Child moved to another local authority"
        OTHER = "other", "Other"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="cin_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=8, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="cin_plan_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Child-in-need plan from {self.start_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class CINPlanReview(Step):
    """A review of a child-in-need plan."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="cin_plan_reviews")
    plan = models.ForeignKey(CINPlan, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    child_views = models.TextField(blank=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"Child-in-need plan review {self.held_on:%d/%m/%Y}"


class Visit(Step):
    """A visit to the child: during an assessment or an enquiry, or a statutory visit on a
    plan. Whether the child was seen, seen alone, and what they said are first-class."""

    class Purpose(models.TextChoices):
        ASSESSMENT = "assessment", "Assessment"
        SECTION_47 = "s47", "Section 47 enquiry"
        CP_PLAN = "cp_plan", "Child protection plan statutory visit"
        CIN_PLAN = "cin_plan", "Child-in-need plan visit"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="visits")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    visited_on = models.DateField()
    child_seen = models.BooleanField()
    seen_alone = models.BooleanField(default=False)
    child_said = models.TextField(blank=True)

    class Meta:
        ordering = ["visited_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seen_alone=False) | models.Q(child_seen=True),
                name="visit_seen_alone_only_when_seen",
            ),
        ]

    def __str__(self) -> str:
        return f"Visit {self.visited_on:%d/%m/%Y}"


class EmergencyProtection(Step):
    """Police protection (Children Act 1989 s46) or an emergency protection order (s44):
    Annex A List 7 asks about the last six months."""

    class Kind(models.TextChoices):
        POLICE_PROTECTION = "police", "Police protection (section 46)"
        EPO = "epo", "Emergency protection order (section 44)"

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="emergency_protections"
    )
    kind = models.CharField(max_length=6, choices=Kind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    details = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="emergency_protection_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start_date:%d/%m/%Y}"


class PanelReview(Step):
    """The children in need panel's decision and actions on one child's episode."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue the child-in-need plan"
        STEP_DOWN = "step_down", "Step down to early help"
        ESCALATE = "escalate", "Escalate: strategy discussion or conference"
        CLOSE = "close", "Close the episode"

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="panel_reviews")
    held_on = models.DateField()
    # Why the child came to the panel (selectors.PanelReason values), as listed that day.
    reasons = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    actions = models.TextField()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"Panel review {self.held_on:%d/%m/%Y}"
