"""Forms for casework. They check what was typed; the services decide what is saved."""

from __future__ import annotations

from typing import Any

from django import forms

from evident.accounts.models import Team, User
from evident.casework.models import (
    Assessment,
    ChildProtectionPlan,
    EmergencyProtection,
    PanelReview,
    Section47,
    StrategyDiscussion,
    Visit,
)
from evident.core.codes import (
    AssessmentFactor,
    CategoryOfAbuse,
    PrimaryNeed,
    ReasonForClosure,
    ReferralSource,
)
from evident.core.forms import GovukDateField, GovukForm


class AllocateForm(GovukForm):
    """A social worker in the episode's team, or in another casework team (which transfers
    the episode to that team)."""

    worker = forms.ChoiceField(
        label="Social worker",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a social worker to allocate the referral to",
            "invalid_choice": "Select a social worker in the team",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, workers: list[tuple[User, Team]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._workers = {str(worker.pk): (worker, team) for worker, team in workers}
        fields: Any = self.fields
        fields["worker"].choices = [
            (key, f"{worker.get_full_name() or worker.username} ({team.name})")
            for key, (worker, team) in self._workers.items()
        ]

    def chosen_worker(self) -> User:
        return self._workers[self.cleaned_data["worker"]][0]

    def chosen_team(self) -> Team:
        return self._workers[self.cleaned_data["worker"]][1]


# The statutory steps. Each carries the episode's version its page was shown with, so a
# save over someone else's change is refused (services.EpisodeChangedError).

HINT = "For example, 27 3 2026"
YES_NO = [("yes", "Yes"), ("no", "No")]


def _date(label: str, required: bool = True) -> GovukDateField:
    return GovukDateField(label=label, help_text=HINT, required=required)


def _text(label: str, *, required: bool = False, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=hint,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def _choice(label: str, choices: Any, message: str, radios: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={"required": message, "invalid_choice": message},
    )


CHILD_VOICE_HINT = "In the child's words where you can: what they said and how it shaped the step"


class StepForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReferralForm(GovukForm):
    council_id = forms.CharField(
        label="Child's council ID",
        max_length=20,
        help_text="The ID on the child's record (find them with 'Find a person')",
        error_messages={"required": "Enter the child's council ID"},
    )
    referral_date = _date("Referral date")
    source = _choice(
        "Referral source", ReferralSource.choices, "Select where the referral came from", False
    )
    team = forms.ChoiceField(
        label="Team",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the team", "invalid_choice": "Select the team"},
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._teams = {str(team.pk): team for team in teams}
        fields: Any = self.fields
        fields["team"].choices = [(key, team.name) for key, team in self._teams.items()]

    def chosen_team(self) -> Team:
        return self._teams[self.cleaned_data["team"]]


class AssessmentStartForm(StepForm):
    start_date = _date("Start date")


class AssessmentRecordForm(StepForm):
    factors = forms.MultipleChoiceField(
        label="Factors identified",
        choices=AssessmentFactor.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="The Children in Need census codes: choose every factor found",
        error_messages={"required": "Select the factors identified at the assessment"},
    )
    outcome = _choice("Outcome", Assessment.Outcome.choices, "Select the outcome of the assessment")
    primary_need = _choice(
        "Primary need", PrimaryNeed.choices, "Select the child's primary need", False
    )
    completed_on = _date("Date completed")
    child_views = _text("The child's views", hint=CHILD_VOICE_HINT)


class PrimaryNeedForm(StepForm):
    primary_need = _choice(
        "Primary need", PrimaryNeed.choices, "Select the child's primary need", False
    )


class AssessmentAuthoriseForm(StepForm):
    authorised_on = _date("Date authorised")
    rationale = _text("Reason for your decision", required=True)


class VisitForm(StepForm):
    purpose = _choice(
        "What was the visit for", Visit.Purpose.choices, "Select what the visit was for"
    )
    visited_on = _date("Date of the visit")
    child_seen = _choice("Was the child seen?", YES_NO, "Select whether the child was seen")
    seen_alone = _choice(
        "Was the child seen alone?", YES_NO, "Select whether the child was seen alone"
    )
    child_said = _text("What the child said", hint=CHILD_VOICE_HINT)


class StrategyDiscussionForm(StepForm):
    held_on = _date("Date of the discussion")
    agencies = forms.MultipleChoiceField(
        label="Who took part",
        choices=[
            ("police", "Police"),
            ("health", "Health"),
            ("education", "Education"),
            ("social_care", "Children's social care"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select every agency that took part",
    )
    decision = _choice(
        "Decision", StrategyDiscussion.Decision.choices, "Select the decision of the discussion"
    )
    rationale = _text("Reasons for the decision", required=True)


class Section47OutcomeForm(StepForm):
    outcome = _choice("Outcome", Section47.Outcome.choices, "Select the outcome of the enquiry")
    completed_on = _date("Date the enquiry ended")
    not_required_reason = _text(
        "Why an initial conference is not needed", hint="Only when no conference is needed"
    )
    child_views = _text("The child's views", hint=CHILD_VOICE_HINT)


class InitialConferenceForm(StepForm):
    held_on = _date("Date of the conference")
    plan_made = _choice(
        "Did the conference make a child protection plan?", YES_NO, "Select whether a plan was made"
    )
    category = forms.ChoiceField(
        label="Category of abuse",
        choices=[("", "Not applicable"), *CategoryOfAbuse.choices],
        required=False,
        help_text="Only when a plan is made",
    )
    rationale = _text("Reasons for the decision", required=True)
    child_views = _text("The child's views", hint=CHILD_VOICE_HINT)


class CoreGroupForm(StepForm):
    held_on = _date("Date of the meeting")
    notes = _text("Notes")


class ReviewConferenceForm(StepForm):
    held_on = _date("Date of the conference")
    plan_continues = _choice("Does the plan continue?", YES_NO, "Select whether the plan continues")
    category = forms.ChoiceField(
        label="Latest category of abuse",
        choices=[("", "Not applicable"), *CategoryOfAbuse.choices],
        required=False,
        help_text="When the plan continues",
    )
    end_reason = forms.ChoiceField(
        label="Why the plan ends",
        choices=[("", "Not applicable"), *ChildProtectionPlan.EndReason.choices],
        required=False,
        help_text="When the plan ends",
    )
    rationale = _text("Reasons for the decision", required=True)
    child_views = _text("The child's views", hint=CHILD_VOICE_HINT)


class PlanEndForm(StepForm):
    end_date = _date("End date")
    end_reason = forms.ChoiceField(label="Why the plan ends", choices=[])

    def __init__(self, *args: Any, reasons: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["end_reason"].choices = list(reasons)
        fields["end_reason"].widget = forms.RadioSelect(choices=list(reasons))
        fields["end_reason"].error_messages = {
            "required": "Select why the plan ends",
            "invalid_choice": "Select why the plan ends",
        }


class CINPlanStartForm(StepForm):
    start_date = _date("Start date")


class CINPlanReviewForm(StepForm):
    held_on = _date("Date of the review")
    notes = _text("Notes")
    child_views = _text("The child's views", hint=CHILD_VOICE_HINT)


class EmergencyProtectionForm(StepForm):
    kind = _choice(
        "Kind",
        EmergencyProtection.Kind.choices,
        "Select police protection or an emergency protection order",
    )
    start_date = _date("Start date")
    end_date = _date("End date", required=False)
    details = _text("Details")


class ClosureForm(StepForm):
    closed_on = _date("Closure date")
    reason = _choice(
        "Reason for closure",
        ReasonForClosure.choices,
        "Select the reason for closing the episode",
        False,
    )
    primary_need = _choice(
        "Primary need", PrimaryNeed.choices, "Select the child's primary need", False
    )
    rationale = _text("Reason for your decision", required=True)


class PanelReviewForm(StepForm):
    held_on = _date("Date of the panel")
    decision = _choice(
        "Panel decision", PanelReview.Decision.choices, "Select the panel's decision"
    )
    actions = _text("Actions agreed", required=True)
