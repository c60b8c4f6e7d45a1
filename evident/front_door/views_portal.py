"""Contacts from the partner portal: a practitioner finds each child the partner
described in the records (or adds them), so the child joins the contact and can be
decided on. The partner's description is never turned into a person on its own."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.front_door import selectors, services
from evident.front_door.models import SubmittedChild
from evident.people.forms import PersonForm
from evident.people.selectors import current_address_of

RECORDERS = (Role.PRACTITIONER, Role.TEAM_MANAGER)


def _still_to_find(submitted: SubmittedChild) -> bool:
    return submitted.person_id is None and submitted.contact.closed_at is None


@allow(*RECORDERS)
@require_http_methods(["GET", "POST"])
def submitted_child(request: HttpRequest, contact_id: uuid.UUID, submitted_id: int) -> HttpResponse:
    """Find the child in the records: possible matches, each with a button to choose."""
    submitted = selectors.submitted_child_get_for_user(
        user=request.user, contact_id=contact_id, submitted_id=submitted_id
    )
    if not _still_to_find(submitted):
        return redirect("front_door:contact", contact_id=submitted.contact_id)
    problems: list[str] = []
    if request.method == "POST":
        try:
            person = services.submitted_child_link(
                actor=request.user, submitted=submitted, person_id=request.POST.get("person_id")
            )
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            messages.success(request, f"{person.full_name} added to contact {submitted.contact}")
            return redirect("front_door:contact", contact_id=submitted.contact_id)
    candidates = selectors.submitted_child_candidates(
        user=request.user, submitted=submitted, path=request.path
    )
    return render(
        request,
        "front_door/submitted_child.html",
        {
            "submitted": submitted,
            "contact": submitted.contact,
            "candidates": [(person, current_address_of(person)) for person in candidates],
            "summary_errors": problems,
        },
    )


def _initial(submitted: SubmittedChild) -> dict[str, Any]:
    first_line = submitted.address.splitlines()[0].strip() if submitted.address else ""
    return {
        "first_name": submitted.first_name,
        "last_name": submitted.last_name,
        "date_of_birth": submitted.date_of_birth,
        "address_line_1": first_line,
        "postcode": submitted.postcode,
    }


@allow(*RECORDERS)
@require_http_methods(["GET", "POST"])
def submitted_child_add(
    request: HttpRequest, contact_id: uuid.UUID, submitted_id: int
) -> HttpResponse:
    """The child is not in the records: add them, starting from the partner's details."""
    submitted = selectors.submitted_child_get_for_user(
        user=request.user, contact_id=contact_id, submitted_id=submitted_id
    )
    if not _still_to_find(submitted):
        return redirect("front_door:contact", contact_id=submitted.contact_id)
    if request.method == "POST":
        form = PersonForm(data=request.POST)
        if form.is_valid():
            try:
                person = services.submitted_child_add_person(
                    actor=request.user, submitted=submitted, details=form.person_create_kwargs()
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(
                    request, f"{person.full_name} added to the records and the contact"
                )
                return redirect("front_door:contact", contact_id=submitted.contact_id)
    else:
        form = PersonForm(initial=_initial(submitted))
    return render(
        request,
        "front_door/submitted_child_add.html",
        {"submitted": submitted, "contact": submitted.contact, "form": form},
    )
