from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from evident.core.forms import GovukDateField, GovukForm

EARLIEST_AS_OF = date(2000, 1, 1)


class AnnexAForm(GovukForm):
    as_of = GovukDateField(
        label="As-of date",
        help_text=(
            "Usually the date Ofsted notified you of the inspection. Lists count back from "
            "this date. For example, 27 3 2026"
        ),
        # All three boxes empty never reaches the field's own message: Django's
        # MultiValueField answers "This field is required." first.
        error_messages={"required": "Enter the as-of date"},
    )

    def clean_as_of(self) -> date:
        as_of: date = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError("The as-of date must be today or in the past")
        if as_of < EARLIEST_AS_OF:
            raise forms.ValidationError("The as-of date must be in 2000 or later")
        return as_of
