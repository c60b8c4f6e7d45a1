"""Forms for casework. They check what was typed; the services decide what is saved."""

from __future__ import annotations

from typing import Any

from django import forms

from evident.accounts.models import User
from evident.core.forms import GovukForm


class AllocateForm(GovukForm):
    worker = forms.ChoiceField(
        label="Social worker",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a social worker to allocate the referral to",
            "invalid_choice": "Select a social worker in the team",
        },
    )

    def __init__(self, *args: Any, workers: list[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._workers = {str(worker.pk): worker for worker in workers}
        fields: Any = self.fields
        fields["worker"].choices = [
            (key, worker.get_full_name() or worker.username)
            for key, worker in self._workers.items()
        ]

    def chosen_worker(self) -> User:
        return self._workers[self.cleaned_data["worker"]]
