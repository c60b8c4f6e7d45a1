"""The form for what a decision carried on into: early help dates and who leads it."""

from __future__ import annotations

from django import forms

from evident.core.forms import GovukDateField, GovukForm


class EarlyHelpForm(GovukForm):
    assessment_start_date = GovukDateField(
        label="Assessment start date", help_text="For example, 27 3 2026"
    )
    assessment_completion_date = GovukDateField(
        label="Assessment completion date",
        required=False,
        help_text="Leave blank until the early help assessment is completed",
    )
    organisation_completing = forms.CharField(
        label="Organisation completing the assessment",
        max_length=200,
        error_messages={"required": "Enter the organisation completing the assessment"},
    )
    lead_professional = forms.CharField(
        label="Lead professional",
        max_length=200,
        required=False,
        help_text="Name and role, for example Sam Patel, family support worker",
    )
    ended_on = GovukDateField(
        label="Date early help ended",
        required=False,
        help_text="Leave blank while early help is still being given",
    )
