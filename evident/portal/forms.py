"""The portal's questions, one page each. They check what was typed; on submitting,
every step is checked again from the draft before anything is saved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone

from evident.core.codes import ReferralSource
from evident.core.forms import GovukDateField, GovukForm
from evident.front_door.models import Contact

RISK_REASON = "Not sought: telling the family would put the child at risk"


def as_data(stored: dict[str, Any] | None) -> QueryDict:
    """A step's stored answers as form data."""
    data = QueryDict(mutable=True)
    for key, value in (stored or {}).items():
        data[key] = str(value)
    return data


def posted(data: QueryDict, form: forms.Form) -> dict[str, str]:
    """The answers to keep in the draft: only the form's own inputs, as typed."""
    keys: set[str] = set()
    for name, field in form.fields.items():
        widget: Any = field.widget
        if isinstance(widget, forms.MultiWidget):
            keys.update(f"{name}{suffix}" for suffix in widget.widgets_names)  # type: ignore[attr-defined]
        else:
            keys.add(name)
    return {key: data.get(key, "") for key in sorted(keys) if key in data}


class ChildForm(GovukForm):
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter the child's first name"},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter the child's last name"},
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2014"
    )
    approximate_age = forms.CharField(
        label="Approximate age, if you do not know their date of birth",
        required=False,
        max_length=50,
        help_text="For example, about 7",
    )
    address = forms.CharField(
        label="Address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    school = forms.CharField(label="School or nursery", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs.update({"autocomplete": "off"})
        self.fields["last_name"].widget.attrs.update({"autocomplete": "off"})
        self.fields["postcode"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-10", "autocomplete": "off"}
        )
        self.fields["approximate_age"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-10"}
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        born = cleaned.get("date_of_birth")
        if born and born > timezone.localdate():
            self.add_error("date_of_birth", "The date of birth must be in the past")
        elif (
            "date_of_birth" not in self.errors
            and not born
            and not (cleaned.get("approximate_age") or "").strip()
        ):
            self.add_error(
                "date_of_birth", "Enter the child's date of birth or their approximate age"
            )
        return cleaned

    def for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data.get(name) or ("" if name != "date_of_birth" else None)
            for name in (
                "first_name",
                "last_name",
                "date_of_birth",
                "approximate_age",
                "address",
                "postcode",
                "school",
            )
        }


class AddAnotherForm(GovukForm):
    add_another = forms.ChoiceField(
        label="Do you need to add another child?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if you need to add another child"},
    )


class ConcernForm(GovukForm):
    concern = forms.CharField(
        label="What is your concern about the child?",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Say what you saw or were told, when, and by whom. Use their words where you can.",
        error_messages={"required": "Enter your concern"},
    )


class ConsentForm(GovukForm):
    CHOICES = [
        (Contact.Consent.GIVEN, "Yes, I have told the family and they agree"),
        (
            Contact.Consent.DISPENSED,
            "No, I have not told the family because it would put the child at risk",
        ),
        (Contact.Consent.REFUSED, "I have told the family and they do not agree"),
    ]

    actions_taken = forms.CharField(
        label="What have you done about the concern so far?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example, spoken to the child, told your safeguarding lead",
        error_messages={"required": "Enter what you have done about the concern so far"},
    )
    consent = forms.ChoiceField(
        label="Have you told the family about this referral, and do they agree?",
        choices=CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the family knows and agrees"},
    )
    consent_reason = forms.CharField(
        label="If the family do not agree, why are you making the referral?",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("consent") == Contact.Consent.REFUSED
            and not (cleaned.get("consent_reason") or "").strip()
        ):
            self.add_error(
                "consent_reason",
                "Enter why you are making the referral without the family's agreement",
            )
        return cleaned

    def reason_to_save(self) -> str:
        data = self.cleaned_data
        if data["consent"] == Contact.Consent.DISPENSED:
            return RISK_REASON
        if data["consent"] == Contact.Consent.REFUSED:
            return str(data["consent_reason"])
        return ""

    def consent_label(self) -> str:
        return dict(self.CHOICES)[self.cleaned_data["consent"]]


# Which health service a health organisation's referrer works in: the census source
# (3A-3F). Asked only of health organisations' users; anyone else's is left blank.
HEALTH_SERVICES: list[tuple[str, str]] = [
    (ReferralSource.HEALTH_GP.value, "GP practice"),
    (ReferralSource.HEALTH_VISITOR.value, "Health visiting"),
    (ReferralSource.HEALTH_SCHOOL_NURSE.value, "School nursing"),
    (ReferralSource.HEALTH_OTHER_PRIMARY.value, "Another primary health service"),
    (ReferralSource.HEALTH_AE.value, "Accident and emergency (A&E)"),
    (
        ReferralSource.HEALTH_OTHER.value,
        "Another health service, for example a hospital ward or hospice",
    ),
]


class ReferrerForm(GovukForm):
    health_service = forms.ChoiceField(
        label="Which health service do you work in?",
        choices=HEALTH_SERVICES,
        required=False,
        widget=forms.RadioSelect,
        help_text="So we can record who referred the child. If you are not sure, choose the last.",
    )
    referrer_name = forms.CharField(
        label="Your name", max_length=200, error_messages={"required": "Enter your name"}
    )
    job_title = forms.CharField(label="Your job title", required=False, max_length=200)
    referrer_phone = forms.CharField(
        label="Phone number",
        max_length=40,
        help_text="We may need to call you back today",
        error_messages={"required": "Enter a phone number we can call you on"},
    )
    referrer_email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["referrer_phone"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-20", "autocomplete": "tel"}
        )
        self.fields["referrer_email"].widget.attrs.update({"autocomplete": "email"})

    def health_service_label(self) -> str:
        return dict(HEALTH_SERVICES).get(self.cleaned_data.get("health_service") or "", "")


@dataclass
class DraftAnswers:
    """Every step of a draft, re-checked: the check-your-answers page and the submission."""

    children: list[ChildForm]
    concern: ConcernForm | None
    consent: ConsentForm | None
    referrer: ReferrerForm | None

    @classmethod
    def of(cls, data: dict[str, Any]) -> DraftAnswers:
        children = [ChildForm(data=as_data(c)) for c in data.get("children") or []]
        concern = ConcernForm(data=as_data(data["concern"])) if data.get("concern") else None
        consent = ConsentForm(data=as_data(data["consent"])) if data.get("consent") else None
        referrer = ReferrerForm(data=as_data(data["referrer"])) if data.get("referrer") else None
        return cls(children=children, concern=concern, consent=consent, referrer=referrer)

    def first_unanswered(self) -> str | None:
        """The URL name of the first step still to answer (or answered badly)."""
        if not self.children or not all(child.is_valid() for child in self.children):
            return "portal:children"
        if self.concern is None or not self.concern.is_valid():
            return "portal:concern"
        if self.consent is None or not self.consent.is_valid():
            return "portal:consent"
        if self.referrer is None or not self.referrer.is_valid():
            return "portal:referrer"
        return None

    def for_service(self) -> dict[str, Any]:
        """``contact_submit``'s arguments; only when ``first_unanswered()`` is None."""
        assert self.concern is not None  # noqa: S101
        assert self.consent is not None  # noqa: S101
        assert self.referrer is not None  # noqa: S101
        referrer = self.referrer.cleaned_data
        name = referrer["referrer_name"].strip()
        if referrer["job_title"].strip():
            name = f"{name} ({referrer['job_title'].strip()})"
        return {
            "source": referrer.get("health_service") or "",
            "children": [child.for_service() for child in self.children],
            "concern": self.concern.cleaned_data["concern"],
            "actions_taken": self.consent.cleaned_data["actions_taken"],
            "consent": self.consent.cleaned_data["consent"],
            "consent_reason": self.consent.reason_to_save(),
            "referrer_name": name,
            "referrer_phone": referrer["referrer_phone"],
            "referrer_email": referrer["referrer_email"],
        }
