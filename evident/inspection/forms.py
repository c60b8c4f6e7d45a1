"""Input checking only; the services hold the rules and say what is wrong with dates."""

from __future__ import annotations

from typing import Any

from django import forms

from evident.core.forms import GovukDateField, GovukForm
from evident.inspection import rules
from evident.inspection.models import Action, Activity, Board, Document, Finding
from evident.performance.indicators.registry import indicator_list


def _indicator_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *((i.code, i.title) for i in indicator_list())]


class ActivityForm(GovukForm):
    kind = forms.ChoiceField(label="Kind of activity", choices=Activity.Kind.choices)
    theme = forms.CharField(
        label="Theme",
        required=False,
        max_length=200,
        help_text="For focused visits and JTAIs, for example Front door or Care leavers",
    )
    partner_inspectorates = forms.CharField(
        label="Partner inspectorates",
        required=False,
        max_length=200,
        help_text="For a JTAI, for example CQC, HMICFRS, HMIP",
    )
    starts_on = GovukDateField(label="First day", help_text="For example, 20 2 2024")
    ends_on = GovukDateField(label="Last day", required=False)
    inspectors = forms.CharField(label="Inspectors", required=False, max_length=500)
    outcome = forms.CharField(label="Outcome", required=False, widget=forms.Textarea)
    published_on = GovukDateField(label="Letter or report published", required=False)


class NotificationForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of inspection",
        choices=[
            (k.value, k.label)
            for k in (Activity.Kind.SHORT, Activity.Kind.STANDARD, Activity.Kind.JTAI)
        ],
        widget=forms.RadioSelect,
    )
    notified_on = GovukDateField(label="Date of notification", help_text="For example, 2 3 2026")
    starts_on = GovukDateField(
        label="First day on site",
        required=False,
        help_text="Leave blank to count the usual notice in working days",
    )
    theme = forms.CharField(label="Theme (JTAI)", required=False, max_length=200)
    partner_inspectorates = forms.CharField(
        label="Partner inspectorates (JTAI)", required=False, max_length=200
    )


class DocumentForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200)
    file = forms.FileField(
        label="File", help_text="A PDF, Word document or image, smaller than 10 MB"
    )


class FindingsForm(GovukForm):
    """The letter or report: a grade per area graded on the activity's date, then findings
    one per line."""

    published_on = GovukDateField(label="Date published", required=False)
    inspectors = forms.CharField(label="Inspectors", required=False, max_length=500)
    outcome = forms.CharField(label="Summary of the outcome", required=False, widget=forms.Textarea)
    strengths = forms.CharField(
        label="Strengths", required=False, widget=forms.Textarea, help_text="One per line"
    )
    recommendations = forms.CharField(
        label="What needs to improve (recommendations)",
        required=False,
        widget=forms.Textarea,
        help_text="One per line",
    )
    priority_actions = forms.CharField(
        label="Areas for priority action",
        required=False,
        widget=forms.Textarea,
        help_text="One per line",
    )
    improvements = forms.CharField(
        label="Areas for improvement",
        required=False,
        widget=forms.Textarea,
        help_text="One per line",
    )

    FINDING_FIELDS = (
        ("strengths", Finding.Kind.STRENGTH),
        ("recommendations", Finding.Kind.RECOMMENDATION),
        ("priority_actions", Finding.Kind.PRIORITY_ACTION),
        ("improvements", Finding.Kind.IMPROVEMENT),
    )

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.areas: list[rules.Area] = []
        if activity.is_graded:
            self.areas = list(rules.areas_graded_on(activity.starts_on))
            current = {j.area: j.grade for j in activity.judgements.all()}
            for position, area in enumerate(self.areas):
                field = forms.TypedChoiceField(
                    label=area.label,
                    choices=[("", "Not recorded"), *((str(g), n) for g, n in rules.GRADES.items())],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=current.get(area.value),
                )
                # Grades first, in the framework's order.
                self.fields = {
                    **dict(list(self.fields.items())[: position + 1]),
                    f"judgement_{area.value}": field,
                    **dict(list(self.fields.items())[position + 1 :]),
                }
        if activity.kind not in Activity.PLAN_KINDS:
            del self.fields["priority_actions"]

    def judgements(self) -> dict[str, int]:
        return {
            area.value: self.cleaned_data[f"judgement_{area.value}"]
            for area in self.areas
            if self.cleaned_data.get(f"judgement_{area.value}")
        }

    def findings(self) -> list[tuple[str, str]]:
        found = []
        for name, kind in self.FINDING_FIELDS:
            for line in (self.cleaned_data.get(name) or "").splitlines():
                if line.strip():
                    found.append((kind.value, line.strip()))
        return found


class ChecklistTemplateItemForm(GovukForm):
    title = forms.CharField(label="Item", max_length=200)
    owner = forms.CharField(label="Owner", max_length=120, required=False)
    due_working_days = forms.IntegerField(
        label="Due (working days after notification)", min_value=0, max_value=10, initial=1
    )


class PriorityForm(GovukForm):
    title = forms.CharField(label="Priority", max_length=200)
    findings = forms.ModelMultipleChoiceField(
        label="Findings it answers",
        queryset=Finding.objects.exclude(kind=Finding.Kind.STRENGTH).select_related("activity"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ActionForm(GovukForm):
    title = forms.CharField(label="Action", max_length=300)
    owner = forms.CharField(label="Owner", max_length=120)
    set_on = GovukDateField(label="Date set")
    due_on = GovukDateField(label="Due date")
    findings = forms.ModelMultipleChoiceField(
        label="Findings it answers",
        queryset=Finding.objects.exclude(kind=Finding.Kind.STRENGTH).select_related("activity"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ActionUpdateForm(GovukForm):
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices)
    due_on = GovukDateField(label="Due date")
    completed_on = GovukDateField(label="Date completed", required=False)
    rag_override = forms.ChoiceField(
        label="Rating", choices=Action.RagOverride.choices, required=False
    )
    rag_override_reason = forms.CharField(
        label="Reason for overriding the suggested rating", max_length=300, required=False
    )


class ProgressUpdateForm(GovukForm):
    written_on = GovukDateField(label="Date of the update")
    text = forms.CharField(label="Progress", widget=forms.Textarea)


class EvidenceForm(GovukForm):
    indicator_code = forms.ChoiceField(label="Indicator", required=False, choices=[])
    document = forms.ModelChoiceField(
        label="Or a document",
        queryset=Document.objects.defer("content"),
        required=False,
        empty_label="No document",
    )
    note = forms.CharField(label="Or another record (describe it)", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["indicator_code"]
        field.choices = _indicator_choices("No indicator")


class TargetForm(GovukForm):
    indicator_code = forms.ChoiceField(label="Indicator", choices=[])
    target = forms.DecimalField(label="Target (%)", max_digits=6, decimal_places=1)
    tolerance = forms.DecimalField(
        label="Tolerance (percentage points)", max_digits=5, decimal_places=1, initial=0
    )
    england = forms.DecimalField(
        label="England (%)", max_digits=6, decimal_places=1, required=False
    )
    england_source = forms.CharField(label="Source of England's figure", required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["indicator_code"]
        field.choices = _indicator_choices("Choose an indicator")


class BoardForm(GovukForm):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind of board", choices=Board.Kind.choices)
    chair = forms.CharField(label="Chair", max_length=120, required=False)


class MeetingForm(GovukForm):
    held_on = GovukDateField(label="Date of the meeting")
    agenda = forms.CharField(label="Agenda", widget=forms.Textarea, required=False)
    attendance = forms.CharField(label="Attendance", widget=forms.Textarea, required=False)
    decisions = forms.CharField(label="Decisions", widget=forms.Textarea, required=False)


class MeetingActionForm(GovukForm):
    text = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "Enter what the action is"},
    )
    owner = forms.CharField(
        label="Owner",
        max_length=120,
        help_text="The person or role who will do it",
        error_messages={"required": "Enter who owns the action"},
    )
    due_on = GovukDateField(label="Due by", help_text="For example, 15 1 2027")


class MeetingActionDoneForm(GovukForm):
    done_on = GovukDateField(label="Date done", help_text="For example, 15 1 2027")
    note = forms.CharField(
        label="What was done (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


SELF_EVALUATION_QUESTIONS = (
    ("know", "What do we know about the quality and impact of our social work practice?"),
    ("how", "How do we know it?"),
    ("plans", "What are our plans to maintain or improve it?"),
)


class SelfEvaluationForm(GovukForm):
    """One text box per judgement area and question."""

    def __init__(self, *args: Any, year: int, sections: dict[str, dict[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        from datetime import date

        # Practice areas only: overall effectiveness is a verdict, not a practice question.
        self.areas = [a for a in rules.areas_graded_on(date(year, 4, 1)) if a != rules.Area.OVERALL]
        for area in self.areas:
            for key, question in SELF_EVALUATION_QUESTIONS:
                self.fields[f"{area.value}__{key}"] = forms.CharField(
                    label=f"{area.label}: {question}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    initial=sections.get(area.value, {}).get(key, ""),
                )

    def sections(self) -> dict[str, dict[str, str]]:
        return {
            area.value: {
                key: self.cleaned_data.get(f"{area.value}__{key}", "")
                for key, _ in SELF_EVALUATION_QUESTIONS
            }
            for area in self.areas
        }


class ShareForm(GovukForm):
    shared_on = GovukDateField(label="Date shared with Ofsted")
