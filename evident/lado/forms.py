"""LADO forms: they check what was typed; the services check the order of steps."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from evident.core.clocks import LONDON
from evident.core.forms import GovukDateField, GovukForm
from evident.lado.models import (
    Category,
    FollowOn,
    LadoAction,
    LadoConsideration,
    LadoMeeting,
    LadoReferral,
    LadoRetentionRule,
    Outcome,
    RegulatedActivity,
    Sector,
    Source,
)
from evident.lado.services import ActionPlanned, Attendee, ChildInvolved
from evident.people.models import Person

TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def _choices(choices: Any, blank: str = "") -> list[tuple[str, str]]:
    return ([("", blank)] if blank else []) + [(str(v), str(label)) for v, label in choices]


class AdultForm(GovukForm):
    adult_first_name = forms.CharField(
        label="First name of the adult",
        max_length=100,
        error_messages={"required": "Enter the adult's first name"},
    )
    adult_last_name = forms.CharField(
        label="Last name of the adult",
        max_length=100,
        error_messages={"required": "Enter the adult's last name"},
    )
    adult_date_of_birth = GovukDateField(
        label="Adult's date of birth", required=False, help_text="If known. For example, 27 3 1980"
    )
    adult_role = forms.CharField(
        label="Their role or job",
        max_length=200,
        help_text="For example, class teacher, football coach, foster carer",
        error_messages={"required": "Enter the adult's role or job"},
    )
    employer = forms.CharField(
        label="Employer or organisation",
        max_length=200,
        error_messages={"required": "Enter the employer or organisation"},
    )
    sector = forms.ChoiceField(
        label="Sector",
        choices=_choices(Sector.choices, "Choose the sector"),
        error_messages={"required": "Select the sector"},
    )
    regulated_activity = forms.ChoiceField(
        label="Do they work in regulated activity with children?",
        choices=_choices(RegulatedActivity.choices),
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they work in regulated activity"},
    )


def parse_children(text: str) -> list[ChildInvolved]:
    """One child a line: a name, and optionally a comma and a date of birth (27/3/2014)."""
    found: list[ChildInvolved] = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _, dob_text = line.partition(",")
        dob = None
        if dob_text.strip():
            match = re.match(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$", dob_text)
            try:
                dob = date(int(match[3]), int(match[2]), int(match[1])) if match else None
            except ValueError:
                dob = None
            if dob is None:
                raise forms.ValidationError(
                    f"Line {n}: the date of birth must be a real date, like 27/3/2014"
                )
        found.append(ChildInvolved(name=name.strip()[:200], date_of_birth=dob))
    return found


class AllegationForm(GovukForm):
    category = forms.ChoiceField(
        label="What kind of harm is alleged?",
        choices=_choices(Category.choices),
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of harm is alleged"},
    )
    allegation = forms.CharField(
        label="What is alleged",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What happened, when and where, and what has been done so far",
        error_messages={"required": "Enter what is alleged"},
    )
    incident_on = GovukDateField(label="Date of the incident", required=False, help_text="If known")
    children = forms.CharField(
        label="Children involved",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One child a line: their name, and their date of birth after a comma if you "
        "know it. For example, Ava Jones, 27/3/2014",
    )

    def clean_children(self) -> list[ChildInvolved]:
        return parse_children(self.cleaned_data.get("children", ""))


class ReferralRecordForm(AdultForm, AllegationForm):
    """The LADO records a referral or an advice contact (by phone, email, in person)."""

    kind = forms.ChoiceField(
        label="Is this a referral or a request for advice?",
        choices=_choices(LadoReferral.Kind.choices),
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is a referral or a request for advice"},
    )
    source = forms.ChoiceField(
        label="Who told the LADO?",
        choices=_choices(Source.choices),
        widget=forms.RadioSelect,
        error_messages={"required": "Select who told the LADO"},
    )
    referrer_name = forms.CharField(label="Referrer's name", max_length=200, required=False)
    referrer_organisation = forms.CharField(
        label="Referrer's organisation", max_length=200, required=False
    )
    referrer_contact = forms.CharField(
        label="Referrer's phone or email", max_length=200, required=False
    )
    received_on = GovukDateField(label="Date received")
    received_time = forms.CharField(
        label="Time received",
        max_length=5,
        help_text="24-hour clock, for example 09:30",
        error_messages={"required": "Enter the time received"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    child_council_ids = forms.CharField(
        label="Council IDs of children who have a record",
        required=False,
        max_length=500,
        help_text="Separated by commas, to link the children's records",
    )

    field_order = [
        "kind",
        "source",
        "referrer_name",
        "referrer_organisation",
        "referrer_contact",
        "received_on",
        "received_time",
        "adult_first_name",
        "adult_last_name",
        "adult_date_of_birth",
        "adult_role",
        "employer",
        "sector",
        "regulated_activity",
        "category",
        "allegation",
        "incident_on",
        "children",
        "child_council_ids",
    ]

    def clean_received_time(self) -> time:
        match = TIME.match(self.cleaned_data["received_time"])
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise forms.ValidationError("Enter the time received as hours and minutes, like 09:30")
        return time(int(match[1]), int(match[2]))

    def clean_child_council_ids(self) -> list[Person]:
        ids = [p.strip().upper() for p in self.cleaned_data["child_council_ids"].split(",")]
        ids = [i for i in ids if i]
        people = {p.council_id.upper(): p for p in Person.objects.filter(council_id__in=ids)}
        unknown = [i for i in ids if i not in people]
        if unknown:
            raise forms.ValidationError(f"No child has the council ID {', '.join(unknown)}")
        return [people[i] for i in ids]

    def received_at(self) -> datetime:
        return datetime.combine(
            self.cleaned_data["received_on"], self.cleaned_data["received_time"], tzinfo=LONDON
        )

    def all_children(self) -> list[ChildInvolved]:
        linked = [
            ChildInvolved(name=p.full_name, date_of_birth=p.date_of_birth, person_id=p.pk)
            for p in self.cleaned_data["child_council_ids"]
        ]
        return [*linked, *self.cleaned_data["children"]]


class ReferrerForm(GovukForm):
    """The portal's last question: who is referring."""

    referrer_name = forms.CharField(
        label="Your name", max_length=200, error_messages={"required": "Enter your name"}
    )
    referrer_contact = forms.CharField(
        label="Your phone number or email",
        max_length=200,
        error_messages={"required": "Enter your phone number or email"},
    )


class ConsiderationForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=_choices(LadoConsideration.Decision.choices),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    limbs = forms.MultipleChoiceField(
        label="Which limbs of the harm test are met?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only when the harm test is met. The adult has, or may have:",
        choices=[
            (
                "harmed_child",
                "behaved in a way that has harmed a child, or may have harmed a child",
            ),
            (
                "possible_offence",
                "possibly committed a criminal offence against or related to a child",
            ),
            (
                "behaviour_risk",
                "behaved towards a child in a way that indicates they may pose a risk of harm",
            ),
            (
                "unsuitability",
                "behaved in a way that indicates they may not be suitable to work with children",
            ),
        ],
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the rationale for the decision"},
    )

    def clean(self) -> dict[str, Any]:
        # The service checks this too; here it shows beside the other errors at once.
        data = super().clean() or {}
        decision, limbs = data.get("decision"), data.get("limbs") or []
        if decision == LadoConsideration.Decision.MET and not limbs:
            self.add_error("limbs", "Select which limbs of the harm test are met")
        elif decision and decision != LadoConsideration.Decision.MET and limbs:
            self.add_error("limbs", "Limbs of the harm test are only recorded when the test is met")
        return data


ACTION_FIELDS = [
    (LadoAction.Type.EMPLOYER_INVESTIGATION, "owner_employer_investigation"),
    (LadoAction.Type.SUSPENSION, "owner_suspension"),
    (LadoAction.Type.POLICE_INVESTIGATION, "owner_police_investigation"),
    (LadoAction.Type.CSC_ENQUIRIES, "owner_csc_enquiries"),
]


class MeetingForm(GovukForm):
    kind = forms.ChoiceField(
        label="Meeting",
        choices=_choices(LadoMeeting.Kind.choices),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of meeting"},
    )
    held_on = GovukDateField(label="Date of the meeting")
    attendees = forms.CharField(
        label="Who attended",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line: name, then a comma and their agency. For example, "
        "Sam Patel, Northtown Police",
        error_messages={"required": "Enter who attended and their agency"},
    )
    decisions = forms.CharField(
        label="Decisions",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter the decisions made"},
    )
    owner_employer_investigation = forms.CharField(
        label="Employer investigation: owner",
        required=False,
        max_length=200,
        help_text="Leave empty if not agreed",
    )
    owner_suspension = forms.CharField(label="Suspension: owner", required=False, max_length=200)
    owner_police_investigation = forms.CharField(
        label="Police investigation: owner", required=False, max_length=200
    )
    owner_csc_enquiries = forms.CharField(
        label="Children's social care enquiries: owner", required=False, max_length=200
    )
    other_action = forms.CharField(label="Other action", required=False, max_length=500)
    other_owner = forms.CharField(label="Other action: owner", required=False, max_length=200)
    actions_due_on = GovukDateField(label="Actions due by", required=False)

    def clean_attendees(self) -> list[Attendee]:
        found = []
        for n, line in enumerate(self.cleaned_data["attendees"].splitlines(), start=1):
            if not line.strip():
                continue
            name, comma, agency = line.partition(",")
            if not comma or not name.strip() or not agency.strip():
                raise forms.ValidationError(f"Line {n}: give the name, then a comma and the agency")
            found.append(Attendee(name=name.strip()[:200], agency=agency.strip()[:200]))
        if not found:
            raise forms.ValidationError("Enter who attended and their agency")
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("other_action") and not data.get("other_owner"):
            self.add_error("other_owner", "Enter who owns the other action")
        return data

    def actions(self) -> list[ActionPlanned]:
        data = self.cleaned_data
        due = data.get("actions_due_on")
        planned = [
            ActionPlanned(action_type=kind, owner=data[name].strip(), due_on=due)
            for kind, name in ACTION_FIELDS
            if data.get(name, "").strip()
        ]
        if data.get("other_action"):
            planned.append(
                ActionPlanned(
                    action_type=LadoAction.Type.OTHER,
                    owner=data["other_owner"].strip(),
                    description=data["other_action"].strip(),
                    due_on=due,
                )
            )
        return planned


class ActionDoneForm(GovukForm):
    done_on = GovukDateField(label="Date done")


class OutcomeForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=_choices(Outcome.choices),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    concluded_on = GovukDateField(label="Date concluded")
    followed_by = forms.MultipleChoiceField(
        label="What followed",
        choices=_choices(FollowOn.choices),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what followed, or no further action"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class LegalHoldForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the inquiry or proceedings that need the record kept",
        error_messages={"required": "Enter the reason"},
    )


class GrantForm(GovukForm):
    user: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Senior manager",
        queryset=None,
        empty_label="Choose a person",
        error_messages={"required": "Choose the senior manager"},
    )
    reason = forms.CharField(
        label="Why they need access",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why this manager needs access to LADO records"},
    )

    def __init__(self, *args: Any, users: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["user"]
        field.queryset = users
        field.label_from_instance = lambda u: f"{u.get_full_name()} ({u.get_username()})"


class RetentionRuleForm(GovukForm):
    basis = forms.ChoiceField(
        label="Counted", choices=_choices(LadoRetentionRule.Basis.choices), widget=forms.RadioSelect
    )
    years = forms.IntegerField(
        label="Years",
        min_value=1,
        max_value=150,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}
        ),
        error_messages={
            "required": "Enter the number of years",
            "invalid": "Years must be a whole number",
            "min_value": "Years must be between 1 and 150",
            "max_value": "Years must be between 1 and 150",
        },
    )


class TrayFilterForm(GovukForm):
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[
            ("", "Any stage"),
            ("awaiting", "Awaiting consideration"),
            ("management", "Allegations management"),
        ],
    )
    sector = forms.ChoiceField(
        label="Sector", required=False, choices=_choices(Sector.choices, "Any sector")
    )
    rag = forms.ChoiceField(
        label="Initial consideration",
        required=False,
        choices=[("", "Any"), ("red", "Overdue"), ("amber", "Due soon"), ("green", "On track")],
    )
    band = forms.ChoiceField(
        label="Open for",
        required=False,
        choices=[
            ("", "Any time"),
            ("over 1 month", "Over 1 month"),
            ("over 3 months", "Over 3 months"),
            ("over 12 months", "Over 12 months"),
        ],
    )


def current_local_date() -> date:
    return timezone.localdate()
