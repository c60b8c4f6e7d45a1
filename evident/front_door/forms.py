"""Forms for the front door. They check what was typed; the services decide what is saved."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from evident.core.clocks import LONDON, Rag
from evident.core.codes import ReferralSource
from evident.core.forms import GovukDateField, GovukForm
from evident.front_door.models import (
    Contact,
    ContactChild,
    Decision,
    LevelOfNeed,
    VoiceKnown,
    VoiceObtained,
)
from evident.front_door.services import CONSENT_REASON_MESSAGES, CONSENT_REASON_NEEDED
from evident.front_door.services_mash import ChildVoice

# The source list in the order of the census codes, grouped as the census groups them.
SOURCE_GROUPS: list[tuple[str, list[ReferralSource]]] = [
    (
        "Individuals",
        [
            ReferralSource.INDIVIDUAL_FAMILY,
            ReferralSource.INDIVIDUAL_ACQUAINTANCE,
            ReferralSource.INDIVIDUAL_SELF,
            ReferralSource.INDIVIDUAL_OTHER,
        ],
    ),
    ("Education", [ReferralSource.SCHOOLS, ReferralSource.EDUCATION_SERVICES]),
    (
        "Health services",
        [
            ReferralSource.HEALTH_GP,
            ReferralSource.HEALTH_VISITOR,
            ReferralSource.HEALTH_SCHOOL_NURSE,
            ReferralSource.HEALTH_OTHER_PRIMARY,
            ReferralSource.HEALTH_AE,
            ReferralSource.HEALTH_OTHER,
        ],
    ),
    ("Housing", [ReferralSource.HOUSING]),
    (
        "Local authority services",
        [
            ReferralSource.LA_SOCIAL_CARE,
            ReferralSource.LA_OTHER_INTERNAL,
            ReferralSource.LA_EXTERNAL,
            ReferralSource.LA_EARLY_HELP,
        ],
    ),
    (
        "Police, legal and other",
        [
            ReferralSource.POLICE,
            ReferralSource.OTHER_LEGAL,
            ReferralSource.OTHER,
            ReferralSource.ANONYMOUS,
            ReferralSource.UNKNOWN,
        ],
    ),
]

_TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def source_choices() -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [("", "Select where the contact came from")]
    choices.extend(
        (group, [(code.value, code.label) for code in codes]) for group, codes in SOURCE_GROUPS
    )
    return choices


class ChildSearchForm(GovukForm):
    """Find a child in the records: any one criterion is enough."""

    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text="First name, last name or both. Nicknames and spellings that sound alike "
        "are found too",
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2014"
    )
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=20)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["nhs_number"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-10", "inputmode": "numeric"}
        )
        self.fields["postcode"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-10", "autocomplete": "off"}
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        criteria = ("name", "date_of_birth", "nhs_number", "postcode")
        if not self.errors and not any(cleaned.get(name) for name in criteria):
            raise forms.ValidationError(
                "Enter a name, date of birth, NHS number or postcode to search", code="empty"
            )
        return cleaned


class ContactDetailsForm(GovukForm):
    """When the contact arrived, who sent it, the concern and consent."""

    received_date = GovukDateField(label="Date received", help_text="For example, 27 3 2026")
    received_time = forms.CharField(
        label="Time received",
        max_length=5,
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time received"},
    )
    source = forms.ChoiceField(
        label="Source of the contact",
        choices=source_choices,
        error_messages={"required": "Select where the contact came from"},
    )
    referrer_name = forms.CharField(label="Referrer's name", required=False, max_length=200)
    referrer_organisation = forms.CharField(
        label="Referrer's organisation", required=False, max_length=200
    )
    referrer_phone = forms.CharField(label="Referrer's phone number", required=False, max_length=40)
    referrer_email = forms.EmailField(
        label="Referrer's email address",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    concern = forms.CharField(
        label="The concern",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the referrer told you, in their words where you can",
        error_messages={"required": "Enter the concern"},
    )
    consent = forms.ChoiceField(
        label="Consent to share information",
        choices=Contact.Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether consent was given"},
    )
    consent_reason = forms.CharField(
        label="Why consent was dispensed with, refused or not sought",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed unless consent was given: for example, asking would put the child "
        "at risk",
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["received_time"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}
        )
        self.fields["referrer_phone"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-20", "type": "tel", "autocomplete": "off"}
        )
        self.fields["referrer_email"].widget.attrs.update(
            {"spellcheck": "false", "autocomplete": "off"}
        )

    def clean_received_time(self) -> datetime.time:
        raw = self.cleaned_data["received_time"].strip()
        match = _TIME_RE.match(raw)
        if not match:
            raise forms.ValidationError(
                "Enter the time received in hours and minutes, like 14:30", code="invalid"
            )
        return datetime.time(int(match.group(1)), int(match.group(2)))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, at = cleaned.get("received_date"), cleaned.get("received_time")
        if day is not None and at is not None:
            received_at = datetime.datetime.combine(day, at, tzinfo=LONDON)
            if received_at > timezone.now():
                self.add_error("received_date", "The date and time received must be in the past")
            else:
                cleaned["received_at"] = received_at
        consent = cleaned.get("consent")
        if consent in CONSENT_REASON_NEEDED and not cleaned.get("consent_reason", "").strip():
            self.add_error("consent_reason", CONSENT_REASON_MESSAGES[Contact.Consent(consent)])
        return cleaned

    def summary_rows(self) -> list[tuple[str, str, str]]:
        """(question, answer, id of the field to change) for 'Check your answers'."""
        data = self.cleaned_data
        consent = Contact.Consent(data["consent"])
        rows = [
            (
                "Date and time received",
                date_format(data["received_at"], "j F Y, H:i"),
                "id_received_date_0",
            ),
            ("Source", ReferralSource(data["source"]).label, "id_source"),
            ("Referrer's name", data["referrer_name"] or "Not given", "id_referrer_name"),
            (
                "Referrer's organisation",
                data["referrer_organisation"] or "Not given",
                "id_referrer_organisation",
            ),
            ("Referrer's phone", data["referrer_phone"] or "Not given", "id_referrer_phone"),
            ("Referrer's email", data["referrer_email"] or "Not given", "id_referrer_email"),
            ("The concern", data["concern"], "id_concern"),
            ("Consent", consent.label, "id_consent_0"),
        ]
        if consent in CONSENT_REASON_NEEDED:
            rows.append(("Why", data["consent_reason"], "id_consent_reason"))
        return rows


class DecisionForm(GovukForm):
    """An outcome and a rationale for each child still to be decided (``outcome_1``,
    ``rationale_1`` for the first child on the contact, and so on), and the version of the
    contact the page was shown with (so a save over someone else's change is refused)."""

    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, rows: Sequence[ContactChild], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[int, ContactChild]] = []
        levels = [
            (str(level.pk), f"Level {level.number}: {level.name}")
            for level in LevelOfNeed.objects.order_by("number")
        ]
        for number, row in enumerate(rows, start=1):
            decision = getattr(row, "decision", None)
            if decision is not None and decision.status == Decision.Status.AUTHORISED:
                continue
            name = row.person.full_name
            self.fields[f"outcome_{number}"] = forms.ChoiceField(
                label=f"Decision for {name}",
                choices=Decision.Outcome.choices,
                # Added after GovukForm styled the declared fields, so styled here.
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                initial=decision.outcome if decision else None,
                error_messages={"required": f"Select the decision for {name}"},
            )
            self.fields[f"rationale_{number}"] = forms.CharField(
                label=f"Rationale for the decision about {name}",
                widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 5}),
                initial=decision.rationale if decision else None,
                help_text="Why this is the right next step for the child",
                error_messages={"required": f"Enter the rationale for the decision about {name}"},
            )
            self._add_mash_fields(number, row, decision, levels)
            self.rows.append((number, row))

    def _add_mash_fields(
        self,
        number: int,
        row: ContactChild,
        decision: Decision | None,
        levels: list[tuple[str, str]],
    ) -> None:
        """The threshold (level of need) and the child's voice, for one child."""
        name = row.person.full_name
        radios = {"class": "govuk-radios__input"}
        self.fields[f"level_{number}"] = forms.ChoiceField(
            label=f"Level of need for {name}",
            choices=levels,
            widget=forms.RadioSelect(attrs=radios),
            initial=str(decision.level_of_need_id)
            if decision and decision.level_of_need_id
            else None,
            help_text="Where the child's needs sit on the council's continuum of need",
            error_messages={"required": f"Select the level of need for {name}"},
        )
        self.fields[f"voice_known_{number}"] = forms.ChoiceField(
            label=f"Are {name}'s views known?",
            choices=VoiceKnown.choices,
            widget=forms.RadioSelect(attrs=radios),
            initial=row.voice_known or None,
            error_messages={"required": f"Select whether {name}'s views are known"},
        )
        self.fields[f"voice_views_{number}"] = forms.CharField(
            label=f"What are {name}'s views?",
            required=False,
            widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
            initial=row.voice_views or None,
            help_text="Needed when the child's views are known. In the child's words where you can",
        )
        self.fields[f"voice_obtained_{number}"] = forms.ChoiceField(
            label=f"How were {name}'s views obtained?",
            required=False,
            choices=VoiceObtained.choices,
            widget=forms.RadioSelect(attrs=radios),
            initial=row.voice_obtained or None,
            help_text="Needed when the child's views are known",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for number, row in self.rows:
            if cleaned.get(f"voice_known_{number}") != VoiceKnown.YES:
                continue
            name = row.person.full_name
            if not (cleaned.get(f"voice_views_{number}") or "").strip():
                self.add_error(f"voice_views_{number}", f"Enter {name}'s views")
            if not cleaned.get(f"voice_obtained_{number}"):
                self.add_error(
                    f"voice_obtained_{number}", f"Select how {name}'s views were obtained"
                )
        return cleaned

    def sections(
        self,
    ) -> list[
        tuple[
            ContactChild,
            forms.BoundField,
            forms.BoundField,
            forms.BoundField,
            tuple[forms.BoundField, forms.BoundField, forms.BoundField],
        ]
    ]:
        """Per child: the row, outcome, rationale, level of need and the child's voice."""
        return [
            (
                row,
                self[f"outcome_{number}"],
                self[f"rationale_{number}"],
                self[f"level_{number}"],
                (
                    self[f"voice_known_{number}"],
                    self[f"voice_views_{number}"],
                    self[f"voice_obtained_{number}"],
                ),
            )
            for number, row in self.rows
        ]

    def levels_of_need(self) -> dict[int, int]:
        """For ``contact_decide``: ContactChild id -> LevelOfNeed id."""
        return {row.pk: int(self.cleaned_data[f"level_{n}"]) for n, row in self.rows}

    def voices(self) -> dict[int, ChildVoice]:
        """For ``contact_decide``: ContactChild id -> the child's voice."""
        return {
            row.pk: ChildVoice(
                known=self.cleaned_data[f"voice_known_{n}"],
                views=self.cleaned_data[f"voice_views_{n}"],
                obtained=self.cleaned_data[f"voice_obtained_{n}"],
            )
            for n, row in self.rows
        }

    def decisions(self) -> dict[int, tuple[str, str]]:
        """For ``contact_decide``: ContactChild id -> (outcome, rationale)."""
        return {
            row.pk: (self.cleaned_data[f"outcome_{n}"], self.cleaned_data[f"rationale_{n}"])
            for n, row in self.rows
        }


class AuthoriseForm(GovukForm):
    """The manager's answer: authorise (comment optional) or return (comment needed)."""

    AUTHORISE = "authorise"
    RETURN = "return"

    comment = forms.CharField(
        label="Comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional when you authorise. When you return the decisions, say what "
        "more work is needed.",
    )
    # Set by the button pressed ("Authorise decisions" or "Return for more work").
    action = forms.ChoiceField(
        choices=[(AUTHORISE, "Authorise"), (RETURN, "Return")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose to authorise the decisions or return them",
            "invalid_choice": "Choose to authorise the decisions or return them",
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == self.RETURN and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Enter a comment to say what more work is needed")
        return cleaned


class TrayFilterForm(GovukForm):
    """The tray's filters (MOJ "filter a list"), read from the query string.

    Only codes, dates and user ids: nothing about a child ever goes in the URL."""

    status = forms.MultipleChoiceField(
        label="Status",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    rag = forms.MultipleChoiceField(
        label="Timeliness",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(rag.value, rag.label) for rag in Rag],
        error_messages={"invalid_choice": "Select overdue, due soon or on track"},
    )
    source = forms.ChoiceField(
        label="Source",
        required=False,
        error_messages={"invalid_choice": "Select a source from the list"},
    )
    allocated = forms.ChoiceField(
        label="Allocated to",
        required=False,
        error_messages={"invalid_choice": "Select who the contacts are allocated to"},
    )
    received_from = GovukDateField(
        label="Received from", required=False, help_text="For example, 23 11 2026"
    )
    received_to = GovukDateField(
        label="Received to", required=False, help_text="For example, 27 11 2026"
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        error_messages={"invalid_choice": "Select how to sort the contacts"},
    )

    def __init__(self, *args: Any, practitioners: Sequence[Any] = (), **kwargs: Any):
        from evident.front_door.selectors import (
            ALLOCATED_TO_ME,
            TRAY_STATUSES,
            UNALLOCATED,
            TraySort,
        )

        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["status"].choices = [(s.value, s.label) for s in TRAY_STATUSES]
        sources = source_choices()
        fields["source"].choices = [("", "Any source"), *sources[1:]]
        fields["allocated"].choices = [
            ("", "Anyone or no one"),
            (ALLOCATED_TO_ME, "Me"),
            (UNALLOCATED, "Unallocated"),
            *[(str(p.pk), str(p)) for p in practitioners],
        ]
        fields["sort"].choices = [(s.value, s.label) for s in TraySort]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "The received to date must be on or after the from date")
        return cleaned

    def filters(self, *, team: Any = None) -> Any:
        """The filters as the tray selector takes them; a filter typed wrongly is left out
        (and its error shown) while the others still apply."""
        from evident.front_door.selectors import ContactStatus, TrayFilters, TraySort

        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return TrayFilters(
            statuses=tuple(ContactStatus(v) for v in data.get("status") or ()),
            rags=tuple(Rag(v) for v in data.get("rag") or ()),
            sources=(data["source"],) if data.get("source") else (),
            allocated=data.get("allocated") or "",
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            team=team,
            sort=TraySort(data.get("sort") or TraySort.DUE),
        )


class AllocateForm(GovukForm):
    """A team manager allocates the contacts ticked in the tray (``contact``, repeated,
    read by the view) to a practitioner of the front-door team."""

    to = forms.ChoiceField(
        label="Allocate the selected contacts to",
        error_messages={
            "required": "Select a practitioner to allocate the contacts to",
            "invalid_choice": "Select a practitioner in the front-door team",
        },
    )

    def __init__(self, *args: Any, practitioners: Sequence[Any] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["to"].choices = [
            ("", "Select a practitioner"),
            *[(str(p.pk), str(p)) for p in practitioners],
        ]
