"""MASH pages at the front door: a contact's urgency, information requests to partner
agencies, and the council's front-door standards (response times, levels of need)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from evident.accounts.policies import allow
from evident.accounts.roles import Role
from evident.front_door import selectors, selectors_mash, services_mash
from evident.front_door.forms_mash import (
    InformationRequestForm,
    LevelOfNeedForm,
    UrgencyForm,
    UrgencyStandardsForm,
)
from evident.front_door.models import LevelOfNeed

RECORDERS = (Role.PRACTITIONER, Role.TEAM_MANAGER)


def _open_contact(request: HttpRequest, contact_id: uuid.UUID) -> Any:
    contact = selectors.contact_get_for_user(user=request.user, contact_id=contact_id)
    if contact.closed_at is not None:
        raise Http404("The contact is closed")
    return contact


@allow(*RECORDERS)
@require_http_methods(["GET", "POST"])
def contact_urgency(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    """Set or change the contact's red/amber/green urgency, with the reason."""
    contact = _open_contact(request, contact_id)
    initial = {"urgency": contact.urgency, "reason": contact.urgency_reason}
    form = UrgencyForm(data=request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services_mash.contact_set_urgency(
                actor=request.user,
                contact=contact,
                urgency=form.cleaned_data["urgency"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Urgency set to {contact.get_urgency_display().lower()}")
            return redirect("front_door:contact", contact_id=contact.pk)
    selectors.contact_read_audit(
        user=request.user, contact=contact, section="front_door.urgency", path=request.path
    )
    return render(
        request,
        "front_door/urgency.html",
        {"contact": contact, "form": form, "standards": selectors_mash.urgency_standards()},
    )


@allow(*RECORDERS)
@require_http_methods(["GET", "POST"])
def information_request_new(request: HttpRequest, contact_id: uuid.UUID) -> HttpResponse:
    """Ask a named partner agency about the contact, by a due time."""
    contact = _open_contact(request, contact_id)
    default_due = selectors_mash.information_request_default_due(
        contact=contact, now=timezone.now()
    )
    form = InformationRequestForm(
        data=request.POST if request.method == "POST" else None, default_due=default_due
    )
    if request.method == "POST" and form.is_valid():
        try:
            sent = services_mash.information_request_send(
                actor=request.user,
                contact=contact,
                organisation=form.cleaned_data["organisation"],
                question=form.cleaned_data["question"],
                due_at=form.cleaned_data["due_at"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Information requested from {sent.organisation}")
            return redirect("front_door:contact", contact_id=contact.pk)
    selectors.contact_read_audit(
        user=request.user,
        contact=contact,
        section="front_door.information_request",
        path=request.path,
    )
    return render(
        request,
        "front_door/information_request_new.html",
        {"contact": contact, "children": list(contact.children.all()), "form": form},
    )


# The council's front-door standards -------------------------------------------------------


@allow(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def standards(request: HttpRequest) -> HttpResponse:
    """Response times for red, amber and green, and the levels of need."""
    current = selectors_mash.urgency_standards()
    form = UrgencyStandardsForm(
        data=request.POST if request.method == "POST" else None, standards=current
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_mash.urgency_standards_update(actor=request.user, standards=form.standards())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Response times saved. Urgency clocks now use them.")
            return redirect("front_door:standards")
    return render(
        request,
        "front_door/standards.html",
        {
            "form": form,
            "sections": [(current[u], form[f"{u}_amount"], form[f"{u}_unit"]) for u in current],
            "levels": selectors_mash.levels_of_need(),
        },
    )


@allow(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def level_of_need(request: HttpRequest, level_id: int | None = None) -> HttpResponse:
    """Add a level of need, or change one (``level_id``)."""
    level = None
    if level_id is not None:
        level = LevelOfNeed.objects.filter(pk=level_id).first()
        if level is None:
            raise Http404("No such level of need")
    initial = (
        {"number": level.number, "name": level.name, "description": level.description}
        if level
        else {"number": (selectors_mash.levels_of_need().count() + 1)}
    )
    form = LevelOfNeedForm(data=request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services_mash.level_of_need_save(
                actor=request.user,
                level=level,
                number=form.cleaned_data["number"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"{saved} saved")
            return redirect("front_door:standards")
    return render(request, "front_door/level_of_need.html", {"form": form, "level": level})
