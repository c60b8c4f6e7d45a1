"""Pages for what a contact's decision carried on into: updating early help."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from evident.accounts.policies import allow
from evident.audit.models import AuditEvent
from evident.audit.services import audit_record
from evident.front_door import outcomes, selectors
from evident.front_door.forms_outcomes import EarlyHelpForm
from evident.front_door.models import EarlyHelpEpisode

FIELDS = (
    "assessment_start_date",
    "assessment_completion_date",
    "organisation_completing",
    "lead_professional",
    "ended_on",
)


@allow(*outcomes.EARLY_HELP_ROLES)
@require_http_methods(["GET", "POST"])
def early_help(request: HttpRequest, contact_id: uuid.UUID, episode_id: int) -> HttpResponse:
    """Update the early help a contact led to: dates, organisation, lead professional."""
    contact = selectors.contact_get_for_user(user=request.user, contact_id=contact_id)
    episode = (
        EarlyHelpEpisode.objects.select_related("person", "contact_child")
        .filter(pk=episode_id, contact_child__contact=contact)
        .first()
    )
    if episode is None:
        raise Http404("No such early help")
    if request.method == "POST":
        form = EarlyHelpForm(data=request.POST)
        if form.is_valid():
            try:
                outcomes.early_help_update(
                    actor=request.user, episode=episode, changes=form.cleaned_data
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Early help for {episode.person.full_name} updated")
                return redirect("front_door:contact", contact_id=contact.pk)
    else:
        form = EarlyHelpForm(initial={name: getattr(episode, name) for name in FIELDS})
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.VIEW,
            record=episode,
            person=episode.person,
            section="front_door.early_help",
            path=request.path,
        )
    return render(
        request,
        "front_door/early_help.html",
        {"contact": contact, "episode": episode, "form": form},
    )
