"""GOV.UK Design System forms on Django forms.

Every form in Evident inherits ``GovukForm``: widgets get the GOV.UK classes, fields render
with label, hint and error message in the GOV.UK pattern, and the page shows an error
summary whose links go to the field in error (``templates/govuk/error_summary.html``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.PasswordInput: "govuk-input",
    forms.FileInput: "govuk-file-upload",
}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes."""

    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs: dict[str, Any] | None = None):
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    "inputmode": "numeric",
                }
            ),
            "month": forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                    "inputmode": "numeric",
                }
            ),
            "year": forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                    "inputmode": "numeric",
                }
            ),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date from three boxes, with GOV.UK-style messages that say which part is wrong."""

    widget = GovukDateWidget

    def __init__(self, **kwargs: Any):
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        # Django checks "required" before compress(); give it the GOV.UK wording too.
        self.error_messages["required"] = f"Enter the {self.label_text()}"

    def compress(self, data_list: list[str]) -> datetime.date | None:
        if not data_list or not any(part and part.strip() for part in data_list):
            if self.required:
                raise forms.ValidationError(f"Enter the {self.label_text()}", code="required")
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise forms.ValidationError(
                f"The {self.label_text()} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(
                f"The {self.label_text()} must be a real date, like 27 3 2014", code="invalid"
            )
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError as exc:
            raise forms.ValidationError(
                f"The {self.label_text()} must be a real date", code="invalid"
            ) from exc

    def label_text(self) -> str:
        return str(self.label or "date").lower()


class GovukFormMixin:
    """Adds GOV.UK classes to widgets, marks fields in error, and lists errors for the
    summary. Mixed into plain forms, model forms and Django's own (sign-in) forms."""

    template_name = "govuk/form.html"
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _style_widget(field.widget)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:
                widget = self.fields[name].widget
                targets = widget.widgets if isinstance(widget, forms.MultiWidget) else [widget]
                for target in targets:
                    _mark_error(target)

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show a service's ValidationError on the form: field-keyed messages on their
        fields (unknown keys at the top), plain messages at the top. Services validate too,
        so callers without a form are safe; this puts their word in front of the user."""
        form: Any = self
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                for message in messages:
                    form.add_error(name if name in self.fields else None, message)
        else:
            for message in exc.messages:
                form.add_error(None, message)

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor id, message) pairs for the error summary, in field order."""
        form: Any = self
        items: list[tuple[str, str]] = [("", str(m)) for m in form.non_field_errors()]
        for name, field in self.fields.items():
            if name in form.errors:
                anchor = form[name].auto_id or ""
                if isinstance(
                    field.widget,
                    (forms.MultiWidget, forms.RadioSelect, forms.CheckboxSelectMultiple),
                ):
                    anchor = f"{anchor}_0"
                items.extend((anchor, str(message)) for message in form.errors[name])
        return items


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    pass


def _mark_error(widget: forms.Widget) -> None:
    css = widget.attrs.get("class", "")
    for base in ("govuk-input", "govuk-textarea", "govuk-select"):
        if base in css.split() and f"{base}--error" not in css:
            widget.attrs["class"] = f"{css} {base}--error"
            return


def _style_widget(widget: forms.Widget) -> None:
    if isinstance(widget, forms.MultiWidget):
        return
    css = next(
        (classes for kind, classes in WIDGET_CLASSES.items() if isinstance(widget, kind)),
        "govuk-input",
    )
    existing = widget.attrs.get("class", "")
    if css not in existing.split():
        widget.attrs["class"] = f"{existing} {css}".strip()


class ClosureDayForm(GovukForm):
    day = GovukDateField(label="Date the council is closed", help_text="For example, 27 12 2027")
    reason = forms.CharField(
        label="Reason", max_length=200, help_text="For example, Christmas closure"
    )

    def clean_day(self) -> datetime.date:
        from evident.core.models import ClosureDay
        from evident.core.working_days import bank_holidays

        day: datetime.date = self.cleaned_data["day"]
        if day.weekday() >= 5:
            raise forms.ValidationError("That date is a weekend, which is never a working day")
        if day in bank_holidays(day.year, day.year):
            raise forms.ValidationError("That date is already a bank holiday")
        if ClosureDay.objects.filter(day=day).exists():
            raise forms.ValidationError("That date is already a closure day")
        return day
