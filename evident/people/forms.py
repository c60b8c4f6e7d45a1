"""Forms for finding and adding people. The rules live in ``services.person_details_validate``
so that a service called without a form refuses the same bad input."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from evident.core.codes import Disability, Ethnicity, Gender, Sex, UPNUnknown
from evident.core.forms import GovukDateField, GovukForm
from evident.people.identifiers import format_nhs_number, normalise_nhs_number, validate_postcode
from evident.people.models import Person
from evident.people.selectors import name_words
from evident.people.services import person_details_fingerprint, person_details_validate

NUMERIC = {"inputmode": "numeric", "spellcheck": "false", "autocomplete": "off"}


def _text(label: str, *, required: bool = False, max_length: int = 100, **kwargs: Any) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


class PersonForm(GovukForm):
    """A new person: a child, an unborn child or an adult. Reusable inside other flows:
    give it a ``prefix`` and pass ``person_create_kwargs()`` to ``person_create``."""

    template_name = "people/person_form.html"
    with_address = True
    # The person whose details are being changed (``PersonDetailsForm``); None when adding.
    person: Person | None = None
    date_of_birth_required = True

    first_name = _text("First name", required=True)
    last_name = _text("Last name", required=True)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2014"
    )
    unborn = forms.BooleanField(label="Not born yet", required=False)
    expected_date_of_birth = GovukDateField(
        label="Expected date of birth", required=False, help_text="For example, 14 6 2027"
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the sex", "invalid_choice": "Select the sex"},
    )
    gender = forms.ChoiceField(
        label="Gender",
        choices=Gender.choices,
        initial=Gender.NOT_STATED,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the gender", "invalid_choice": "Select the gender"},
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        choices=Ethnicity.choices,
        initial=Ethnicity.NOBT,
        error_messages={
            "required": "Select the ethnicity",
            "invalid_choice": "Select the ethnicity",
        },
    )
    disabilities = forms.MultipleChoiceField(
        label="Disability",
        choices=Disability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select disabilities from the list"},
    )
    nhs_number = _text(
        "NHS number",
        max_length=14,
        help_text="10 digits, for example 943 476 5919",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", **NUMERIC}),
    )
    upn = _text(
        "Unique pupil number (UPN)",
        max_length=16,
        help_text="13 characters, for example A123456789012",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-20",
                "spellcheck": "false",
                "autocomplete": "off",
            }
        ),
    )
    upn_unknown_reason = forms.ChoiceField(
        label="If there is no UPN, why not",
        choices=[("", "Select a reason"), *UPNUnknown.choices],
        required=False,
        error_messages={"invalid_choice": "Select a reason from the list"},
    )
    address_line_1 = _text(
        "Address line 1",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    town = _text(
        "Town or city",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-!-width-two-thirds",
                "autocomplete": "address-level2",
            }
        ),
    )
    postcode = _text(
        "Postcode",
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # GOV.UK conditional reveal: ticking 'Not born yet' shows the expected date.
        self.fields["unborn"].widget.attrs["data-aria-controls"] = self.unborn_conditional_id

    @property
    def unborn_conditional_id(self) -> str:
        return f"{self['unborn'].auto_id or 'unborn'}-conditional"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("unborn"):
            if data.get("date_of_birth"):
                self.add_error(
                    "date_of_birth",
                    "A child who is not born yet has no date of birth: remove it, "
                    "or untick 'Not born yet'",
                )
            if data.get("expected_date_of_birth") is None and not self.has_error(
                "expected_date_of_birth"
            ):
                self.add_error("expected_date_of_birth", "Enter the expected date of birth")
        else:
            if (
                data.get("date_of_birth") is None
                and self.date_of_birth_required
                and not self.has_error("date_of_birth")
            ):
                self.add_error("date_of_birth", "Enter the date of birth, or select 'Not born yet'")
            # The expected date is hidden unless 'Not born yet' is ticked: ignore it.
            data["expected_date_of_birth"] = None
        try:
            person_details_validate(**self._service_values(data), exclude=self.person)
        except ValidationError as exc:
            self.add_service_errors(exc)
        return data

    def _service_values(self, data: dict[str, Any]) -> dict[str, Any]:
        born: datetime.date | None = None if data.get("unborn") else data.get("date_of_birth")
        return {
            "first_name": data.get("first_name", ""),
            "last_name": data.get("last_name", ""),
            "date_of_birth": born,
            "expected_date_of_birth": data.get("expected_date_of_birth"),
            "sex": data.get("sex", ""),
            "gender": data.get("gender") or Gender.NOT_STATED,
            "ethnicity": data.get("ethnicity") or Ethnicity.NOBT,
            "nhs_number": data.get("nhs_number", ""),
            "upn": data.get("upn", ""),
            "upn_unknown_reason": data.get("upn_unknown_reason", ""),
            "disabilities": list(data.get("disabilities") or []),
            "address_line_1": data.get("address_line_1", ""),
            "town": data.get("town", ""),
            "postcode": data.get("postcode", ""),
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show a service's field-keyed errors on the form (once per field: a field that
        already failed its own check keeps that message)."""
        # A service's error about the whole record (not keyed by field) goes at the top.
        by_field = (
            exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        )
        for name, messages in by_field.items():
            target = name if name in self.fields else None
            if target is not None and self.has_error(target):
                continue
            for message in messages:
                self.add_error(target, message)
            if target is not None:
                _mark_fields_in_error(self.fields[target].widget)

    def person_create_kwargs(self) -> dict[str, Any]:
        """Arguments for ``services.person_create`` (add ``actor``) from a valid form."""
        return self._service_values(self.cleaned_data)


class PersonDetailsForm(PersonForm):
    """Changing a person's details: PersonForm's fields and rules, without the address (a
    move is a new address in the history, not a correction), and with the fingerprint of
    the details as shown, so a save over someone else's change is refused."""

    with_address = False
    address_line_1 = None
    town = None
    postcode = None
    expected = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, person: Person, **kwargs: Any):
        kwargs.setdefault("initial", _details_initial(person))
        super().__init__(*args, **kwargs)
        self.person = person
        # Many adults around a child were recorded without a date of birth: correcting
        # their name must not mean inventing one. A date once recorded stays required.
        self.date_of_birth_required = person.date_of_birth is not None or person.is_unborn

    def person_details_update_kwargs(self) -> dict[str, Any]:
        """Arguments for ``services.person_details_update`` (add ``actor`` and ``person``)."""
        values = self._service_values(self.cleaned_data)
        for name in ("address_line_1", "town", "postcode"):
            del values[name]
        values["expected"] = self.cleaned_data.get("expected", "")
        return values


def _details_initial(person: Person) -> dict[str, Any]:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
        "unborn": person.is_unborn,
        "expected_date_of_birth": person.expected_date_of_birth,
        "sex": person.sex,
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "disabilities": sorted(person.disabilities.values_list("code", flat=True)),
        "nhs_number": format_nhs_number(person.nhs_number),
        "upn": person.upn,
        "upn_unknown_reason": person.upn_unknown_reason,
        "expected": person_details_fingerprint(person),
    }


def _mark_fields_in_error(widget: forms.Widget) -> None:
    targets = widget.widgets if isinstance(widget, forms.MultiWidget) else [widget]
    for target in targets:
        css = target.attrs.get("class", "")
        for base in ("govuk-input", "govuk-select"):
            if base in css.split() and f"{base}--error" not in css:
                target.attrs["class"] = f"{css} {base}--error"


class PersonSearchForm(GovukForm):
    """Find a person: any one criterion is enough, and they narrow each other."""

    name = _text(
        "Name",
        max_length=200,
        help_text="First name, last name or both, in any order. Other names they have "
        "been known by are searched too",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2014"
    )
    nhs_number = _text(
        "NHS number",
        max_length=14,
        help_text="10 digits, for example 943 476 5919",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10", **NUMERIC}),
    )
    postcode = _text(
        "Postcode",
        max_length=10,
        help_text="Current or previous address",
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "off"}
        ),
    )

    def clean_nhs_number(self) -> str:
        number = normalise_nhs_number(self.cleaned_data.get("nhs_number", ""))
        if number and not (number.isdigit() and len(number) == 10):
            raise ValidationError("NHS number must be 10 digits, like 943 476 5919")
        return number

    def clean_postcode(self) -> str:
        postcode: str = self.cleaned_data.get("postcode", "").strip()
        if postcode:
            validate_postcode(postcode)
        return postcode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = (
            name_words(data.get("name") or ""),
            data.get("date_of_birth"),
            data.get("nhs_number"),
            data.get("postcode"),
        )
        if not self.errors and not any(given):
            self.add_error("name", "Enter a name, date of birth, NHS number or postcode")
        return data

    def criteria(self) -> dict[str, Any]:
        """Keyword arguments for ``people_search`` from a valid form."""
        return {
            "name": self.cleaned_data.get("name", ""),
            "date_of_birth": self.cleaned_data.get("date_of_birth"),
            "nhs_number": self.cleaned_data.get("nhs_number", ""),
            "postcode": self.cleaned_data.get("postcode", ""),
        }


class MergeFindForm(GovukForm):
    """Find the duplicate of a record: by its council ID, or by name."""

    council_id = _text(
        "Council ID of the duplicate record",
        max_length=20,
        help_text="If you know it, for example NB0001234",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "spellcheck": "false",
                "autocomplete": "off",
            }
        ),
    )
    name = _text(
        "Or search by name",
        max_length=200,
        help_text="First name, last name or both",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["council_id"] = (data.get("council_id") or "").strip()
        if not self.errors and not data["council_id"] and not name_words(data.get("name") or ""):
            self.add_error("council_id", "Enter the council ID of the duplicate, or a name")
        return data


REASON_HELP = (
    "Say how you know these are the same person, for example the NHS number or school "
    "records. This is kept with the merge for audit"
)


def _reason_field(label: str, help_text: str) -> Any:
    return forms.CharField(
        label=label,
        max_length=2000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 4}),
        error_messages={
            "required": "Enter the reason",
            "max_length": "Reason must be 2000 characters or fewer",
        },
    )


class MergeForm(GovukForm):
    """Which of the two records to keep, and why they are the same person."""

    keep = forms.ChoiceField(
        label="Which record should be kept?",
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
        error_messages={
            "required": "Select the record to keep",
            "invalid_choice": "Select the record to keep",
        },
    )
    reason = _reason_field("Why are these the same person?", REASON_HELP)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["keep"]).choices = choices


class MergeUndoForm(GovukForm):
    reason = _reason_field(
        "Why is this merge being undone?",
        "For example, the records are twins, not one child. This is kept for audit",
    )
