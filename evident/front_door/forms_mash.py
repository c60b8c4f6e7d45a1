"""Forms for the MASH: urgency, information requests and their answers, and the council's
front-door standards. They check what was typed; the services decide what is saved."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone

from evident.core.clocks import LONDON
from evident.core.forms import GovukDateField, GovukForm
from evident.front_door.models import Urgency, UrgencyStandard
from evident.front_door.selectors_mash import partner_organisations

_TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class UrgencyForm(GovukForm):
    urgency = forms.ChoiceField(
        label="How urgent is the contact?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how urgent the contact is"},
    )
    reason = forms.CharField(
        label="Why",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What makes the contact this urgent",
        error_messages={"required": "Enter why the contact is this urgent"},
    )


class InformationRequestForm(GovukForm):
    """Ask a partner agency: who, what, and by when (the time defaults to the clock's)."""

    organisation = forms.ModelChoiceField(
        label="Partner agency",
        queryset=partner_organisations(),
        empty_label="Select the partner agency",
        error_messages={
            "required": "Select the partner agency to ask",
            "invalid_choice": "Select the partner agency to ask",
        },
    )
    question = forms.CharField(
        label="What you are asking",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The partner sees this and the contact reference only. Name the children "
        "they need to know about, and nothing more",
        error_messages={"required": "Enter what you are asking the partner"},
    )
    due_date = GovukDateField(label="Answer due by", help_text="For example, 27 3 2026")
    due_time = forms.CharField(
        label="Time due",
        max_length=5,
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time the answer is due"},
    )

    def __init__(self, *args: Any, default_due: datetime.datetime | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["due_time"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}
        )
        if default_due is not None:
            local = default_due.astimezone(LONDON)
            self.fields["due_date"].initial = local.date()
            self.fields["due_time"].initial = local.strftime("%H:%M")

    def clean_due_time(self) -> datetime.time:
        match = _TIME_RE.match(self.cleaned_data["due_time"].strip())
        if not match:
            raise forms.ValidationError(
                "Enter the time due in hours and minutes, like 14:30", code="invalid"
            )
        return datetime.time(int(match.group(1)), int(match.group(2)))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, at = cleaned.get("due_date"), cleaned.get("due_time")
        if day is not None and at is not None:
            due_at = datetime.datetime.combine(day, at, tzinfo=LONDON)
            if due_at <= timezone.now():
                self.add_error("due_date", "The answer must be due in the future")
            else:
                cleaned["due_at"] = due_at
        return cleaned


class AnswerForm(GovukForm):
    answer = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What your organisation knows. The council records who answered and when",
        error_messages={"required": "Enter your answer"},
    )


class UrgencyStandardsForm(GovukForm):
    """The response time for red, amber and green (``red_amount``, ``red_unit``...)."""

    def __init__(self, *args: Any, standards: dict[str, UrgencyStandard], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for urgency, standard in standards.items():
            label = Urgency(urgency).label
            self.fields[f"{urgency}_amount"] = forms.IntegerField(
                label=f"{label}: response time",
                min_value=1,
                max_value=100,
                initial=standard.amount,
                widget=forms.TextInput(
                    attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}
                ),
                error_messages={
                    "required": f"Enter the response time for {label.lower()}",
                    "invalid": f"Enter the response time for {label.lower()} as a whole number",
                    "min_value": f"The response time for {label.lower()} must be 1 or more",
                    "max_value": f"The response time for {label.lower()} must be 100 or less",
                },
            )
            self.fields[f"{urgency}_unit"] = forms.ChoiceField(
                label=f"{label}: counted in",
                choices=UrgencyStandard.Unit.choices,
                initial=standard.unit,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                error_messages={"required": f"Select working hours or working days for {label}"},
            )

    def standards(self) -> dict[str, tuple[int, str]]:
        return {
            urgency: (self.cleaned_data[f"{urgency}_amount"], self.cleaned_data[f"{urgency}_unit"])
            for urgency in Urgency.values
            if f"{urgency}_amount" in self.fields
        }


class LevelOfNeedForm(GovukForm):
    number = forms.IntegerField(
        label="Level number",
        min_value=0,
        max_value=20,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}
        ),
        error_messages={
            "required": "Enter the level number",
            "invalid": "Enter the level number as a whole number",
            "min_value": "The level number must be 0 or more",
            "max_value": "The level number must be 20 or less",
        },
    )
    name = forms.CharField(
        label="Name", max_length=100, error_messages={"required": "Enter the name of the level"}
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What needs at this level look like, and who meets them",
    )
